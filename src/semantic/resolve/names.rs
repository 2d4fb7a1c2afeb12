//! A name: the join of what the bindings that reach it hold, cached per set of bindings.

use crate::syntax::NodeExt;
use std::borrow::Cow;

use tree_sitter::Node;

use super::super::binding::{BindingId, BindingKind, Narrowing};
use super::super::kinds::{ObjectKind, SdkKind, SdkValue};
use super::super::{is_sdk, normalize, SemanticModel};
use super::{same_resolution, Cached, Resolved};

impl<'t> SemanticModel<'t> {
    /// The bindings that reach the name `node` (the flow analysis's answer where it has one,
    /// else every binding of the name in the scope that binds it), with that scope.
    pub(in crate::semantic) fn reaching_bindings(
        &self,
        node: Node<'t>,
    ) -> Option<(usize, Cow<'_, [BindingId]>)> {
        let name = self.source.str(node);
        let (scope, all) = self.lookup(&name, self.scope_at(node))?;
        match self.reaching.get(&node.id()) {
            Some(ids) => Some((scope, Cow::Owned(ids.to_vec()))),
            None => Some((scope, Cow::Borrowed(all))),
        }
    }

    pub(in crate::semantic) fn resolve_name(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        let Some((_, ids)) = self.reaching_bindings(node) else {
            return Resolved::Unknown;
        };
        let ids = ids.into_owned();
        if ids.is_empty() {
            return Resolved::Unknown;
        }
        // Uses reached by the same bindings resolve alike, so the answer is computed once per
        // set (unless a depth or fuel limit cut it short).
        if let Some(cached) = self.name_cache.borrow().get(&ids) {
            return self.rebase(cached, node);
        }
        if self.in_progress.borrow().contains(&ids) {
            self.hit_cycle.set(true);
            self.truncated.set(true);
            return Resolved::Unknown;
        }
        self.in_progress.borrow_mut().insert(ids.clone());
        let outer_truncated = self.truncated.replace(false);
        let name = self.source.str(node);
        let resolved = self.resolve_bindings(node, &name, &ids, depth);
        self.in_progress.borrow_mut().remove(&ids);
        let truncated = self.truncated.get();
        if !truncated {
            self.name_cache
                .borrow_mut()
                .insert(ids, Cached::of(&resolved));
        }
        self.truncated.set(outer_truncated || truncated);
        resolved
    }

    /// A binding that adds no kind of its own when others give one: `x = None`, a test that
    /// proved `x is None`, and a `client=None` parameter nothing is known about (the
    /// `if client is None: client = Client()` idiom).
    fn neutral(&self, id: BindingId) -> bool {
        let b = &self.bindings[id];
        b.is_none_literal()
            || b.is_none_default_param()
            || (matches!(b.kind, BindingKind::Narrowed(Narrowing::NotNone))
                && !b.narrowed.is_empty()
                && b.narrowed.iter().all(|id| self.neutral(*id)))
    }

