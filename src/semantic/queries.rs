//! Questions the rules and fixes ask about names at a node: is this the module, which local
//! name has a v2 symbol, is a name free to use, is a client reachable here.

use tree_sitter::Node;

use super::binding::BindingKind;
use super::kinds::SdkKind;
use super::{is_sdk, SemanticModel};

impl<'t> SemanticModel<'t> {
    /// True when `name` at `node` is bound by the module `replicate` import (any alias).
    pub fn module_alias_in_scope(&self, node: Node<'t>) -> Option<String> {
        let scope = self.scope_at(node);
        // Prefer the plain name, then any alias bound at module level.
        if self.resolves_to(scope, "replicate", &["replicate"]) {
            return Some("replicate".to_string());
        }
        let mut names: Vec<&String> = self.scopes[0].bindings.keys().collect();
        names.sort();
        names
            .into_iter()
            .find(|n| self.resolves_to(scope, n, &["replicate"]))
            .cloned()
    }

    /// Whether `name` at `node` is the `replicate` module (under any alias).
    pub fn is_module_name(&self, name: &str, node: Node<'t>) -> bool {
        self.resolves_to(self.scope_at(node), name, &["replicate"])
    }

    /// The local name bound to SDK symbol `qualified` (e.g. `replicate.Replicate`) at `node`.
    pub fn symbol_in_scope(&self, node: Node<'t>, qualified: &[&str]) -> Option<String> {
        let scope = self.scope_at(node);
        let mut names: Vec<&String> = self.scopes[0].bindings.keys().collect();
        names.sort();
        names
            .into_iter()
            .find(|n| self.resolves_to(scope, n, qualified))
            .cloned()
    }

    pub(in crate::semantic) fn resolves_to(
        &self,
        scope: usize,
        name: &str,
        qualified: &[&str],
    ) -> bool {
        match self.lookup(name, scope) {
            Some((_, ids)) => ids.iter().all(|id| {
                let b = &self.bindings[*id];
                b.qualified
                    .as_ref()
                    .is_some_and(|q| q.iter().map(String::as_str).eq(qualified.iter().copied()))
                    && b.is_import()
            }),
            None => false,
        }
    }

    /// Whether `name` is bound anywhere to something other than the SDK symbol `qualified`.
    pub fn bound_to_other(&self, name: &str, qualified: &[&str]) -> bool {
        self.scopes.iter().any(|scope| {
            scope.bindings.get(name).is_some_and(|ids| {
                ids.iter().any(|id| {
                    let b = &self.bindings[*id];
                    !b.is_import()
                        || !b.qualified.as_ref().is_some_and(|q| {
                            q.iter().map(String::as_str).eq(qualified.iter().copied())
                        })
                })
            })
        })
    }

