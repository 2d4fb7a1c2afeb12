//! Parameters: their SDK annotation, or the values every call site in the file passes.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::binding::BindingKind;
use super::super::kinds::{SdkKind, SdkValue};
use super::super::scope::ScopeKind;
use super::super::SemanticModel;
use super::{Resolved, MAX_DEPTH};
use crate::syntax::{simple_text, unsplat, CallArgs};

impl<'t> SemanticModel<'t> {
    /// What a parameter holds: from an SDK annotation, or else from every call of its function
    /// in this file when they all agree, or else from its default. Either way the value is
    /// `assumed`: another module may call the function with something else, and rebinding the
    /// parameter does not update the caller's object.
    pub(in crate::semantic) fn param_value(
        &self,
        function: Node<'t>,
        position: usize,
        name: &str,
        annotation: Option<Node<'t>>,
        default: Option<Node<'t>>,
        depth: usize,
    ) -> Option<SdkValue> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(annotation) = annotation {
            let (kind, v2) = self.annotation_value(annotation, depth + 1)?;
            let annotated = SdkValue {
                kind,
                client: (kind == SdkKind::Client).then(|| name.to_string()),
                assumed: kind != SdkKind::Client,
                v2,
            };
            // The call sites may also tell which client made the object.
            return match self.param_value_from_calls(function, position, name, depth) {
                Some(v) if v.kind == annotated.kind && kind != SdkKind::Client => Some(v),
                // `Union[Prediction, LocalJob]` passed predictions: still either, by their client.
                Some(v) if matches!(kind, SdkKind::Mixed(o, _) if v.kind == SdkKind::Object(o)) => {
                    Some(SdkValue {
                        client: v.client,
                        ..annotated
                    })
                }
                _ => Some(annotated),
            };
        }
        if let Some(from_calls) = self.param_value_from_calls(function, position, name, depth) {
            return Some(from_calls);
        }
        // `def test_x(client)` with `@pytest.fixture def client(): ...` in the file: what the
        // fixture returns or yields (pytest passes it; another conftest.py could override it).
        let takes_fixtures = function.ty() == "function_definition"
            && (function
                .field("name")
                .is_some_and(|n| self.source.str(n).starts_with("test"))
                || self.fixture(&self.source.str(function.field("name")?)) == Some(function));
        if let Some(fixture) = self.fixture(name).filter(|f| *f != function) {
            if takes_fixtures {
                let value = self.return_value_at(
                    fixture,
                    super::calls::Caller::Fixture(function),
                    depth + 1,
                )?;
                return Some(SdkValue {
                    client: if value.kind == SdkKind::Client {
                        Some(name.to_string())
                    } else {
                        value.client
                    },
                    assumed: true,
                    ..value
                });
            }
        }
        // A fixture of a conftest.py above (when the file has none of that name).
        if let Some(value) = self.context.fixtures.get(name) {
            // A module-level name of its own (an imported fixture, a def) may override it.
            if takes_fixtures && !self.scopes[0].bindings.contains_key(name) {
                let client = match value.kind {
                    SdkKind::Client => Some(name.to_string()),
                    // The object's client is another fixture: the test's, if it takes it.
                    _ => value
                        .client
                        .clone()
                        .filter(|c| self.has_parameter(function, c.split('.').next().unwrap_or(c))),
                };
                return Some(SdkValue {
                    client,
                    assumed: true,
                    ..value.clone()
                });
            }
        }
        // `def run(prompt, client=replicate.Client())`, `api=replicate`: the default's kind.
        let default = default.filter(|d| d.ty() != "none")?;
        let value = match self.resolve_depth(default, depth + 1) {
            Resolved::Member { value, path, .. } if path.is_empty() => value,
            Resolved::Sdk { path, .. } if path.len() == 1 => SdkValue {
                kind: SdkKind::Client,
                client: None,
                assumed: false,
                v2: self.file_is_v2,
            },
            _ => return None,
        };
        Some(SdkValue {
            client: (value.kind == SdkKind::Client).then(|| name.to_string()),
            assumed: true,
            ..value
        })
    }

    /// The v1 kind an annotation names: an SDK class (`Prediction`, `replicate.Client`, the v2
    /// names the import fixes write), also inside `Optional[...]`, `X | None`, `Union[X, None]`,
    /// a string (`"Prediction"`), or a list of objects (`List[Prediction]`). With whether the
    /// name is v2's.
    pub(in crate::semantic) fn annotation_value(
        &self,
        annotation: Node<'t>,
        depth: usize,
    ) -> Option<(SdkKind, bool)> {
        if depth > MAX_DEPTH {
            return None;
        }
        match annotation.ty() {
            // The grammar wraps the annotation's expression in a `type` node.
            "type" | "parenthesized_expression" => {
                self.annotation_value(annotation.named_child(0)?, depth + 1)
            }
            "string" => {
                let literal = crate::syntax::string_literal(self.source, annotation)?;
                let mut parts = literal.content.split('.').map(str::trim);
                let first = parts.next()?;
                let (_, ids) = self.lookup(first, self.scope_at(annotation))?;
                let [id] = ids else { return None };
                let binding = &self.bindings[*id];
                let mut path = binding.qualified.clone().filter(|_| binding.is_import())?;
                path.extend(parts.map(str::to_string));
                annotation_kind(&super::super::normalize(path))
            }
            // `Prediction | None`, `LocalJob | Prediction`
            "binary_operator" => {
                let left = annotation.field("left")?;
                let right = annotation.field("right")?;
                match (left.ty(), right.ty()) {
                    (_, "none") => self.annotation_value(left, depth + 1),
                    ("none", _) => self.annotation_value(right, depth + 1),
                    _ => self.mixed_annotation(&[left, right], depth),
                }
            }
            // `Optional[X]`, `Union[X, None]`, `List[X]`, `list[X]`, `Iterator[X]`.
            "generic_type" | "subscript" => {
                let (generic, args) = generic_parts(annotation)?;
                let generic = self.source.str(generic);
                let last = generic.rsplit('.').next().unwrap_or(&generic);
                let non_none: Vec<Node<'t>> = args
                    .into_iter()
                    .filter(|a| a.ty() != "none" && self.source.str(*a) != "None")
                    .collect();
                match (last, non_none.as_slice()) {
                    ("Optional" | "Union", [one]) => self.annotation_value(*one, depth + 1),
                    ("Union", [_, _]) => self.mixed_annotation(&non_none, depth),
                    (
                        "List" | "list" | "Sequence" | "Iterable" | "Iterator" | "Generator"
                        | "AsyncIterator" | "AsyncGenerator",
                        [item, ..],
                    ) => match self.annotation_value(*item, depth + 1)? {
                        (SdkKind::Object(o), v2) => Some((SdkKind::List(o), v2)),
                        (SdkKind::Mixed(o, c), v2) => Some((SdkKind::MixedList(o, c), v2)),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => match self.resolve_depth(annotation, depth + 1) {
                Resolved::Sdk { path, .. } => annotation_kind(&path),
                _ => None,
            },
        }
    }

    /// `Union[LocalJob, Prediction]`: an SDK object or an instance of the file's class.
    fn mixed_annotation(&self, parts: &[Node<'t>], depth: usize) -> Option<(SdkKind, bool)> {
        let [a, b] = parts else { return None };
        let local = |n: Node<'t>| match self.resolve_depth(unquoted(n)?, depth + 1) {
            Resolved::Class(c) => Some(c.start_byte()),
            _ => self.foreign_class(unquoted(n)?),
        };
        let (object, class) = match (local(*a), local(*b)) {
            (Some(c), None) => (*b, c),
            (None, Some(c)) => (*a, c),
            _ => return None,
        };
        match self.annotation_value(object, depth + 1)? {
            (SdkKind::Object(o), v2) => Some((SdkKind::Mixed(o, class), v2)),
            _ => None,
        }
    }

    /// A module-level name bound once to a class from elsewhere (`LocalJob = queue.Queue`,
    /// `from queue import Queue`): the start of that binding, which keys it in a `Mixed` kind
    /// as a class of the file's is keyed by its definition. Never the SDK's or the file's own.
    pub(in crate::semantic) fn foreign_class(&self, node: Node<'t>) -> Option<usize> {
        if node.ty() != "identifier" {
            return None;
        }
        let (scope, ids) = self.lookup(&self.source.str(node), self.scope_at(node))?;
        let [id] = ids else { return None };
        let binding = &self.bindings[*id];
        if scope != 0 || binding.scope != 0 {
            return None;
        }
        let foreign = match binding.kind {
            BindingKind::Import | BindingKind::FromImport => binding
                .qualified
                .as_ref()
                .is_some_and(|q| q.first().is_some_and(|m| m != "replicate")),
            BindingKind::Assign(value) => {
                value.ty() == "attribute"
                    && crate::syntax::simple_receiver(value)
                    && matches!(self.resolve_depth(value, 1), Resolved::Unknown)
                    && {
                        let root = self.source.str(value);
                        let root = root.split('.').next().unwrap_or_default();
                        self.lookup(root, 0).is_some_and(|(s, ids)| {
                            s == 0
                                && ids.iter().all(|i| {
                                    let b = &self.bindings[*i];
                                    b.is_import()
                                        && b.qualified.as_ref().is_some_and(|q| {
                                            q.first().is_some_and(|m| m != "replicate")
                                        })
                                })
                        })
                    }
            }
            _ => false,
        };
        foreign
            .then(|| binding.site.map(|s| s.start_byte()))
            .flatten()
    }

    pub(in crate::semantic) fn param_value_from_calls(
        &self,
        function: Node<'t>,
        position: usize,
        name: &str,
        depth: usize,
    ) -> Option<SdkValue> {
        if function.ty() != "function_definition"
            || function
                .parent()
                .is_some_and(|p| p.ty() == "decorated_definition")
        {
            return None;
        }
        let fname = self.source.str(function.field("name")?);
        // A method is called as `instance.method(...)`; its `self` takes no argument.
        let method_class = self.method_class(function);
        let (calls, position) = match method_class {
            Some(_) if position == 0 => return None,
            Some(_) => (self.attr_calls.get(&fname)?, position - 1),
            None if self.scopes[self.scope_at(function)].kind == ScopeKind::Class => return None,
            None => (self.calls_by_name.get(&fname)?, position),
        };
        // The function must only ever be called here, never passed around.
        if self.name_uses.get(&fname).copied().unwrap_or(0) != calls.len() + 1 {
            return None;
        }
        let own_params: Vec<String> = function
            .field("parameters")
            .map(|p| {
                let mut cursor = p.walk();
                p.named_children(&mut cursor)
                    .filter_map(|c| match c.ty() {
                        "identifier" => Some(self.source.str(c)),
                        _ => c.field("name").map(|n| self.source.str(n)),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut agreed: Option<SdkValue> = None;
        for call in calls {
            let callee = unsplat(call.field("function")?);
            // `prediction.cancel()` inside `def cancel(self, prediction)` calls the SDK object's
            // method, not this one.
            let on_own_param = method_class.is_some()
                && call.start_byte() >= function.start_byte()
                && call.end_byte() <= function.end_byte()
                && callee.field("object").is_some_and(|o| {
                    o.ty() == "identifier" && own_params.contains(&self.source.str(o))
                });
            if on_own_param {
                continue;
            }
            match self.resolve_depth(callee, depth + 1) {
                Resolved::Function(def) if def == function => {}
                Resolved::Method { def, .. } if def == function => {}
                _ => return None,
            }
            let args = CallArgs::new(self.source, *call)?;
            if args.unpacking {
                return None;
            }
            let arg = match args.positional.get(position) {
                Some(a) => *a,
                None => args.keyword(name)?.1,
            };
            let mut value = self.value_of(arg, depth + 1)?;
            if value.kind == SdkKind::Client {
                value.client = Some(name.to_string());
            } else if let Some(client) = value.client.clone() {
                // `run(c, p)` with `p` made by `c`: inside the function that client is the
                // parameter `c` was passed as.
                let offset = usize::from(method_class.is_some());
                let passed_as = args.positional.iter().enumerate().find_map(|(i, a)| {
                    (self.source.str(*a) == client)
                        .then(|| own_params.get(i + offset).cloned())
                        .flatten()
                });
                let passed_as = passed_as.or_else(|| {
                    args.keywords
                        .iter()
                        .find(|k| self.source.str(k.value) == client)
                        .map(|k| k.name_str().into_owned())
                });
                if let Some(param) = passed_as {
                    value.client = Some(param);
                }
            }
            // `gen.wait_for(p)` with `p` made by `gen.client`: inside the method that client
            // is `self.client`.
            if method_class.is_some() {
                let receiver = callee
                    .field("object")
                    .and_then(|o| simple_text(self.source, o));
                let self_name = self
                    .scopes
                    .get(*self.scope_of_node.get(&function.id())?)
                    .and_then(|s| s.method_of.as_ref().map(|(n, _)| n.clone()));
                value.client = match (value.client.take(), receiver, self_name) {
                    (Some(c), Some(r), Some(s)) => c
                        .strip_prefix(&format!("{r}."))
                        .map(|rest| format!("{s}.{rest}"))
                        .or_else(|| {
                            // A module-level client is reachable from the method as it is.
                            let root = c.split('.').next().unwrap_or(&c);
                            (self.lookup(root, 0).is_some()).then_some(c.clone())
                        }),
                    (c, _, _) => c,
                };
            }
            value.assumed = true;
            match &agreed {
                None => agreed = Some(value),
                Some(a) if *a == value => {}
                Some(_) => return None,
            }
        }
        agreed
    }
}

/// The generic and its arguments in `List[X]` (a `generic_type` in annotations, a `subscript`
/// in expressions).
pub(in crate::semantic) fn generic_parts(node: Node) -> Option<(Node, Vec<Node>)> {
    if node.ty() == "subscript" {
        let value = node.field("value")?;
        let mut cursor = node.walk();
        let args: Vec<Node> = node
            .children_by_field_name("subscript", &mut cursor)
            .flat_map(|a| {
                if a.ty() == "tuple" {
                    let mut c = a.walk();
                    a.named_children(&mut c).collect::<Vec<_>>()
                } else {
                    vec![a]
                }
            })
            .collect();
        return Some((value, args));
    }
    let generic = node.named_child(0)?;
    let params = node.named_child(1)?;
    let mut cursor = params.walk();
    let args: Vec<Node> = params
        .named_children(&mut cursor)
        .map(|a| {
            if a.ty() == "type" {
                a.named_child(0).unwrap_or(a)
            } else {
                a
            }
        })
        .collect();
    Some((generic, args))
}

/// The kind an SDK class path names: v1 names, and the v2 names our import fixes write (so a
/// fixed annotation keeps the v1 calls made on the parameter visible), with whether it is v2's.
pub(in crate::semantic) fn annotation_kind(path: &[String]) -> Option<(SdkKind, bool)> {
    use crate::semantic::ObjectKind::*;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    if path.first() != Some(&"replicate") {
        return None;
    }
    Some(match &path[1..] {
        ["Client"] => (SdkKind::Client, false),
        ["Replicate"] | ["AsyncReplicate"] => (SdkKind::Client, true),
        ["prediction", "Prediction"] => (SdkKind::Object(Prediction), false),
        ["types", "Prediction"] => (SdkKind::Object(Prediction), true),
        ["training", "Training"] => (SdkKind::Object(Training), false),
        ["types", "TrainingGetResponse"] => (SdkKind::Object(Training), true),
        ["model", "Model"] => (SdkKind::Object(Model), false),
        ["types", "ModelGetResponse"] => (SdkKind::Object(Model), true),
        ["version", "Version"] => (SdkKind::Object(Version), false),
        ["types", "models", "VersionGetResponse"] => (SdkKind::Object(Version), true),
        ["deployment", "Deployment"] => (SdkKind::Object(Deployment), false),
        ["types", "DeploymentGetResponse"] => (SdkKind::Object(Deployment), true),
        ["collection", "Collection"] => (SdkKind::Object(Collection), false),
        ["types", "CollectionGetResponse"] => (SdkKind::Object(Collection), true),
        ["file", "File"] => (SdkKind::Object(File), false),
        ["types", "FileGetResponse"] => (SdkKind::Object(File), true),
        // v1's HTTP error; v2's `APIStatusError` is what the import fix writes for it.
        ["exceptions", "ReplicateError"] => (SdkKind::Object(ApiError), false),
        ["exceptions" | "_exceptions", "APIStatusError"] | ["APIStatusError"] => {
            (SdkKind::Object(ApiError), true)
        }
        _ => return None,
    })
}

/// The expression of an annotation, without the grammar's `type` wrapper; `None` for a string
/// (a forward reference to a class is not resolved here).
fn unquoted(node: Node) -> Option<Node> {
    match node.ty() {
        "type" => unquoted(node.named_child(0)?),
        "string" => None,
        _ => Some(node),
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::{describe_at, describe_in, kind_in, value_in};

    #[test]
    fn an_sdk_annotation_gives_the_parameter_its_kind() {
        let code = "import replicate\ndef f(p: replicate.prediction.Prediction):\n    return p\n";
        assert_eq!(
            kind_in(code, "return p", "p").as_deref(),
            Some("prediction")
        );
        let value = value_in(code, "return p", "p").unwrap();
        assert!(value.assumed && !value.v2);
        let client = "import replicate\ndef f(c: replicate.Client):\n    return c\n";
        let value = value_in(client, "return c", "c").unwrap();
        assert_eq!(value.client.as_deref(), Some("c"));
        // Decoys: a name the SDK does not have, and a class of this file called `Prediction`.
        let missing = "import replicate\ndef f(p: replicate.prediction.Other):\n    return p\n";
        assert_eq!(kind_in(missing, "return p", "p"), None);
        let local =
            "import replicate\nclass Prediction:\n    pass\ndef f(p: Prediction):\n    return p\n";
        assert_eq!(kind_in(local, "return p", "p"), None);
    }

    #[test]
    fn v2_annotations_are_marked_v2() {
        let code = "import replicate\nfrom replicate.types import Prediction\ndef f(p: Prediction):\n    return p\n";
        let value = value_in(code, "return p", "p").unwrap();
        assert_eq!(describe_in(code, "return p", "p"), "prediction");
        assert!(value.v2);
        let v1 = "import replicate\nfrom replicate.prediction import Prediction\ndef f(p: Prediction):\n    return p\n";
        assert!(!value_in(v1, "return p", "p").unwrap().v2);
    }

    #[test]
    fn a_string_annotation_names_an_imported_class() {
        let code = "import replicate\nfrom replicate.prediction import Prediction\ndef f(p: \"Prediction\"):\n    return p\n";
        assert_eq!(
            kind_in(code, "return p", "p").as_deref(),
            Some("prediction")
        );
        let dotted = "import replicate\ndef f(p: 'replicate.model.Model'):\n    return p\n";
        assert_eq!(kind_in(dotted, "return p", "p").as_deref(), Some("model"));
        // Decoys: the string names a class of this file, or an unbound name.
        let local = "import replicate\nclass Prediction:\n    pass\ndef f(p: \"Prediction\"):\n    return p\n";
        assert_eq!(kind_in(local, "return p", "p"), None);
        let unbound = "import replicate\ndef f(p: \"Prediction\"):\n    return p\n";
        assert_eq!(kind_in(unbound, "return p", "p"), None);
    }

    #[test]
    fn optional_union_and_list_annotations_unwrap() {
        let with = |ann: &str| {
            let code = format!("import replicate\nfrom typing import Optional, Union, List, Dict\nfrom replicate.prediction import Prediction\ndef f(p: {ann}):\n    return p\n");
            describe_in(&code, "return p", "p")
        };
        assert_eq!(with("Optional[Prediction]"), "prediction");
        assert_eq!(with("Prediction | None"), "prediction");
        assert_eq!(with("Union[Prediction, None]"), "prediction");
        assert_eq!(with("List[Prediction]"), "list(prediction)");
        assert_eq!(with("list[\"Prediction\"]"), "list(prediction)");
        // Decoys: a union of two types, a dict, `Optional` of a plain type.
        assert_eq!(with("Union[Prediction, str]"), "unknown");
        assert_eq!(with("Prediction | str"), "unknown");
        assert_eq!(with("Dict[str, Prediction]"), "unknown");
        assert_eq!(with("Optional[str]"), "unknown");
    }

    #[test]
    fn a_default_value_gives_the_kind() {
        let code =
            "import replicate\ndef f(prompt, client=replicate.Client()):\n    return client\n";
        let value = value_in(code, "return client", "client").unwrap();
        assert_eq!(describe_in(code, "return client", "client"), "client");
        assert_eq!(value.client.as_deref(), Some("client"));
        assert!(value.assumed);
        let module = "import replicate\ndef f(prompt, api=replicate):\n    return api\n";
        assert_eq!(describe_in(module, "return api", "api"), "client");
        // Decoys: a `None` default, and a default of no SDK kind.
        let none = "import replicate\ndef f(prompt, client=None):\n    return client\n";
        assert_eq!(describe_in(none, "return client", "client"), "unknown");
        let other = "import replicate\ndef f(prompt, client=make()):\n    return client\n";
        assert_eq!(describe_in(other, "return client", "client"), "unknown");
    }

    #[test]
    fn call_sites_that_agree_give_the_kind() {
        let code = "import replicate\ndef finish(tag, p):\n    return p\nfinish('a', replicate.predictions.get(prediction_id='x'))\nfinish('b', p=replicate.predictions.create(version='v', input={}))\n";
        assert_eq!(
            kind_in(code, "return p", "p").as_deref(),
            Some("prediction")
        );
        assert!(value_in(code, "return p", "p").unwrap().assumed);
        // Decoys: one call site passes something else; the parameter at another position.
        let disagree = format!("{code}finish('c', 3)\n");
        assert_eq!(kind_in(&disagree, "return p", "p"), None);
        let other_kind = format!("{code}finish('c', replicate.models.get('m'))\n");
        assert_eq!(kind_in(&other_kind, "return p", "p"), None);
        let tag = "import replicate\ndef finish(tag, p):\n    return tag\nfinish('a', replicate.predictions.get(prediction_id='x'))\n";
        assert_eq!(kind_in(tag, "return tag", "tag"), None);
    }

    #[test]
    fn a_method_parameter_takes_the_kind_from_calls_on_instances() {
        let code = "import replicate\nclass W:\n    def wait(self, p):\n        return p\nw = W()\nw.wait(replicate.predictions.get(prediction_id='x'))\n";
        assert_eq!(
            kind_in(code, "return p", "p").as_deref(),
            Some("prediction")
        );
        // Decoy: a decorated function may be called by its decorator with anything.
        let decorated = "import replicate\n@register\ndef finish(p):\n    return p\nfinish(replicate.predictions.get(prediction_id='x'))\n";
        assert_eq!(kind_in(decorated, "return p", "p"), None);
    }

    #[test]
    fn a_union_with_a_class_from_elsewhere_is_narrowed_by_isinstance() {
        let code = "import queue\nfrom typing import Union\nimport replicate\nfrom replicate.prediction import Prediction\nLocalJob = queue.Queue\ndef finish(job: Union[Prediction, LocalJob]):\n    if isinstance(job, LocalJob):\n        return job.get()\n    job.reload()\n";
        assert_eq!(describe_at(code, "job.reload"), "prediction.reload");
        assert_eq!(describe_at(code, "job.get"), "unknown");
        let imported = code
            .replace("LocalJob = queue.Queue\n", "")
            .replace("import queue\n", "from queue import Queue as LocalJob\n");
        assert_eq!(describe_at(&imported, "job.reload"), "prediction.reload");
        // Decoys: no test (either type: mixed, which no rule takes), a test of another class, a
        // name bound twice, and an SDK class under that name.
        let untested = code.replace(
            "    if isinstance(job, LocalJob):\n        return job.get()\n",
            "",
        );
        assert_eq!(
            describe_at(&untested, "job.reload"),
            "mixed(prediction).reload"
        );
        let other = code
            .replace(
                "LocalJob = queue.Queue\n",
                "LocalJob = queue.Queue\nOther = queue.LifoQueue\n",
            )
            .replace("isinstance(job, LocalJob)", "isinstance(job, Other)");
        assert_eq!(
            describe_at(&other, "job.reload"),
            "mixed(prediction).reload"
        );
        let twice = code.replace(
            "LocalJob = queue.Queue\n",
            "LocalJob = queue.Queue\nLocalJob = queue.LifoQueue\n",
        );
        assert_eq!(describe_at(&twice, "job.reload"), "unknown");
        let sdk = code.replace(
            "LocalJob = queue.Queue\n",
            "LocalJob = replicate.prediction.Prediction\n",
        );
        assert_eq!(describe_at(&sdk, "job.reload"), "unknown");
    }
}
