//! Builds the scopes and bindings of a file in one walk of its tree.

use crate::syntax::NodeExt;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use tree_sitter::Node;

use super::binding::{Binding, BindingKind};
use super::scope::{Scope, ScopeKind};
use super::{is_sdk, SemanticModel};
use crate::syntax::dotted;

impl<'t> SemanticModel<'t> {
    pub(in crate::semantic) fn new_scope(
        &mut self,
        node: Node<'t>,
        kind: ScopeKind,
        parent: usize,
    ) -> usize {
        let id = self.scopes.len();
        self.scopes.push(Scope {
            node,
            kind,
            parent: Some(parent),
            bindings: HashMap::new(),
            globals: HashSet::new(),
            method_of: None,
        });
        self.scope_of_node.insert(node.id(), id);
        // The byte ranges evaluated inside the scope: a function's (or lambda's) parameter
        // names and body (its name, decorators, return annotation and the parameters' defaults
        // and annotations are evaluated where the `def` is), a class's body, a whole
        // comprehension.
        let inside: Vec<Node<'t>> = match node.ty() {
            "function_definition" | "lambda" => node
                .field("parameters")
                .map(parameter_names)
                .unwrap_or_default()
                .into_iter()
                .chain(node.field("body"))
                .collect(),
            "class_definition" => node.field("body").into_iter().collect(),
            _ => vec![node],
        };
        for n in inside {
            self.scope_regions.push((n.start_byte(), n.end_byte(), id));
        }
        id
    }

    pub(in crate::semantic) fn bind(&mut self, scope: usize, name: &str, binding: Binding<'t>) {
        if binding.qualified.as_deref().is_some_and(is_sdk) {
            self.imports_sdk = true;
            let q: Vec<&str> = binding
                .qualified
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(String::as_str)
                .collect();
            if matches!(
                q.as_slice(),
                ["replicate", "Replicate"]
                    | ["replicate", "AsyncReplicate"]
                    | ["replicate", "types", ..]
                    | ["replicate", "resources", ..]
            ) {
                self.file_is_v2 = true;
            }
        }
        // `global p` in a function: its assignments bind the module's `p`.
        let scope = if self.scopes[scope].globals.contains(name) {
            0
        } else {
            scope
        };
        let id = self.bindings.len();
        if let Some(site) = binding.site {
            self.binding_at.insert(site.id(), id);
        }
        self.bindings.push(Binding {
            scope,
            name: name.to_string(),
            ..binding
        });
        self.scopes[scope]
            .bindings
            .entry(name.to_string())
            .or_default()
            .push(id);
    }

    pub(in crate::semantic) fn bind_other(&mut self, scope: usize, name: Node<'t>) {
        let text = self.source.str(name);
        self.bind(scope, &text, Binding::new(BindingKind::Other, Some(name)));
    }

    pub(in crate::semantic) fn visit_children(&mut self, node: Node<'t>, scope: usize) {
        let Some(at) = self.children.index_of(node) else {
            // Not one of the tree's named nodes (no caller passes one): read with a cursor.
            let mut cursor = node.walk();
            let kids: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            for child in kids {
                self.visit_child(child, scope);
            }
            return;
        };
        for k in 0..self.children.count(at) {
            // (read again each time: the visit below borrows the model mutably)
            let kid = self.children.nth(at, k);
            if kid.named {
                self.visit_child(kid.node, scope);
            }
        }
    }

    fn visit_child(&mut self, child: Node<'t>, scope: usize) {
        // A leaf (a name, a number) binds nothing and has nothing below it.
        if child.child_count() > 0 {
            self.visit(child, scope);
        }
    }

    pub(in crate::semantic) fn visit(&mut self, node: Node<'t>, scope: usize) {
        match node.ty() {
            "function_definition" => self.visit_function(node, scope),
            "class_definition" => {
                if let Some(name) = node.field("name") {
                    let text = self.source.str(name);
                    // A decorated class may be replaced by its decorator: not followed, except
                    // for decorators that return the class itself (`@dataclass`).
                    let decorated = node.parent().is_some_and(|p| {
                        p.ty() == "decorated_definition" && {
                            let mut cursor = p.walk();
                            let other = p.children(&mut cursor).any(|d| {
                                d.ty() == "decorator"
                                    && !d.named_child(0).is_some_and(|e| {
                                        let e = if e.ty() == "call" {
                                            e.field("function").unwrap_or(e)
                                        } else {
                                            e
                                        };
                                        matches!(
                                            self.source.str(e).as_str(),
                                            "dataclass"
                                                | "dataclasses.dataclass"
                                                | "total_ordering"
                                                | "functools.total_ordering"
                                        )
                                    })
                            });
                            other
                        }
                    });
                    let kind = if decorated {
                        BindingKind::Other
                    } else {
                        BindingKind::Class(node)
                    };
                    self.bind(scope, &text, Binding::new(kind, Some(name)));
                }
                if let Some(args) = node.field("superclasses") {
                    self.visit(args, scope);
                }
                let class_scope = self.new_scope(node, ScopeKind::Class, scope);
                if let Some(body) = node.field("body") {
                    self.visit_children(body, class_scope);
                }
            }
            "lambda" => {
                let inner = self.new_scope(node, ScopeKind::Function, scope);
                if let Some(params) = node.field("parameters") {
                    self.bind_parameters(params, inner, scope);
                }
                if let Some(body) = node.field("body") {
                    self.visit(body, inner);
                }
            }
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                let inner = self.new_scope(node, ScopeKind::Function, scope);
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    if child.ty() == "for_in_clause" {
                        if let Some(left) = child.field("left") {
                            let right = child.field("right");
                            self.bind_target(left, inner, right.map(BindingKind::Loop));
                        }
                        if let Some(right) = child.field("right") {
                            self.visit(right, inner);
                        }
                    } else {
                        self.visit(child, inner);
                    }
                }
            }
            "import_statement" => self.visit_import(node, scope),
            "import_from_statement" => self.visit_import_from(node, scope),
            "assignment" => self.visit_assignment(node, scope),
            "augmented_assignment" => {
                if let Some(left) = node.field("left") {
                    self.bind_target(left, scope, None);
                }
                if let Some(right) = node.field("right") {
                    self.visit(right, scope);
                }
            }
            "named_expression" => {
                if let (Some(name), Some(value)) = (node.field("name"), node.field("value")) {
                    let target_scope = self.enclosing_non_comprehension(scope, node);
                    self.bind_target(name, target_scope, Some(BindingKind::Assign(value)));
                    self.visit(value, scope);
                }
            }
            "for_statement" => {
                let right = node.field("right");
                if let Some(left) = node.field("left") {
                    match right.and_then(|r| enumerated(self.source, left, r)) {
                        // `for i, x in enumerate(page)`: `x` is an element of `page`.
                        Some((index, item, iterable)) => {
                            self.bind_target(index, scope, None);
                            match flat_names(item) {
                                Some(names) => self.bind_unpacked(&names, item, iterable, scope),
                                None => {
                                    self.bind_target(item, scope, Some(BindingKind::Loop(iterable)))
                                }
                            }
                        }
                        None => match (flat_names(left), right) {
                            // `for key, p in pairs`: each name is one part of the items.
                            (Some(names), Some(right)) => {
                                self.bind_unpacked(&names, left, right, scope)
                            }
                            _ => self.bind_target(left, scope, right.map(BindingKind::Loop)),
                        },
                    }
                }
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    if Some(child) != node.field("left") {
                        self.visit(child, scope);
                    }
                }
            }
            "as_pattern" => {
                // `with value as target`, `except E as e`, `case ... as x`.
                let value = node.named_child(0);
                if let Some(alias) = node.field("alias") {
                    let in_with = node.parent().is_some_and(|p| p.ty() == "with_item");
                    let in_except = node.parent().is_some_and(|p| p.ty() == "except_clause");
                    let kind = match value {
                        Some(v) if in_with => Some(BindingKind::Assign(v)),
                        Some(v) if in_except => Some(BindingKind::Except(v)),
                        _ => None,
                    };
                    let target = alias.named_child(0).unwrap_or(alias);
                    self.bind_target(target, scope, kind);
                }
                if let Some(value) = value {
                    self.visit(value, scope);
                }
            }
            "except_clause" => {
                // Older grammars put `as name` directly in the clause.
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.children(&mut cursor).collect();
                for (i, child) in children.iter().enumerate() {
                    if child.ty() == "as" {
                        if let Some(name) = children.get(i + 1) {
                            if name.ty() == "identifier" {
                                self.bind_other(scope, *name);
                            }
                        }
                    }
                }
                self.visit_children(node, scope);
            }
            "global_statement" => {
                let mut cursor = node.walk();
                let names: Vec<String> = node
                    .named_children(&mut cursor)
                    .map(|n| self.source.str(n))
                    .collect();
                self.scopes[scope].globals.extend(names);
            }
            "nonlocal_statement" => {
                let mut cursor = node.walk();
                let names: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for name in names {
                    self.bind_other(scope, name);
                }
            }
            _ => self.visit_children(node, scope),
        }
    }

    pub(in crate::semantic) fn enclosing_non_comprehension(
        &self,
        mut scope: usize,
        node: Node<'t>,
    ) -> usize {
        // A walrus inside a comprehension binds in the enclosing function or module.
        let mut n = node.parent();
        while let Some(p) = n {
            if matches!(
                p.ty(),
                "list_comprehension"
                    | "set_comprehension"
                    | "dictionary_comprehension"
                    | "generator_expression"
            ) {
                if let Some(parent) = self.scopes[scope].parent {
                    scope = parent;
                }
            } else if matches!(p.ty(), "function_definition" | "lambda" | "module") {
                break;
            }
            n = p.parent();
        }
        scope
    }

    pub(in crate::semantic) fn visit_function(&mut self, node: Node<'t>, scope: usize) {
        if let Some(name) = node.field("name") {
            let text = self.source.str(name);
            self.bind(
                scope,
                &text,
                Binding::new(BindingKind::Def(node), Some(name)),
            );
        }
        let inner = self.new_scope(node, ScopeKind::Function, scope);
        if let Some(params) = node.field("parameters") {
            self.bind_parameters(params, inner, scope);
            if self.scopes[scope].kind == ScopeKind::Class {
                let mut cursor = params.walk();
                let first = params.named_children(&mut cursor).next();
                if let Some(first) = first {
                    let name_node = if first.ty() == "identifier" {
                        Some(first)
                    } else {
                        first.named_child(0).filter(|n| n.ty() == "identifier")
                    };
                    if let Some(n) = name_node {
                        self.scopes[inner].method_of = Some((self.source.str(n), scope));
                    }
                }
            }
        }
        if let Some(ret) = node.field("return_type") {
            self.visit(ret, scope);
        }
        if let Some(body) = node.field("body") {
            self.visit_children(body, inner);
        }
    }

    /// Binds each parameter in `inner`; defaults and annotations are evaluated in `outer`.
    pub(in crate::semantic) fn bind_parameters(
        &mut self,
        params: Node<'t>,
        inner: usize,
        outer: usize,
    ) {
        let function = params.parent().unwrap_or(params);
        let mut cursor = params.walk();
        let children: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
        let mut position = 0;
        for param in children {
            let mut default = None;
            let (name, annotation) = match param.ty() {
                "identifier" => (Some(param), None),
                "default_parameter" | "typed_default_parameter" => {
                    if let Some(value) = param.field("value") {
                        self.visit(value, outer);
                        default = Some(value);
                    }
                    (param.field("name"), param.field("type"))
                }
                "typed_parameter" => {
                    let mut c = param.walk();
                    let first = param.named_children(&mut c).next();
                    match first {
                        Some(n) if n.ty() == "identifier" => (Some(n), param.field("type")),
                        Some(splat) => {
                            // `*args: int` nests the splat pattern inside the typed parameter.
                            let mut c2 = splat.walk();
                            let nested = splat
                                .named_children(&mut c2)
                                .find(|n| n.ty() == "identifier");
                            if let Some(n) = nested {
                                self.bind_other(inner, n);
                            }
                            (None, None)
                        }
                        None => (None, None),
                    }
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => {
                    let mut c = param.walk();
                    let n = param
                        .named_children(&mut c)
                        .find(|n| n.ty() == "identifier");
                    if let Some(n) = n {
                        self.bind_other(inner, n);
                    }
                    (None, None)
                }
                _ => (None, None),
            };
            if let Some(name) = name {
                let text = self.source.str(name);
                let kind = BindingKind::Param {
                    function,
                    position,
                    annotation,
                    default,
                };
                self.bind(inner, &text, Binding::new(kind, Some(name)));
                position += 1;
            }
        }
    }

    /// Binds every name in an assignment target. `kind` applies to a plain name target only;
    /// names inside tuples and lists are unpacked, so they get `Other`.
    /// Binds each name of the flat pattern `pattern` to its part of `iterable`'s items.
    fn bind_unpacked(
        &mut self,
        names: &[Node<'t>],
        pattern: Node<'t>,
        iterable: Node<'t>,
        scope: usize,
    ) {
        for (position, name) in names.iter().enumerate() {
            let kind = BindingKind::Unpacked {
                iterable,
                pattern,
                position,
            };
            self.bind_target(*name, scope, Some(kind));
        }
    }

    pub(in crate::semantic) fn bind_target(
        &mut self,
        target: Node<'t>,
        scope: usize,
        kind: Option<BindingKind<'t>>,
    ) {
        match target.ty() {
            "identifier" => {
                let name = self.source.str(target);
                let kind = kind.unwrap_or(BindingKind::Other);
                self.bind(scope, &name, Binding::new(kind, Some(target)));
            }
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "expression_list"
            | "tuple"
            | "list"
            | "list_splat_pattern"
            | "parenthesized_expression" => {
                let mut cursor = target.walk();
                let children: Vec<Node<'t>> = target.named_children(&mut cursor).collect();
                for child in children {
                    self.bind_target(child, scope, None);
                }
            }
            "attribute" => {
                if let Some(BindingKind::Assign(value)) = kind {
                    self.record_self_attribute(target, scope, value);
                }
                self.visit(target, scope);
            }
            _ => self.visit(target, scope),
        }
    }

    pub(in crate::semantic) fn record_self_attribute(
        &mut self,
        target: Node<'t>,
        scope: usize,
        value: Node<'t>,
    ) {
        let (Some(object), Some(attr)) = (target.field("object"), target.field("attribute")) else {
            return;
        };
        if object.ty() != "identifier" {
            return;
        }
        if let Some((self_name, class_scope)) = self.scopes[scope].method_of.clone() {
            if self.source.str(object) == self_name {
                self.class_attrs
                    .entry((class_scope, self.source.str(attr)))
                    .or_default()
                    .push(value);
            }
        }
    }

    pub(in crate::semantic) fn visit_assignment(&mut self, node: Node<'t>, scope: usize) {
        let right = node.field("right");
        // `a = b = value`: the right side is itself an assignment; every target gets `value`.
        let mut value = right;
        while let Some(v) = value {
            if v.ty() == "assignment" {
                value = v.field("right");
            } else {
                break;
            }
        }
        if let Some(left) = node.field("left") {
            match value.and_then(|v| pairwise(self.source, left, v)) {
                // `a, b = x, y`: each name gets its own value.
                Some(pairs) => {
                    for (target, v) in pairs {
                        self.bind_target(target, scope, Some(BindingKind::Assign(v)));
                    }
                }
                None => self.bind_target(left, scope, value.map(BindingKind::Assign)),
            }
        }
        if let Some(ty) = node.field("type") {
            // `prediction: Prediction` in a class body: a field its instances hold.
            if self.scopes[scope].kind == ScopeKind::Class {
                if let Some(left) = node.field("left").filter(|l| l.ty() == "identifier") {
                    let name = self.source.str(left);
                    self.class_field_order
                        .entry(scope)
                        .or_default()
                        .push(name.clone());
                    self.class_fields.insert((scope, name), ty);
                }
            }
            self.visit(ty, scope);
        }
        if let Some(right) = right {
            if right.ty() == "assignment" {
                self.visit_assignment(right, scope);
            } else {
                self.visit(right, scope);
            }
        }
    }

    pub(in crate::semantic) fn visit_import(&mut self, node: Node<'t>, scope: usize) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
        for child in children {
            match child.ty() {
                "dotted_name" => {
                    let path = dotted(self.source, child);
                    let first = path[0].clone();
                    let qualified = Some(vec![first.clone()]);
                    let binding = Binding::import(BindingKind::Import, qualified, child);
                    self.bind(scope, &first, binding);
                }
                "aliased_import" => {
                    if let (Some(name), Some(alias)) = (child.field("name"), child.field("alias")) {
                        let text = self.source.str(alias);
                        let qualified = Some(dotted(self.source, name));
                        let binding = Binding::import(BindingKind::Import, qualified, alias);
                        self.bind(scope, &text, binding);
                    }
                }
                _ => {}
            }
        }
    }

    pub(in crate::semantic) fn visit_import_from(&mut self, node: Node<'t>, scope: usize) {
        let module = node
            .field("module_name")
            .filter(|m| m.ty() == "dotted_name")
            .map(|m| dotted(self.source, m));
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
        for child in children {
            let (name, local) = match child.ty() {
                "dotted_name" => (child, child),
                "aliased_import" => match (child.field("name"), child.field("alias")) {
                    (Some(n), Some(a)) => (n, a),
                    _ => continue,
                },
                _ => continue,
            };
            let qualified = module.clone().map(|mut m| {
                m.extend(dotted(self.source, name));
                m
            });
            let text = self.source.str(local);
            let binding = Binding::import(BindingKind::FromImport, qualified, local);
            self.bind(scope, &text, binding);
        }
    }
}

/// The (target, value) pairs of `a, b = x, y` when both sides have the same plain length.
fn pairwise<'t>(
    source: &crate::syntax::Source,
    left: Node<'t>,
    right: Node<'t>,
) -> Option<Vec<(Node<'t>, Node<'t>)>> {
    let tuple_like = |n: Node| {
        matches!(
            n.ty(),
            "pattern_list" | "tuple_pattern" | "expression_list" | "tuple"
        )
    };
    // `a, b = await asyncio.gather(x, y)`: each name gets what its awaitable gives.
    let right = match right.ty() {
        "await" => match right.named_child(0) {
            Some(call) if super::resolve::is_gather(source, call) => call.field("arguments")?,
            _ => return None,
        },
        _ => right,
    };
    let right_tuple = tuple_like(right) || right.ty() == "argument_list";
    if !tuple_like(left) || !right_tuple {
        return None;
    }
    let named = |n: Node<'t>| {
        let mut cursor = n.walk();
        n.named_children(&mut cursor)
            .filter(|c| c.ty() != "comment")
            .collect::<Vec<_>>()
    };
    let (targets, values) = (named(left), named(right));
    let plain = |n: &Node| {
        !matches!(
            n.ty(),
            "list_splat_pattern" | "list_splat" | "keyword_argument" | "dictionary_splat"
        )
    };
    (targets.len() == values.len() && targets.iter().all(plain) && values.iter().all(plain))
        .then(|| targets.into_iter().zip(values).collect())
}