    /// The join of what the bindings `ids` hold: they must agree (the same kind from several
    /// clients keeps the kind), except that neutral bindings add nothing, and a binding whose
    /// value leads back to this name (`page = page.get_next_page()`) adds nothing the others
    /// do not say.
    pub(in crate::semantic) fn resolve_bindings(
        &self,
        node: Node<'t>,
        name: &str,
        ids: &[BindingId],
        depth: usize,
    ) -> Resolved<'t> {
        let all_neutral = ids.iter().all(|id| self.neutral(*id));
        let mut result: Option<Resolved<'t>> = None;
        let mut skipped_neutral = false;
        for &id in ids {
            if !all_neutral && self.neutral(id) {
                skipped_neutral |= !self.bindings[id].is_none_literal();
                continue;
            }
            let outer_cycle = self.hit_cycle.replace(false);
            let this = self.resolve_binding(id, node, name, depth);
            let cycle = self.hit_cycle.get();
            self.hit_cycle.set(outer_cycle || cycle);
            if matches!(this, Resolved::Unknown) {
                if cycle {
                    continue;
                }
                return Resolved::Unknown;
            }
            result = match result {
                None => Some(this),
                Some(prev) => match join(prev, this) {
                    Some(joined) => Some(joined),
                    None => return Resolved::Unknown,
                },
            };
        }
        match result {
            // What a caller passes is taken to be what the fallback makes: an assumption.
            Some(Resolved::Member {
                mut value,
                base,
                path,
            }) if skipped_neutral => {
                value.assumed = true;
                Resolved::Member { value, base, path }
            }
            Some(r) => r,
            None => Resolved::Unknown,
        }
    }

    /// What one binding holds, seen at the use `node`.
    pub(in crate::semantic) fn resolve_binding(
        &self,
        id: BindingId,
        node: Node<'t>,
        name: &str,
        depth: usize,
    ) -> Resolved<'t> {
        let binding = &self.bindings[id];
        let member = |value: SdkValue| Resolved::Member {
            value,
            base: node,
            path: vec![],
        };
        match binding.kind {
            BindingKind::Import | BindingKind::FromImport => match &binding.qualified {
                Some(q) if is_sdk(q) => Resolved::Sdk {
                    path: normalize(q.clone()),
                    module_node: (q.len() == 1).then_some(node),
                },
                _ => Resolved::Unknown,
            },
            // `jobs = {}` filled by `jobs[key] = obj`, `xs = []` by `xs.append(obj)`:
            // containers of objects (a dict's are assumed: v1's methods changed the object the
            // dict still holds).
            BindingKind::Assign(value)
                if matches!(value.ty(), "dictionary" | "list")
                    && value.named_child_count() == 0 =>
            {
                let filled = if value.ty() == "dictionary" {
                    self.dict_of(name, binding.scope, depth + 1)
                } else {
                    self.appended_list(name, binding.scope, depth + 1)
                };
                filled.map_or(Resolved::Unknown, member)
            }
            BindingKind::Assign(value) => match self.resolve_depth(value, depth + 1) {
                Resolved::Member {
                    mut value, path, ..
                } if path.is_empty() => {
                    if value.kind == SdkKind::Client {
                        value.client = Some(name.to_string());
                    }
                    member(value)
                }
                // `rep = replicate`: the module under another name.
                Resolved::Sdk { path, .. } if path.len() == 1 => Resolved::Sdk {
                    path,
                    module_node: Some(node),
                },
                // `asset = self.assets[key]` (a field declared `dict[str, Asset]`), `b = a`:
                // an instance of a class of this file.
                Resolved::Instance { class, .. } => Resolved::Instance { class, base: node },
                // `gen = ImageGenerator(...)`: an instance of a class of this file.
                _ => match self.instance_class(value, depth + 1) {
                    Some(class) => Resolved::Instance { class, base: node },
                    None => self.callable_value(value, depth + 1),
                },
            },
            BindingKind::Loop(iter) => match self.value_of(iter, depth + 1) {
                Some(v) => match v.kind.element() {
                    Some(kind) => member(SdkValue { kind, ..v }),
                    None => Resolved::Unknown,
                },
                None => Resolved::Unknown,
            },
            BindingKind::Unpacked {
                iterable,
                pattern,
                position,
            } => self
                .unpacked_value(iterable, pattern.named_child_count(), position, depth + 1)
                .map_or(Resolved::Unknown, member),
            BindingKind::Def(def) => Resolved::Function(def),
            BindingKind::Class(class) => Resolved::Class(class),
            BindingKind::Except(exception) => self
                .except_value(exception, node, depth)
                .unwrap_or(Resolved::Unknown),
            BindingKind::Param {
                function,
                position,
                annotation,
                default,
            } => {
                if position == 0 {
                    if let Some(class) = self.method_class(function) {
                        return Resolved::Instance { class, base: node };
                    }
                    if let Some(class) = self.classmethod_class(function) {
                        return Resolved::Class(class);
                    }
                }
                if let Some(namespace) =
                    annotation.and_then(|a| self.annotated_namespace(a, depth + 1))
                {
                    return namespace;
                }
                match self.param_value(function, position, name, annotation, default, depth + 1) {
                    Some(value) => member(value),
                    None if default.is_some_and(|d| self.is_module_value(d, depth + 1)) => {
                        Resolved::Sdk {
                            path: vec!["replicate".to_string()],
                            module_node: Some(node),
                        }
                    }
                    None => Resolved::Unknown,
                }
            }
            BindingKind::Narrowed(narrowing) => {
                self.resolve_narrowed(id, narrowing, node, name, depth)
            }
            BindingKind::Other => Resolved::Unknown,
        }
    }

    /// A name seen through a test: `isinstance(x, C)` makes it a `C`; `not isinstance(x, C)`
    /// and `x is not None` keep the bindings that reached the test, less those the test rules
    /// out.
    fn resolve_narrowed(
        &self,
        id: BindingId,
        narrowing: Narrowing<'t>,
        node: Node<'t>,
        name: &str,
        depth: usize,
    ) -> Resolved<'t> {
        let base = &self.bindings[id].narrowed;
        match narrowing {
            Narrowing::IsNone => Resolved::Unknown,
            Narrowing::NotNone => {
                let kept: Vec<BindingId> = base
                    .iter()
                    .copied()
                    .filter(|b| !self.bindings[*b].is_none_literal())
                    .collect();
                self.resolve_bindings(node, name, &kept, depth + 1)
            }
            Narrowing::IsInstance(class) => match self.resolve_depth(class, depth + 1) {
                Resolved::Class(class) => Resolved::Instance { class, base: node },
                // v1's `FileOutput` is what both APIs returned: an async run's output (or item)
                // tested as one is still the async output, which v2 makes an `AsyncFileOutput`.
                Resolved::Sdk { path, .. } if is_file_output(&path) => {
                    match self.resolve_bindings(node, name, base, depth + 1) {
                        held @ Resolved::Member {
                            value:
                                SdkValue {
                                    kind: SdkKind::Object(ObjectKind::AsyncOutput),
                                    ..
                                },
                            ..
                        } => held,
                        _ => Resolved::Unknown,
                    }
                }
                Resolved::Sdk { path, .. } => match super::params::annotation_kind(&path) {
                    Some((kind, v2)) => Resolved::Member {
                        value: SdkValue {
                            kind,
                            client: None,
                            assumed: true,
                            v2,
                        },
                        base: node,
                        path: vec![],
                    },
                    None => Resolved::Unknown,
                },
                _ => Resolved::Unknown,
            },
            Narrowing::NotInstance(class) => {
                let ruled_out = self.resolve_depth(class, depth + 1);
                let kept: Vec<BindingId> = base
                    .iter()
                    .copied()
                    .filter(|b| {
                        let held = self.resolve_binding(*b, node, name, depth + 1);
                        !matches!((&ruled_out, &held),
                            (Resolved::Class(c), Resolved::Instance { class, .. }) if c == class)
                    })
                    .collect();
                match (
                    self.resolve_bindings(node, name, &kept, depth + 1),
                    &ruled_out,
                ) {
                    // `Union[LocalJob, Prediction]` that is not a `LocalJob`: the prediction.
                    (
                        Resolved::Member {
                            mut value,
                            base,
                            path,
                        },
                        ruled_out,
                    ) if path.is_empty()
                        && matches!(value.kind, SdkKind::Mixed(_, start)
                        if Some(start) == match ruled_out {
                            Resolved::Class(c) => Some(c.start_byte()),
                            // `LocalJob = queue.Queue`: keyed by its binding.
                            _ => self.foreign_class(class),
                        }) =>
                    {
                        if let SdkKind::Mixed(o, _) = value.kind {
                            value.kind = SdkKind::Object(o);
                        }
                        Resolved::Member { value, base, path }
                    }
                    (other, _) => other,
                }
            }
        }
    }

    /// A name whose reaching bindings are all neutral (`x = None`, a `client=None` parameter).
    pub(in crate::semantic) fn is_neutral_name(&self, node: Node<'t>) -> bool {
        node.ty() == "identifier"
            && self
                .reaching_bindings(node)
                .is_some_and(|(_, ids)| !ids.is_empty() && ids.iter().all(|id| self.neutral(*id)))
    }

    /// Whether `node` is the `replicate` module itself (`replicate`, an alias of it).
    pub(in crate::semantic) fn is_module_value(&self, node: Node<'t>, depth: usize) -> bool {
        matches!(self.resolve_depth(node, depth), Resolved::Sdk { path, .. } if path.len() == 1)
    }

    /// v1's `ReplicateError` is an HTTP error with `status`, `detail`, ...
    pub(in crate::semantic) fn except_value(
        &self,
        exception: Node<'t>,
        node: Node<'t>,
        depth: usize,
    ) -> Option<Resolved<'t>> {
        let Resolved::Sdk { path, .. } = self.resolve_depth(exception, depth + 1) else {
            return None;
        };
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        // v2's `APIStatusError` (what the import fixes write) keeps the fields rules look at:
        // `e.detail` still needs a fix there.
        let (kind, v2) = match path.as_slice() {
            ["replicate", "exceptions", "ReplicateError"] => (ObjectKind::ApiError, false),
            ["replicate", "exceptions" | "_exceptions", "APIStatusError"]
            | ["replicate", "APIStatusError"] => (ObjectKind::ApiError, true),
            ["replicate", "exceptions", "ModelError"] => (ObjectKind::ModelError, false),
            _ => return None,
        };
        Some(Resolved::Member {
            value: SdkValue {
                kind: SdkKind::Object(kind),
                client: None,
                assumed: false,
                v2,
            },
            base: node,
            path: vec![],
        })
    }
}