    /// The annotation of a parameter (its expression), when only that parameter reaches `name`.
    pub fn param_annotation(&self, name: Node<'t>) -> Option<Node<'t>> {
        let (_, ids) = self.reaching_bindings(name)?;
        match ids.as_ref() {
            [id] => match self.bindings[*id].kind {
                BindingKind::Param {
                    annotation: Some(annotation),
                    ..
                } => match annotation.kind() {
                    "type" => annotation.named_child(0),
                    _ => Some(annotation),
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether every binding of `name`, in every scope, is an import.
    pub fn only_imported(&self, name: &str) -> bool {
        self.scopes.iter().all(|scope| {
            scope
                .bindings
                .get(name)
                .is_none_or(|ids| ids.iter().all(|id| self.bindings[*id].is_import()))
        })
    }

    /// Whether an identifier refers to no binding of this file (a builtin such as `open`).
    pub fn is_unbound(&self, name: Node<'t>) -> bool {
        self.lookup(&self.source.str(name), self.scope_at(name))
            .is_none()
    }

    /// The values a plain name is assigned (`x = v`, `with v as x`) by the bindings that reach
    /// it, or None when any of them is something else.
    pub fn assigned_values(&self, name: Node<'t>) -> Option<Vec<Node<'t>>> {
        let (_, ids) = self.reaching_bindings(name)?;
        ids.iter()
            .map(|id| match self.bindings[*id].kind {
                BindingKind::Assign(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    /// Whether a name is bound anywhere in the module scope (to avoid clashes when adding one).
    pub fn is_bound_at_module(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.bindings.contains_key(name))
    }

    /// Whether `client` text (`client`, `self.client`, `r`) names the same thing at `node`
    /// as where the value was produced. Checked by resolving its root name at `node`.
    pub fn client_reachable(&self, client: &str, node: Node<'t>) -> bool {
        let root = client.split('.').next().unwrap_or(client);
        let scope = self.scope_at(node);
        // `get_client()`: a module-level function that makes the client, called again here.
        if let Some((function, _)) = client.split_once('(') {
            return !function.contains('.')
                && self.lookup(function, scope).is_some_and(|(s, ids)| {
                    s == 0
                        && ids
                            .iter()
                            .all(|id| matches!(self.bindings[*id].kind, BindingKind::Def(_)))
                });
        }
        if root == "self" || client.contains('.') {
            return self
                .method_scope(scope)
                .is_some_and(|(self_name, _)| self_name == root);
        }
        // The name must mean the module or a client here too (a parameter may shadow it);
        // `None` placeholders and `client=None` parameters with a fallback do not count.
        self.lookup(root, scope).is_some_and(|(_, ids)| {
            let mut any = false;
            let all = ids.iter().all(|id| {
                let b = &self.bindings[*id];
                if b.is_none_literal() || b.is_none_default_param() {
                    return true;
                }
                any = true;
                match b.kind {
                    BindingKind::Import | BindingKind::FromImport => b
                        .qualified
                        .as_deref()
                        .is_some_and(|q| q.len() == 1 && is_sdk(q)),
                    BindingKind::Assign(v) => {
                        self.value_of(v, 1)
                            .is_some_and(|v| v.kind == SdkKind::Client)
                            || self.is_module_value(v, 1)
                    }
                    BindingKind::Param {
                        function,
                        position,
                        annotation,
                        default,
                    } => self
                        .param_value(function, position, root, annotation, default, 1)
                        .is_some_and(|v| v.kind == SdkKind::Client),
                    _ => false,
                }
            });
            all && any
        })
    }

    /// Whether an identifier is bound in the scope it is used in (so assigning it there does
    /// not turn a global or enclosing name into an unbound local).
    pub fn is_local(&self, name: Node<'t>) -> bool {
        let scope = self.scope_at(name);
        let text = self.source.str(name);
        !self.scopes[scope].globals.contains(&text)
            && self.lookup(&text, scope).is_some_and(|(s, _)| s == scope)
    }
}

/// Where a client named by a fix's text (`client`, `self.client`) is made: the one statement
/// `NAME = CONSTRUCTOR(...)` that binds it, with the constructor call.
#[derive(Debug, Clone, Copy)]
pub struct ClientSite<'t> {
    /// The assignment's expression statement.
    pub statement: Node<'t>,
    /// The constructor call (`replicate.Client(...)`).
    pub call: Node<'t>,
    /// The constructor's SDK name: `Client`, `Replicate` or `AsyncReplicate`.
    pub constructor: &'static str,
}

impl<'t> SemanticModel<'t> {
    /// The one place the client `client` (as seen at `node`) is constructed, if it is made by
    /// exactly one `Client(...)`, `Replicate(...)` or `AsyncReplicate(...)` call.
    pub fn client_site(&self, client: &str, node: Node<'t>) -> Option<ClientSite<'t>> {
        let scope = self.scope_at(node);
        let values: Vec<Node<'t>> = match client.split_once('.') {
            Some((owner, attr)) if !attr.contains('.') => {
                let (self_name, class_scope) = self.method_scope(scope)?;
                if owner != self_name {
                    return None;
                }
                let values = self
                    .class_attrs
                    .get(&(class_scope, attr.to_string()))?
                    .clone();
                // Stored from outside too (`worker.client = other`): more than one maker.
                let outside = self.attr_stores.get(attr).is_some_and(|stores| {
                    stores
                        .iter()
                        .any(|(object, _)| !self.source.is(*object, &self_name))
                });
                if outside {
                    return None;
                }
                values
            }
            Some(_) => return None,
            None => {
                let (_, ids) = self.lookup(client, scope)?;
                ids.iter()
                    .map(|id| match self.bindings[*id].kind {
                        BindingKind::Assign(v) => Some(v),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?
            }
        };
        let [value] = values.as_slice() else {
            return None;
        };
        if value.kind() != "call" {
            return None;
        }
        let callee = value.child_by_field_name("function")?;
        let constructor = match self.resolve(callee) {
            super::Resolved::Sdk { path, .. } => match path.get(1).map(String::as_str) {
                Some("Client") if path.len() == 2 => "Client",
                Some("Replicate") if path.len() == 2 => "Replicate",
                Some("AsyncReplicate") if path.len() == 2 => "AsyncReplicate",
                _ => return None,
            },
            _ => return None,
        };
        let mut statement = value.parent()?;
        while statement.kind() == "assignment" {
            statement = statement.parent()?;
        }
        (statement.kind() == "expression_statement").then_some(ClientSite {
            statement,
            call: *value,
            constructor,
        })
    }
}
