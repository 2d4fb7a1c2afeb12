//! Containers of v1 objects: `d = {}` filled by `d[k] = obj`, lists filled by `append`.

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
        let Some(value) = node.child_by_field_name("value") else {
            return Resolved::Unknown;
        };
        match self.resolve_depth(value, depth + 1) {
            Resolved::Member {
                value: held, path, ..
            } if path.is_empty() => {
                let sliced = node
                    .child_by_field_name("subscript")
                    .is_some_and(|k| k.kind() == "slice");
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
            _ => Resolved::Unknown,
        }
    }

    /// `[make(q) for q in qs]` and `[a, b]` hold objects of one kind (or, with instances of one
    /// class of the file among them, are a `MixedList`).
    pub(in crate::semantic) fn resolve_list(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        let elements: Vec<Node<'t>> = if node.kind() == "list" {
            let mut cursor = node.walk();
            node.named_children(&mut cursor).collect()
        } else {
            node.child_by_field_name("body").into_iter().collect()
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
        if iterable.kind() == "call" {
            let callee = iterable.child_by_field_name("function")?;
            let no_args = iterable
                .child_by_field_name("arguments")
                .is_some_and(|a| a.named_child_count() == 0);
            if callee.kind() != "attribute" || !no_args || arity != 2 || position != 1 {
                return None;
            }
            let attr = callee.child_by_field_name("attribute")?;
            if self.source.str(attr) != "items" {
                return None;
            }
            let dict = self.value_of(callee.child_by_field_name("object")?, depth + 1)?;
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
            let item = if item.kind() == "parenthesized_expression" {
                item.named_child(0)?
            } else {
                item
            };
            (item.kind() == "tuple" && item.named_child_count() == arity)
                .then(|| item.named_child(position))
                .flatten()
        };
        let parts: Option<Vec<Node<'t>>> = match iterable.kind() {
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
                if value.kind() != "list" || value.named_child_count() != 0 {
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