/// An object and an instance of the file's class (`p = CACHE[key]` in one branch, `p =
/// predictions.create(...)` in the other), or either and such a mix: `Mixed`, which no rule
/// takes until an `isinstance` test narrows it (`NotInstance`).
fn join_mixed<'t>(a: &Resolved<'t>, b: &Resolved<'t>) -> Option<Resolved<'t>> {
    let Resolved::Member { value, base, path } = a else {
        return None;
    };
    if !path.is_empty() {
        return None;
    }
    let kind = match (value.kind, b) {
        (SdkKind::Object(o), Resolved::Instance { class, .. }) => {
            SdkKind::Mixed(o, class.start_byte())
        }
        (SdkKind::Mixed(_, c), Resolved::Instance { class, .. }) if c == class.start_byte() => {
            value.kind
        }
        (
            SdkKind::Mixed(o, c),
            Resolved::Member {
                value: other,
                path: p2,
                ..
            },
        ) if p2.is_empty()
            && (other.kind == SdkKind::Object(o) || other.kind == SdkKind::Mixed(o, c)) =>
        {
            value.kind
        }
        _ => return None,
    };
    let (assumed, client) = match b {
        Resolved::Member { value: v, .. } => (
            value.assumed || v.assumed,
            value
                .client
                .clone()
                .filter(|c| v.client.as_ref() == Some(c)),
        ),
        _ => (value.assumed, value.client.clone()),
    };
    Some(Resolved::Member {
        value: SdkValue {
            kind,
            client,
            assumed,
            v2: value.v2,
        },
        base: *base,
        path: vec![],
    })
}

