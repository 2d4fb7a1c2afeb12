//! Containers of v1 objects: `d = {}` filled by `d[k] = obj`, lists filled by `append`.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::binding::BindingKind;
use super::super::kinds::{SdkKind, SdkValue};
use super::super::SemanticModel;
use super::{Resolved, MAX_DEPTH};

impl<'t> SemanticModel<'t> {
    /// `jobs[user]`, `preds[0]`: an element of a dict or list of objects.
    pub(in crate::semantic) fn resolve_subscript(
        &self,
        node: Node<'t>,
        depth: usize,
    ) -> Resolved<'t> {
        let Some(value) = node.field("value") else {
            return Resolved::Unknown;
        };
        match self.resolve_depth(value, depth + 1) {
            Resolved::Member {
                value: held, path, ..
            } if path.is_empty() => {
                let sliced = node.field("subscript").is_some_and(|k| k.ty() == "slice");
                let element = match held.kind {
                    // `results[:5]`: a list of the same objects.
                    SdkKind::List(_) | SdkKind::MixedList(..) if sliced => held.kind,
                    _ if sliced => return Resolved::Unknown,
                    SdkKind::Dict(o) | SdkKind::List(o) | SdkKind::Page(o) => SdkKind::Object(o),
                    SdkKind::MixedList(o, class) => SdkKind::Mixed(o, class),
                    SdkKind::Object(crate::semantic::ObjectKind::AsyncOutput) => held.kind,
                    _ => return Resolved::Unknown,
                };
                Resolved::Member {
                    value: SdkValue {
                        kind: element,
                        ..held
                    },
                    base: node,
                    path: vec![],
                }
            }
            Resolved::Unknown => self
                .instance_element(node, value, depth)
                .unwrap_or(Resolved::Unknown),
            _ => Resolved::Unknown,
        }
    }

    /// `self.assets[key]` where the class declares `assets: dict[str, Asset]` (or `list[Asset]`,
    /// as a dataclass field) and `Asset` is a class of this file: an instance of it. Only the
    /// class's own field read through `self`, and only when nothing assigns the attribute but
    /// an empty container (`self.assets = {}`), so the annotation is all there is to go on.
    fn instance_element(
        &self,
        node: Node<'t>,
        value: Node<'t>,
        depth: usize,
    ) -> Option<Resolved<'t>> {
        if depth > MAX_DEPTH
            || value.ty() != "attribute"
            || node.field("subscript").is_some_and(|k| k.ty() == "slice")
        {
            return None;
        }
        let object = value.field("object")?;
        let attr = self.source.str(value.field("attribute")?);
        if object.ty() != "identifier" {
            return None;
        }
        let (self_name, class_scope) = self.method_scope(self.scope_at(object))?;
        if !self.source.is(object, &self_name) {
            return None;
        }
        let key = (class_scope, attr.clone());
        let annotation = *self.class_fields.get(&key)?;
        let assigned = self.class_attrs.get(&key).map_or(&[][..], Vec::as_slice);
        let only_empty = assigned
            .iter()
            .all(|v| matches!(v.ty(), "dictionary" | "list") && v.named_child_count() == 0);
        if !only_empty || self.attr_stores.contains_key(&attr) {
            return None;
        }
        let annotation = match annotation.ty() {
            "type" => annotation.named_child(0)?,
            _ => annotation,
        };
        let (generic, args) = super::params::generic_parts(annotation)?;
        let generic = self.source.str(generic);
        let item = match (generic.rsplit('.').next()?, args.as_slice()) {
            ("dict" | "Dict" | "Mapping" | "MutableMapping", [_, item]) => *item,
            ("list" | "List" | "Sequence" | "MutableSequence", [item]) => *item,
            _ => return None,
        };
        match self.resolve_depth(item, depth + 1) {
            Resolved::Class(class) => Some(Resolved::Instance { class, base: node }),
            _ => None,
        }
    }

    /// `[make(q) for q in qs]` and `[a, b]` hold objects of one kind (or, with instances of one
    /// class of the file among them, are a `MixedList`).
    pub(in crate::semantic) fn resolve_list(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        let elements: Vec<Node<'t>> = if node.ty() == "list" {
            let mut cursor = node.walk();
            node.named_children(&mut cursor).collect()
        } else {
            node.field("body").into_iter().collect()
        };
        match self.container_of(&elements, |_| true, SdkKind::List, false, depth) {
            Some(value) => Resolved::Member {
                value,
                base: node,
                path: vec![],
            },
            None => Resolved::Unknown,
        }
    }

    /// `(key, obj)` / `key, obj`: a pair whose second item is a v1 object.
    pub(in crate::semantic) fn resolve_pair(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        let mut cursor = node.walk();
        let items: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        let [_, second] = items.as_slice() else {
            return Resolved::Unknown;
        };
        match self.value_of(*second, depth + 1) {
            Some(SdkValue {
                kind: SdkKind::Object(o),
                client,
                assumed,
                v2,
            }) => Resolved::Member {
                value: SdkValue {
                    kind: SdkKind::Keyed(o),
                    client,
                    assumed,
                    v2,
                },
                base: node,
                path: vec![],
            },
            _ => Resolved::Unknown,
        }
    }

    /// What the part at `position` of `iterable`'s items holds, when each item unpacks into
    /// `arity` parts: the values of `d.items()` (position 1), or that element of every tuple
    /// appended to a list (`pairs.append((key, p))`) or written in a list literal.
    pub(in crate::semantic) fn unpacked_value(
        &self,
        iterable: Node<'t>,
        arity: usize,
        position: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        if depth > MAX_DEPTH {
            return None;
        }
        // `for key, p in jobs.items()`.
        if iterable.ty() == "call" {
            let callee = iterable.field("function")?;
            let no_args = iterable
                .field("arguments")
                .is_some_and(|a| a.named_child_count() == 0);
            if callee.ty() != "attribute" || !no_args || arity != 2 || position != 1 {
                return None;
            }
            let attr = callee.field("attribute")?;
            if self.source.str(attr) != "items" {
                return None;
            }
            let dict = self.value_of(callee.field("object")?, depth + 1)?;
            let SdkKind::Dict(object) = dict.kind else {
                return None;
            };
            return Some(SdkValue {
                kind: SdkKind::Object(object),
                ..dict
            });
        }
        // `for url, p in pairs` over a list of `(key, obj)` pairs.
        if let Some(value) = self.value_of(iterable, depth + 1) {
            return match value.kind {
                SdkKind::KeyedList(o) if arity == 2 && position == 1 => Some(SdkValue {
                    kind: SdkKind::Object(o),
                    ..value
                }),
                _ => None,
            };
        }
        // The part at `position` of a tuple of `arity` parts.
        let part = |item: Node<'t>| -> Option<Node<'t>> {
            let item = if item.ty() == "parenthesized_expression" {
                item.named_child(0)?
            } else {
                item
            };
            (item.ty() == "tuple" && item.named_child_count() == arity)
                .then(|| item.named_child(position))
                .flatten()
        };
        let parts: Option<Vec<Node<'t>>> = match iterable.ty() {
            "list" | "tuple" => {
                let mut cursor = iterable.walk();
                let items: Vec<Node<'t>> = iterable.named_children(&mut cursor).collect();
                items.into_iter().map(part).collect()
            }
            // `pairs = []` filled only by `pairs.append((key, p))` in its scope.
            "identifier" => {
                let name = self.source.str(iterable);
                let (scope, ids) = self.lookup(&name, self.scope_at(iterable))?;
                let [id] = ids else { return None };
                let BindingKind::Assign(value) = self.bindings[*id].kind else {
                    return None;
                };
                if value.ty() != "list" || value.named_child_count() != 0 {
                    return None;
                }
                let appended = self.stored_into(self.appends.get(&name)?, &name, scope);
                if appended.iter().any(|a| self.scope_at(*a) != scope) {
                    return None;
                }
                appended.iter().map(|a| part(*a)).collect()
            }
            _ => None,
        };
        let parts = parts?;
        if parts.is_empty() {
            return None;
        }
        self.container_of(&parts, |_| true, SdkKind::Object, true, depth + 1)
    }

    /// `d = {}` filled only by `d[key] = obj`, all objects of one kind.
    pub(in crate::semantic) fn dict_of(
        &self,
        name: &str,
        scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        // The stores into this `d`, not into another function's `d` of the same name.
        let values = self.stored_into(self.dict_sets.get(name)?, name, scope);
        self.container_of(&values, |_| true, SdkKind::Dict, true, depth)
    }

    /// `self.jobs = {}` filled only by `self.jobs[key] = obj` in methods of the same class.
    pub(in crate::semantic) fn dict_attribute(
        &self,
        self_name: &str,
        attr: &str,
        class_scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        let values = self.dict_sets.get(&format!("{self_name}.{attr}"))?;
        let in_class = |value: Node<'t>| {
            self.method_scope(self.scope_at(value)).map(|(_, c)| c) == Some(class_scope)
        };
        self.container_of(values, in_class, SdkKind::Dict, true, depth)
    }

    /// `self.xs = []` filled only by `self.xs.append(obj)` in methods of the same class.
    pub(in crate::semantic) fn appended_attribute(
        &self,
        self_name: &str,
        attr: &str,
        class_scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        let args = self.appends.get(&format!("{self_name}.{attr}"))?;
        let in_class = |arg: Node<'t>| {
            self.method_scope(self.scope_at(arg)).map(|(_, c)| c) == Some(class_scope)
        };
        self.container_of(args, in_class, SdkKind::List, false, depth)
    }

    /// `xs = []` filled only by `xs.append(obj)` in the same scope, all of one v1 kind.
    pub(in crate::semantic) fn appended_list(
        &self,
        name: &str,
        scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        // Appends in this scope to this list (another function's list of the same name is
        // another list; a nested function's append to this one makes its kind unknown).
        let args = self.stored_into(self.appends.get(name)?, name, scope);
        self.container_of(
            &args,
            |arg| self.scope_at(arg) == scope,
            SdkKind::List,
            false,
            depth,
        )
    }

    /// The stored values (`d[k] = v`, `xs.append(v)`) whose `name` is the one bound in `scope`.
    fn stored_into(&self, values: &[Node<'t>], name: &str, scope: usize) -> Vec<Node<'t>> {
        values
            .iter()
            .copied()
            .filter(|v| self.lookup(name, self.scope_at(*v)).map(|(s, _)| s) == Some(scope))
            .collect()
    }

    /// The kind `wrap(kind)` when every stored value (each passing `belongs`) is a v1 object of
    /// one kind from one client. A list that also holds instances of one class of the file
    /// (`jobs.append(LocalJob(...))` beside `jobs.append(prediction)`) is a `MixedList`, whose
    /// client is the objects' common one.
    pub(in crate::semantic) fn container_of(
        &self,
        values: &[Node<'t>],
        belongs: impl Fn(Node<'t>) -> bool,
        wrap: fn(crate::semantic::ObjectKind) -> SdkKind,
        assumed: bool,
        depth: usize,
    ) -> Option<SdkValue> {
        let is_list = matches!(
            wrap(crate::semantic::ObjectKind::Prediction),
            SdkKind::List(_)
        );
        let mut objects: Vec<SdkValue> = Vec::new();
        let mut local: Option<usize> = None;
        let mut same_class = |class: usize| match local {
            None => {
                local = Some(class);
                true
            }
            Some(c) => c == class,
        };
        for value in values {
            if !belongs(*value) {
                return None;
            }
            let v = match self.resolve_depth(*value, depth + 1) {
                Resolved::Member { value, path, .. } if path.is_empty() => value,
                Resolved::Instance { class, .. } if is_list => {
                    if !same_class(class.start_byte()) {
                        return None;
                    }
                    continue;
                }
                // `LocalJob(...)`: a new instance of the file's class.
                _ => match self.instance_class(*value, depth + 1) {
                    Some(class) if is_list && same_class(class.start_byte()) => continue,
                    _ => return None,
                },
            };
            let kind = match v.kind {
                SdkKind::Object(kind) => kind,
                SdkKind::Mixed(kind, class) if is_list && same_class(class) => kind,
                _ => return None,
            };
            objects.push(SdkValue {
                kind: wrap(kind),
                assumed: v.assumed || assumed,
                ..v
            });
        }
        let first = objects.first()?.clone();
        let Some(class) = local else {
            return objects.iter().all(|v| *v == first).then_some(first);
        };
        if objects
            .iter()
            .any(|v| v.kind != first.kind || v.v2 != first.v2)
        {
            return None;
        }
        let SdkKind::List(o) = first.kind else {
            return None;
        };
        Some(SdkValue {
            kind: SdkKind::MixedList(o, class),
            client: objects
                .iter()
                .all(|v| v.client == first.client)
                .then(|| first.client.clone())
                .flatten(),
            assumed: objects.iter().any(|v| v.assumed),
            v2: first.v2,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::{describe_at, describe_in, value_in};

    const GET: &str = "replicate.predictions.get(prediction_id='a')";

    #[test]
    fn a_list_of_objects_of_one_kind_is_a_list_of_that_kind() {
        let code = format!("import replicate\nxs = [{GET}, {GET}]\nxs\n");
        assert_eq!(describe_in(&code, "\nxs\n", "xs"), "list(prediction)");
        let comprehension =
            "import replicate\nxs = [replicate.predictions.get(prediction_id=i) for i in ids]\nxs\n";
        assert_eq!(
            describe_in(comprehension, "\nxs\n", "xs"),
            "list(prediction)"
        );
        // Decoys: two kinds, an object and a plain value, an empty literal nothing fills.
        let mixed = format!("import replicate\nxs = [{GET}, replicate.models.get('m')]\nxs\n");
        assert_eq!(describe_in(&mixed, "\nxs\n", "xs"), "unknown");
        let plain = format!("import replicate\nxs = [{GET}, 1]\nxs\n");
        assert_eq!(describe_in(&plain, "\nxs\n", "xs"), "unknown");
        let empty = "import replicate\nxs = []\nxs\n";
        assert_eq!(describe_in(empty, "\nxs\n", "xs"), "unknown");
    }

    #[test]
    fn a_list_filled_by_append_in_its_scope() {
        let code = format!("import replicate\nxs = []\nxs.append({GET})\nxs\n");
        assert_eq!(describe_in(&code, "\nxs\n", "xs"), "list(prediction)");
        // Decoys: another append of a plain value; an append (even of the same kind) from a
        // nested function.
        let plain = format!("import replicate\nxs = []\nxs.append({GET})\nxs.append(1)\nxs\n");
        assert_eq!(describe_in(&plain, "\nxs\n", "xs"), "unknown");
        let nested = format!(
            "import replicate\nxs = []\nxs.append({GET})\ndef more():\n    xs.append({GET})\nxs\n"
        );
        assert_eq!(describe_in(&nested, "\nxs\n", "xs"), "unknown");
        // Another function's list of the same name is another list.
        let other = format!("import replicate\nxs = []\nxs.append({GET})\ndef more():\n    xs = []\n    xs.append(2)\nxs\n");
        assert_eq!(describe_in(&other, "\nxs\n", "xs"), "list(prediction)");
    }

    #[test]
    fn a_dict_filled_by_subscript_stores() {
        let code = format!("import replicate\njobs = {{}}\njobs['a'] = {GET}\njobs\njobs['a']\n");
        assert_eq!(describe_in(&code, "\njobs\n", "jobs"), "dict(prediction)");
        assert_eq!(describe_at(&code, "jobs['a']"), "prediction");
        // A dict's objects are assumed (v1's methods changed the object it still holds).
        assert!(value_in(&code, "\njobs\n", "jobs").unwrap().assumed);
        // Decoy: a store of another kind.
        let mixed =
            format!("import replicate\njobs = {{}}\njobs['a'] = {GET}\njobs['b'] = 'x'\njobs\n");
        assert_eq!(describe_in(&mixed, "\njobs\n", "jobs"), "unknown");
    }

    #[test]
    fn subscripts_take_an_element_of_lists_and_pages() {
        let code = format!(
            "import replicate\nxs = [{GET}]\nxs[0]\npage = replicate.models.list()\npage[1]\n"
        );
        assert_eq!(describe_at(&code, "xs[0]"), "prediction");
        assert_eq!(describe_at(&code, "page[1]"), "model");
        // Decoys: a subscript of a single object, and of a client.
        let object = format!("import replicate\np = {GET}\np['id']\n");
        assert_eq!(describe_at(&object, "p['id']"), "unknown");
        let client = "import replicate\nc = replicate.Client()\nc['x']\n";
        assert_eq!(describe_at(client, "c['x']"), "unknown");
    }

    #[test]
    fn iterating_unpacks_dict_items_and_keyed_pairs() {
        let code = format!("import replicate\njobs = {{}}\njobs['a'] = {GET}\nfor key, p in jobs.items():\n    p\n    key\n");
        assert_eq!(describe_in(&code, "    p\n", "p"), "prediction");
        // Decoys: the key, and `values()` unpacked as pairs.
        assert_eq!(describe_in(&code, "    key\n", "key"), "unknown");
        let values = code.replace("jobs.items()", "jobs.values()");
        assert_eq!(describe_in(&values, "    p\n", "p"), "unknown");
        let pairs = format!("import replicate\npairs = []\npairs.append(('u', {GET}))\nfor url, p in pairs:\n    p\n    url\n");
        assert_eq!(describe_in(&pairs, "    p\n", "p"), "prediction");
        assert_eq!(describe_in(&pairs, "    url\n", "url"), "unknown");
    }

    #[test]
    fn a_pair_keyed_by_its_first_item() {
        let code = format!("import replicate\ndef tag(u):\n    return u, {GET}\ntag('x')\n");
        assert_eq!(describe_at(&code, "tag('x')"), "keyed(prediction)");
        // Decoy: the object first.
        let swapped = format!("import replicate\ndef tag(u):\n    return {GET}, u\ntag('x')\n");
        assert_eq!(describe_at(&swapped, "tag('x')"), "unknown");
    }

    #[test]
    fn an_item_of_a_field_declared_a_container_of_the_files_class_is_an_instance() {
        let code = "import replicate\nfrom dataclasses import dataclass, field\nfrom typing import Optional\nfrom replicate.file import File\n@dataclass\nclass Asset:\n    remote: Optional[File] = None\n@dataclass\nclass Library:\n    assets: dict[str, Asset] = field(default_factory=dict)\n    def caption(self, key):\n        asset = self.assets[key]\n        return asset.remote\n";
        assert_eq!(describe_at(code, "self.assets[key]"), "instance Asset");
        assert_eq!(describe_at(code, "asset.remote"), "file");
        let listed = code.replace("dict[str, Asset]", "List[Asset]");
        assert_eq!(describe_at(&listed, "self.assets[key]"), "instance Asset");
        // Decoys: a container of another type, an attribute assigned something else, a slice,
        // and the field read through another name than `self`.
        let other = code.replace("dict[str, Asset]", "dict[str, str]");
        assert_eq!(describe_at(&other, "self.assets[key]"), "unknown");
        let assigned = code.replace(
            "    def caption(self, key):\n",
            "    def load(self):\n        self.assets = load_all()\n    def caption(self, key):\n",
        );
        assert_eq!(describe_at(&assigned, "self.assets[key]"), "unknown");
        let sliced = code.replace("self.assets[key]", "self.assets[1:]");
        assert_eq!(describe_at(&sliced, "self.assets[1:]"), "unknown");
        let outside = format!("{code}lib = Library()\nlib.assets['a']\n");
        assert_eq!(describe_at(&outside, "lib.assets['a']"), "unknown");
    }
}
