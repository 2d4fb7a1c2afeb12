//! Scopes: the module, each class, function, lambda and comprehension, and which one a node is
//! evaluated in.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::binding::BindingId;
use super::SemanticModel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::semantic) enum ScopeKind {
    Module,
    Function,
    Class,
}

#[derive(Debug)]
pub(in crate::semantic) struct Scope<'t> {
    /// The module, class, function, lambda or comprehension node.
    pub(in crate::semantic) node: Node<'t>,
    pub(in crate::semantic) kind: ScopeKind,
    pub(in crate::semantic) parent: Option<usize>,
    pub(in crate::semantic) bindings: HashMap<String, Vec<BindingId>>,
    pub(in crate::semantic) globals: HashSet<String>,
    /// For a method: the name of its first parameter (`self`), and the class scope.
    pub(in crate::semantic) method_of: Option<(String, usize)>,
}

impl<'t> SemanticModel<'t> {
    /// The scope a node is evaluated in.
    pub fn scope_at(&self, node: Node<'t>) -> usize {
        let mut n = node.parent();
        let mut child = node;
        while let Some(p) = n {
            if let Some(&scope) = self.scope_of_node.get(&p.id()) {
                // A function's name, decorators, defaults and annotations belong to the outer
                // scope; only its parameters and body are inside.
                let inside = match p.kind() {
                    "function_definition" | "lambda" => {
                        matches!(
                            p.child_by_field_name("body").map(|b| b.id()),
                            Some(id) if id == child.id()
                        ) || p
                            .child_by_field_name("parameters")
                            .is_some_and(|b| b.id() == child.id())
                    }
                    "class_definition" => {
                        p.child_by_field_name("body").map(|b| b.id()) == Some(child.id())
                    }
                    _ => true,
                };
                if inside {
                    return scope;
                }
            }
            child = p;
            n = p.parent();
        }
        0
    }

    pub(in crate::semantic) fn lookup(
        &self,
        name: &str,
        scope: usize,
    ) -> Option<(usize, &[BindingId])> {
        let mut current = scope;
        let mut first = true;
        loop {
            let s = &self.scopes[current];
            if s.globals.contains(name) {
                return self.scopes[0].bindings.get(name).map(|b| (0, b.as_slice()));
            }
            if first || s.kind != ScopeKind::Class {
                if let Some(bindings) = s.bindings.get(name) {
                    return Some((current, bindings.as_slice()));
                }
            }
            first = false;
            current = s.parent?;
        }
    }

    /// The node that opens a scope.
    pub(in crate::semantic) fn scope_node(&self, scope: usize) -> Option<Node<'t>> {
        self.scopes.get(scope).map(|s| s.node)
    }

    /// The method scope enclosing `scope` (walking out of lambdas and comprehensions).
    pub(in crate::semantic) fn method_scope(&self, mut scope: usize) -> Option<(String, usize)> {
        loop {
            let s = &self.scopes[scope];
            if let Some(m) = &s.method_of {
                return Some(m.clone());
            }
            if s.kind != ScopeKind::Function {
                return None;
            }
            scope = s.parent?;
        }
    }
}
