//! A name: the join of what its bindings hold, cached per binding scope.

use tree_sitter::Node;

use super::super::binding::{Binding, BindingKind};
use super::super::kinds::{SdkKind, SdkValue};
use super::super::{is_sdk, normalize, SemanticModel};
use super::{same_resolution, Cached, Resolved};

impl<'t> SemanticModel<'t> {
    pub(in crate::semantic) fn resolve_name(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        let name = self.source.str(node);
        // Inside `except T as name:`, `name` is that clause's exception, whatever other clauses
        // bind to the same name (Python unbinds it when the clause ends).
        if let Some(exception) = self.enclosing_except_type(node, &name) {
            return self
                .except_value(exception, node, depth)
                .unwrap_or(Resolved::Unknown);
        }
        let scope = self.scope_at(node);
        let Some((binding_scope, bindings)) = self.lookup(&name, scope) else {
            return Resolved::Unknown;
        };
        // Flow-insensitive: every use of a name bound in one scope resolves alike, so the
        // answer is computed once (unless a depth or fuel limit cut it short).
        let key = (binding_scope, name.clone());
        if let Some(cached) = self.name_cache.borrow().get(&key) {
            return self.rebase(cached, node);
        }
        if self.in_progress.borrow().contains(&key) {
            self.hit_cycle.set(true);
            self.truncated.set(true);
            return Resolved::Unknown;
        }
        self.in_progress.borrow_mut().insert(key.clone());
        let outer_truncated = self.truncated.replace(false);
        let resolved = self.resolve_bindings(node, &name, binding_scope, bindings, depth);
        self.in_progress.borrow_mut().remove(&key);
        let truncated = self.truncated.get();
        if !truncated {
            self.name_cache
                .borrow_mut()
                .insert(key, Cached::of(&resolved));
        }
        self.truncated.set(outer_truncated || truncated);
        resolved
    }