/// The join of two bindings' resolutions, or `None` when they disagree.
pub(in crate::semantic) fn join<'t>(
    prev: Resolved<'t>,
    this: Resolved<'t>,
) -> Option<Resolved<'t>> {
    if same_resolution(&prev, &this) {
        return Some(prev);
    }
    if let Some(mixed) = join_mixed(&prev, &this).or_else(|| join_mixed(&this, &prev)) {
        return Some(mixed);
    }
    match (prev, this) {
        // Same kind from different clients: the kind holds, the client is unknown.
        (
            Resolved::Member {
                value: mut prev,
                base,
                path,
            },
            Resolved::Member {
                value, path: p2, ..
            },
        ) if value.kind == prev.kind
            && p2 == path
            && (prev.kind != SdkKind::Client || prev.v2 == value.v2) =>
        {
            if prev.client != value.client {
                prev.client = None;
            }
            prev.assumed |= value.assumed;
            Some(Resolved::Member {
                value: prev,
                base,
                path,
            })
        }
        // The module and a client: a client either way (the module acts as its default client).
        (Resolved::Member { value, base, path }, Resolved::Sdk { path: p, .. })
        | (Resolved::Sdk { path: p, .. }, Resolved::Member { value, base, path })
            if p.len() == 1 && value.kind == SdkKind::Client && path.is_empty() =>
        {
            Some(Resolved::Member {
                value: SdkValue {
                    client: None,
                    ..value
                },
                base,
                path,
            })
        }
        _ => None,
    }
}

