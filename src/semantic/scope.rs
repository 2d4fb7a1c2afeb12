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
    /// Sorts the scope regions and links each to the one it lies in.
    pub(in crate::semantic) fn index_scope_regions(&mut self) {
        self.scope_regions
            .sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut parents = Vec::with_capacity(self.scope_regions.len());
        let mut open: Vec<usize> = Vec::new();
        for (i, region) in self.scope_regions.iter().enumerate() {
            while let Some(&top) = open.last() {
                if self.scope_regions[top].1 >= region.1 && self.scope_regions[top].0 <= region.0 {
                    break;
                }
                open.pop();
            }
            parents.push(open.last().copied());
            open.push(i);
        }
        self.scope_region_parent = parents;
    }

    /// The scope a node is evaluated in: the innermost scope region that holds it.
    pub fn scope_at(&self, node: Node<'t>) -> usize {
        let (start, end) = (node.start_byte(), node.end_byte());
        let after = self.scope_regions.partition_point(|r| r.0 <= start);
        let mut candidate = after.checked_sub(1);
        while let Some(i) = candidate {
            let (s, e, scope) = self.scope_regions[i];
            // A scope's own node (`def f(): ...` itself) is not inside it.
            if s <= start
                && end <= e
                && !(s == start && e == end && self.scope_of_node.get(&node.id()) == Some(&scope))
            {
                return scope;
            }
            candidate = self.scope_region_parent[i];
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