    pub(in crate::semantic) fn resolve_bindings(
        &self,
        node: Node<'t>,
        name: &str,
        binding_scope: usize,
        bindings: &[Binding<'t>],
        depth: usize,
    ) -> Resolved<'t> {
        let name = name.to_string();
        let mut result: Option<Resolved<'t>> = None;
        // `client = None` then `client = Client(...)`: the None adds no kind of its own.
        let all_none = bindings
            .iter()
            .all(|b| matches!(b.kind, BindingKind::Assign(v) if v.kind() == "none"));
        for binding in bindings {
            if !all_none && matches!(binding.kind, BindingKind::Assign(v) if v.kind() == "none") {
                continue;
            }
            let outer_cycle = self.hit_cycle.replace(false);
            let this = 'this: {
                match binding.kind {
                    BindingKind::Import | BindingKind::FromImport => match &binding.qualified {
                        Some(q) if is_sdk(q) => Resolved::Sdk {
                            path: normalize(q.clone()),
                            module_node: (q.len() == 1).then_some(node),
                        },
                        _ => break 'this Resolved::Unknown,
                    },
                    // `jobs = {}` filled by `jobs[key] = obj`, `xs = []` by `xs.append(obj)`:
                    // containers of objects (a dict's are assumed: v1's methods changed the
                    // object the dict still holds).
                    BindingKind::Assign(value)
                        if matches!(value.kind(), "dictionary" | "list")
                            && value.named_child_count() == 0 =>
                    {
                        let filled = if value.kind() == "dictionary" {
                            self.dict_of(&name, binding_scope, depth + 1)
                        } else {
                            self.appended_list(&name, binding_scope, depth + 1)
                        };
                        match filled {
                            Some(v) => Resolved::Member {
                                value: v,
                                base: node,
                                path: vec![],
                            },
                            None => break 'this Resolved::Unknown,
                        }
                    }
                    BindingKind::Assign(value) => match self.value_of(value, depth + 1) {
                        Some(mut v) => {
                            if v.kind == SdkKind::Client {
                                v.client = Some(name.clone());
                            }
                            Resolved::Member {
                                value: v,
                                base: node,
                                path: vec![],
                            }
                        }
                        // `gen = ImageGenerator(...)`: an instance of a class of this file.
                        None => match self.instance_class(value, depth + 1) {
                            Some(class) => Resolved::Instance { class, base: node },
                            None => break 'this Resolved::Unknown,
                        },
                    },
                    BindingKind::Loop(iter) => match self.value_of(iter, depth + 1) {
                        Some(v) => match v.kind.element() {
                            Some(kind) => Resolved::Member {
                                value: SdkValue {
                                    kind,
                                    client: v.client,
                                    assumed: v.assumed,
                                    v2: v.v2,
                                },
                                base: node,
                                path: vec![],
                            },
                            None => break 'this Resolved::Unknown,
                        },
                        None => break 'this Resolved::Unknown,
                    },
                    BindingKind::Def(def) => Resolved::Function(def),
                    BindingKind::Class(class) => Resolved::Class(class),
                    BindingKind::Except(exception) => {
                        match self.except_value(exception, node, depth) {
                            Some(r) => r,
                            None => break 'this Resolved::Unknown,
                        }
                    }
                    BindingKind::Param(function, 0, None)
                        if self.method_class(function).is_some() =>
                    {
                        let class = self.method_class(function).expect("checked above");
                        Resolved::Instance { class, base: node }
                    }
                    BindingKind::Param(function, position, annotation) => {
                        match self.param_value(function, position, &name, annotation, depth + 1) {
                            Some(value) => Resolved::Member {
                                value,
                                base: node,
                                path: vec![],
                            },
                            None => break 'this Resolved::Unknown,
                        }
                    }
                    BindingKind::Other => break 'this Resolved::Unknown,
                }
            };
            let cycle = self.hit_cycle.get();
            self.hit_cycle.set(outer_cycle || cycle);
            if matches!(this, Resolved::Unknown) {
                // A binding whose value leads back to this name (`page = page.get_next_page()`)
                // adds nothing the other bindings do not say.
                if cycle {
                    continue;
                }
                return Resolved::Unknown;
            }
            result = match result {
                None => Some(this),
                Some(prev) if same_resolution(&prev, &this) => Some(prev),
                // Same kind from different clients: the kind holds, the client is unknown.
                Some(Resolved::Member {
                    value: mut prev,
                    base,
                    path,
                }) if matches!(&this, Resolved::Member { value, path: p2, .. }
                        if value.kind == prev.kind && *p2 == path && prev.kind != SdkKind::Client) =>
                {
                    prev.client = None;
                    Some(Resolved::Member {
                        value: prev,
                        base,
                        path,
                    })
                }
                Some(_) => return Resolved::Unknown,
            };
        }
        result.unwrap_or(Resolved::Unknown)
    }

    pub(in crate::semantic) fn enclosing_except_type(
        &self,
        node: Node<'t>,
        name: &str,
    ) -> Option<Node<'t>> {
        let mut p = node.parent();
        while let Some(n) = p {
            if matches!(
                n.kind(),
                "function_definition" | "class_definition" | "lambda"
            ) {
                return None;
            }
            if n.kind() == "except_clause" {
                let pattern = n
                    .child_by_field_name("value")
                    .filter(|v| v.kind() == "as_pattern")?;
                let alias = pattern.child_by_field_name("alias")?;
                let target = alias.named_child(0).unwrap_or(alias);
                if self.source.str(target) == name {
                    return pattern.named_child(0);
                }
            }
            p = n.parent();
        }
        None
    }

    /// v1's `ReplicateError` is an HTTP error with `status`, `detail`, ...
    pub(in crate::semantic) fn except_value(
        &self,
        exception: Node<'t>,
        node: Node<'t>,
        depth: usize,
    ) -> Option<Resolved<'t>> {
        match self.resolve_depth(exception, depth + 1) {
            Resolved::Sdk { path, .. }
                if path.iter().map(String::as_str).eq([
                    "replicate",
                    "exceptions",
                    "ReplicateError",
                ]) =>
            {
                Some(Resolved::Member {
                    value: SdkValue {
                        kind: SdkKind::Object(crate::semantic::ObjectKind::ApiError),
                        client: None,
                        assumed: false,
                        v2: false,
                    },
                    base: node,
                    path: vec![],
                })
            }
            _ => None,
        }
    }
}