/// `replicate.helpers.FileOutput` (v1), or v2's `FileOutput` / `AsyncFileOutput` that its
/// import fixes write.
fn is_file_output(path: &[String]) -> bool {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        path.as_slice(),
        ["replicate", "helpers", "FileOutput"] | ["replicate", "FileOutput" | "AsyncFileOutput"]
    )
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::{describe_at, describe_in, kind_at, kind_in, value_in};

    #[test]
    fn imports_bind_the_sdk_under_their_local_names() {
        assert_eq!(describe_at("import replicate as r\nr\n", "r"), "replicate");
        assert_eq!(
            describe_at("from replicate import Client\nClient\n", "Client"),
            "replicate.Client"
        );
        // `replicate.client.Client` is spelled as `replicate.Client`.
        assert_eq!(
            describe_at("from replicate.client import Client as C\nC\n", "C"),
            "replicate.Client"
        );
        // Decoys: another module under the same alias, a `Client` of another package.
        assert_eq!(
            describe_at("import replicate\nimport requests as r\nr\n", "r"),
            "unknown"
        );
        assert_eq!(
            describe_at(
                "import replicate\nfrom mylib import Client\nClient\n",
                "Client"
            ),
            "unknown"
        );
    }

    #[test]
    fn a_name_reassigned_to_a_non_sdk_value_is_not_the_sdk() {
        let kept = "import replicate\nr = replicate\nr\n";
        assert_eq!(describe_at(kept, "r"), "replicate");
        let reassigned = "import replicate\nr = replicate\nr = object()\nr\n";
        assert_eq!(describe_at(reassigned, "r"), "unknown");
        // `import replicate` rebound by a plain assignment.
        let rebound = "import replicate\nreplicate = load()\nreplicate.run\n";
        assert_eq!(describe_at(rebound, "replicate.run"), "unknown");
    }

    #[test]
    fn a_local_variable_called_replicate_is_a_decoy() {
        let code = "import replicate\ndef f():\n    replicate = load()\n    return replicate.run\nreplicate.run\n";
        assert_eq!(
            describe_in(code, "return replicate.run", "replicate.run"),
            "unknown"
        );
        assert_eq!(
            describe_in(code, "\nreplicate.run\n", "replicate.run"),
            "replicate.run"
        );
    }

    #[test]
    fn an_assigned_client_is_named_by_the_name_that_holds_it() {
        let code = "import replicate\nc = replicate.Client()\nc\n";
        let value = value_in(code, "\nc\n", "c").expect("a client");
        assert_eq!(kind_at(code, "c").as_deref(), Some("client"));
        assert_eq!(value.client.as_deref(), Some("c"));
        assert!(!value.assumed);
        // Decoy: a call of a local function that returns nothing of the SDK.
        let decoy = "import replicate\ndef Client():\n    return 1\nc = Client()\nc\n";
        assert_eq!(kind_at(decoy, "c"), None);
    }

    #[test]
    fn a_none_placeholder_adds_no_kind_to_the_join() {
        let code = "import replicate\nc = None\nif ready:\n    c = replicate.Client()\nc\n";
        assert_eq!(kind_in(code, "\nc\n", "c").as_deref(), Some("client"));
        // Decoy: a placeholder that is a value (`0`) makes the join unknown.
        let decoy = "import replicate\nc = 0\nif ready:\n    c = replicate.Client()\nc\n";
        assert_eq!(kind_in(decoy, "\nc\n", "c"), None);
    }

    #[test]
    fn the_module_and_a_client_join_to_a_client_but_a_namespace_does_not() {
        let code =
            "import replicate\nif x:\n    c = replicate.Client()\nelse:\n    c = replicate\nc\n";
        assert_eq!(kind_in(code, "\nc\n", "c").as_deref(), Some("client"));
        let decoy = "import replicate\nif x:\n    c = replicate.Client()\nelse:\n    c = replicate.predictions\nc\n";
        assert_eq!(kind_in(decoy, "\nc\n", "c"), None);
    }

    #[test]
    fn isinstance_narrows_a_name_to_the_class_it_tests() {
        let code = "import replicate\nfrom replicate.prediction import Prediction\ndef f(p):\n    if isinstance(p, Prediction):\n        return p\n";
        assert_eq!(
            kind_in(code, "return p", "p").as_deref(),
            Some("prediction")
        );
        let value = value_in(code, "return p", "p").expect("a prediction");
        assert!(value.assumed, "an isinstance test is an assumption");
        // Decoys: a builtin class, and a class of this file (an instance, not an SDK kind).
        let builtin = code.replace("Prediction):", "dict):");
        assert_eq!(kind_in(&builtin, "return p", "p"), None);
        let local = "import replicate\nclass Job:\n    pass\ndef f(p):\n    if isinstance(p, Job):\n        return p\n";
        assert_eq!(describe_in(local, "return p", "p"), "instance Job");
    }

    #[test]
    fn is_not_none_keeps_the_bindings_that_reached_the_test() {
        let code = "import replicate\np = None\nif x:\n    p = replicate.predictions.get(prediction_id='a')\nif p is not None:\n    p\n";
        assert_eq!(kind_in(code, "    p\n", "p").as_deref(), Some("prediction"));
        let decoy = "import replicate\np = 'a'\nif x:\n    p = replicate.predictions.get(prediction_id='a')\nif p is not None:\n    p\n";
        assert_eq!(kind_in(decoy, "    p\n", "p"), None);
    }

    #[test]
    fn except_as_binds_v1_errors() {
        let code = |exception: &str| {
            format!("import replicate\nfrom replicate.exceptions import ReplicateError, ModelError\ntry:\n    go()\nexcept {exception} as e:\n    e\n")
        };
        assert_eq!(
            kind_in(&code("ReplicateError"), "    e\n", "e").as_deref(),
            Some("api_error")
        );
        assert_eq!(
            kind_in(&code("ModelError"), "    e\n", "e").as_deref(),
            Some("model_error")
        );
        // Decoy: a builtin exception.
        assert_eq!(kind_in(&code("ValueError"), "    e\n", "e"), None);
    }

    #[test]
    fn a_def_and_a_class_resolve_to_themselves() {
        let code = "import replicate\ndef make():\n    pass\nclass Job:\n    pass\nmake\nJob\n";
        assert_eq!(describe_in(code, "\nmake\n", "make"), "function make");
        assert_eq!(describe_in(code, "\nJob\n", "Job"), "class Job");
        // Decoy: a name bound to the def's result is not the function.
        let called = "import replicate\ndef make():\n    pass\nm = make()\nm\n";
        assert_eq!(describe_at(called, "m"), "unknown");
    }
}