/// The names of a flat tuple pattern of two or more plain names (`key, p`, `(key, p)`).
fn flat_names(pattern: Node) -> Option<Vec<Node>> {
    if !matches!(pattern.ty(), "pattern_list" | "tuple_pattern" | "tuple") {
        return None;
    }
    let mut cursor = pattern.walk();
    let names: Vec<Node> = pattern.named_children(&mut cursor).collect();
    (names.len() >= 2 && names.iter().all(|n| n.ty() == "identifier")).then_some(names)
}

/// `for i, x in enumerate(xs)` → (`i`, `x`, `xs`).
fn enumerated<'t>(
    source: &crate::syntax::Source,
    left: Node<'t>,
    right: Node<'t>,
) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
    if !matches!(left.ty(), "pattern_list" | "tuple_pattern") || left.named_child_count() != 2 {
        return None;
    }
    if right.ty() != "call" {
        return None;
    }
    let callee = right.field("function")?;
    if source.str(callee) != "enumerate" {
        return None;
    }
    let args = right.field("arguments")?;
    let iterable = args.named_child(0)?;
    Some((left.named_child(0)?, left.named_child(1)?, iterable))
}

#[cfg(test)]
#[path = "builder_tests.rs"]
mod tests;

/// The nodes that name the parameters of `parameters` (`x`, `*args`, `**kw`), without their
/// defaults and annotations.
fn parameter_names(parameters: Node) -> Vec<Node> {
    let mut cursor = parameters.walk();
    parameters
        .named_children(&mut cursor)
        .filter_map(|p| match p.ty() {
            "identifier" | "list_splat_pattern" | "dictionary_splat_pattern" => Some(p),
            "default_parameter" | "typed_default_parameter" => p.field("name"),
            "typed_parameter" => p.named_child(0),
            _ => None,
        })
        .collect()
}
