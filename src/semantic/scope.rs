//! Scopes: the module, each class, function, lambda and comprehension, and which one a node is
//! evaluated in.

use foldhash::{HashMap, HashSet};

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

#[cfg(test)]
mod tests {
    use super::ScopeKind;
    use crate::semantic::tests::{describe_in, find, with_model};

    #[test]
    fn a_function_scope_hides_the_module_name_it_rebinds() {
        let code =
            "import replicate\ndef f():\n    replicate = 1\n    return replicate\nreplicate\n";
        assert_eq!(
            describe_in(code, "return replicate", "replicate"),
            "unknown"
        );
        assert_eq!(describe_in(code, "\nreplicate\n", "replicate"), "replicate");
        // Decoy for the decoy: a function that does not rebind it sees the module's.
        let reads = "import replicate\ndef f():\n    return replicate\n";
        assert_eq!(
            describe_in(reads, "return replicate", "replicate"),
            "replicate"
        );
    }

    #[test]
    fn a_class_scope_is_not_visible_from_its_methods() {
        let code = "import replicate\nclass A:\n    api = replicate\n    x = api\n    def m(self):\n        return api\n";
        // In the class body `api` is the class's name...
        assert_eq!(describe_in(code, "x = api", "api"), "replicate");
        // ...but a method skips the class scope (and the module has no `api`).
        assert_eq!(describe_in(code, "return api", "api"), "unknown");
        // A module-level `api` is seen past a class-level one of the same name.
        let module = "import replicate\napi = replicate\nclass A:\n    api = 3\n    def m(self):\n        return api\n";
        assert_eq!(describe_in(module, "return api", "api"), "replicate");
    }

    #[test]
    fn a_comprehension_binds_its_target_in_its_own_scope() {
        let code = "import replicate\nys = [replicate for replicate in range(3)]\nreplicate.run\n";
        assert_eq!(describe_in(code, "[replicate for", "replicate"), "unknown");
        assert_eq!(
            describe_in(code, "replicate.run", "replicate.run"),
            "replicate.run"
        );
        let reads = "import replicate\nys = [replicate for x in range(3)]\n";
        assert_eq!(
            describe_in(reads, "[replicate for", "replicate"),
            "replicate"
        );
    }

    #[test]
    fn scope_at_puts_decorators_the_return_annotation_and_the_def_itself_outside() {
        let code = "import replicate\n@deco\ndef f(c=default) -> Ret:\n    body\n";
        with_model(code, |model, root| {
            let text = "def f(c=default) -> Ret:\n    body";
            let def = find(root, code, text, text);
            assert_eq!(def.kind(), "function_definition");
            let inner = model.scope_at(find(root, code, "body", "body"));
            assert_ne!(inner, 0);
            assert_eq!(model.scopes[inner].kind, ScopeKind::Function);
            assert_eq!(model.scopes[inner].parent, Some(0));
            assert_eq!(model.scope_at(def), 0);
            assert_eq!(model.scope_at(find(root, code, "deco", "deco")), 0);
            assert_eq!(model.scope_at(find(root, code, "Ret", "Ret")), 0);
            // The parameter itself is inside.
            assert_eq!(model.scope_at(find(root, code, "c=default", "c")), inner);
        });
    }

    #[test]
    fn scope_at_finds_the_innermost_of_nested_scopes() {
        // The lambda's body and the comprehension start at the same byte.
        let code = "import replicate\nclass A:\n    attr = 1\n    def m(self):\n        g = lambda y: [z for z in y] + y\n    other = 2\n";
        with_model(code, |model, root| {
            let class = model.scope_at(find(root, code, "attr", "attr"));
            let method = model.scope_at(find(root, code, "g =", "g"));
            let lambda = model.scope_at(find(root, code, "lambda y", "y"));
            let comprehension = model.scope_at(find(root, code, "[z for", "z"));
            assert_eq!(model.scopes[class].kind, ScopeKind::Class);
            assert_eq!(model.scopes[method].parent, Some(class));
            assert_eq!(model.scopes[lambda].parent, Some(method));
            assert_eq!(model.scopes[comprehension].parent, Some(lambda));
            // The comprehension node itself is evaluated in the lambda.
            let node = find(root, code, "[z for z in y]", "[z for z in y]");
            assert_eq!(node.kind(), "list_comprehension");
            assert_eq!(model.scope_at(node), lambda);
            // A name after the method, back in the class body.
            assert_eq!(model.scope_at(find(root, code, "other", "other")), class);
            // The method scope of the comprehension is the method, with `self` and the class.
            assert_eq!(
                model.method_scope(comprehension),
                Some(("self".to_string(), class))
            );
            // Decoy: the class body itself is no method.
            assert_eq!(model.method_scope(class), None);
        });
    }

    #[test]
    fn global_binds_in_the_module() {
        let code = "import replicate\ndef f():\n    global c\n    c = replicate.Client()\ndef g():\n    return c\n";
        assert_eq!(describe_in(code, "return c", "c"), "client");
        // Decoy: without `global` the assignment is local to `f`.
        let local = code.replace("    global c\n", "");
        assert_eq!(describe_in(&local, "return c", "c"), "unknown");
        // A use under `global` skips an enclosing function's binding of the name.
        let nested = "import replicate\nc = replicate.Client()\ndef outer():\n    c = 1\n    def f():\n        global c\n        return c\n";
        assert_eq!(describe_in(nested, "return c", "c"), "client");
        let enclosing = nested.replace("        global c\n", "");
        assert_eq!(describe_in(&enclosing, "return c", "c"), "unknown");
    }

    #[test]
    fn self_in_a_lambda_inside_a_method_is_the_instance() {
        let code = "import replicate\nclass A:\n    def __init__(self):\n        self.c = replicate.Client()\n    def go(self):\n        f = lambda: self.c\n";
        assert_eq!(describe_in(code, "lambda: self.c", "self.c"), "client");
        // Decoy: a module-level function whose parameter is called `self`.
        let function = "import replicate\nclass A:\n    def __init__(self):\n        self.c = replicate.Client()\ndef go(self):\n    f = lambda: self.c\n";
        assert_eq!(describe_in(function, "lambda: self.c", "self.c"), "unknown");
    }
}
