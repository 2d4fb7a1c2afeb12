//! Scopes, bindings and resolution.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use super::kinds::{attribute_kind, client_call_result, object_call_result, SdkKind, SdkValue};
use crate::parse::Source;

/// How deep inference may recurse through assignments and returns (guards cycles like `a = b; b = a`).
const MAX_DEPTH: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Function,
    Class,
}

#[derive(Debug, Clone, Copy)]
enum BindingKind<'t> {
    /// `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`.
    Import,
    /// `from a import b [as c]`.
    FromImport,
    /// `x = value` (also walrus and `with value as x`).
    Assign(Node<'t>),
    /// `for x in iter`.
    Loop(Node<'t>),
    /// `def f(): ...`: calls of `f` take the kind its `return`s agree on.
    Def(Node<'t>),
    /// `except TYPE as name`.
    Except(Node<'t>),
    /// `class C: ...` defined in this file: calling it makes an instance whose methods and
    /// `self.attr`s the model follows.
    Class(Node<'t>),
    /// A parameter: (its function, its position, its annotation).
    Param(Node<'t>, usize, Option<Node<'t>>),
    /// Anything else: parameters, classes, unpacking, `except ... as`, augmented assignment.
    Other,
}

#[derive(Debug, Clone)]
struct Binding<'t> {
    kind: BindingKind<'t>,
    /// For imports: the qualified name bound, e.g. `replicate.client.Client`.
    qualified: Option<Vec<String>>,
}

#[derive(Debug)]
struct Scope<'t> {
    kind: ScopeKind,
    parent: Option<usize>,
    bindings: HashMap<String, Vec<Binding<'t>>>,
    globals: HashSet<String>,
    /// For a method: the name of its first parameter (`self`), and the class scope.
    method_of: Option<(String, usize)>,
}

/// What an expression refers to.
#[derive(Debug, Clone)]
pub enum Resolved<'t> {
    Unknown,
    /// A name inside the SDK, e.g. `[replicate, predictions, get]`. `module_node` is the identifier
    /// that names the module when the chain starts at `import replicate [as r]`.
    Sdk {
        path: Vec<String>,
        module_node: Option<Node<'t>>,
    },
    /// A value of known kind held by `base`, followed by attribute names (maybe none).
    Member {
        value: SdkValue,
        base: Node<'t>,
        path: Vec<String>,
    },
    /// A function defined in this file.
    Function(Node<'t>),
    /// A class defined in this file.
    Class(Node<'t>),
    /// An instance of a class defined in this file, held by `base`.
    Instance {
        class: Node<'t>,
        base: Node<'t>,
    },
    /// A method of such an instance: (the method, the instance's node).
    Method {
        def: Node<'t>,
        receiver: Node<'t>,
    },
}

/// The receiver and attribute path of a call's callee.
///
/// Ex) `self.client.predictions.get(...)`: the receiver is the `Client` value `self.client`, the
/// path `["predictions", "get"]`. `replicate.run(...)`: the module, path `["run"]`.
#[derive(Debug, Clone)]
pub struct Target<'t> {
    pub value: SdkValue,
    /// The receiver's node; for the module, the identifier naming it (absent after
    /// `from replicate import run`).
    pub base: Option<Node<'t>>,
    pub path: Vec<String>,
}

pub struct SemanticModel<'t> {
    source: &'t Source,
    scopes: Vec<Scope<'t>>,
    /// Scope id of each function, class, lambda and comprehension node, by node id.
    scope_of_node: HashMap<usize, usize>,
    /// `self.attr = value` assignments, by (class scope, attr).
    class_attrs: HashMap<(usize, String), Vec<Node<'t>>>,
    /// Whether the file binds anything to the SDK at all.
    pub imports_sdk: bool,
    /// Whether the file already uses v2-only names (`Replicate`, `AsyncReplicate`,
    /// `replicate.types`), so the module-level API in it is taken as v2.
    pub file_is_v2: bool,
    /// Calls whose callee is a plain name, by that name.
    calls_by_name: HashMap<String, Vec<Node<'t>>>,
    /// Calls whose callee is an attribute (`x.method(...)`), by the attribute's name.
    attr_calls: HashMap<String, Vec<Node<'t>>>,
    /// How often each identifier text occurs in the file.
    name_uses: HashMap<String, usize>,
    /// Arguments of `NAME.append(x)` calls, by NAME.
    appends: HashMap<String, Vec<Node<'t>>>,
    /// Values stored with `NAME[key] = value`, by NAME.
    dict_sets: HashMap<String, Vec<Node<'t>>>,
    /// Resolved names, by (binding scope, name); kept free of nodes so the model stays
    /// covariant in `'t`.
    name_cache: std::cell::RefCell<HashMap<(usize, String), Cached>>,
    root: Node<'t>,
    /// Set when a depth or fuel limit cut a resolution short (its result is not cached).
    truncated: std::cell::Cell<bool>,
    /// Names being resolved, to stop at cycles (`page = page.get_next_page()`).
    in_progress: std::cell::RefCell<HashSet<(usize, String)>>,
    /// Set when a resolution met a name already in progress.
    hit_cycle: std::cell::Cell<bool>,
    /// Resolution steps left: inference follows assignments, calls and parameters, which in
    /// a pathological file could branch without end; past this budget names resolve to
    /// nothing (quiet, never wrong).
    fuel: std::cell::Cell<u32>,
}

/// Resolution steps per file (a large real file uses a few thousand).
const FUEL: u32 = 2_000_000;

fn is_sdk(path: &[String]) -> bool {
    path.first().is_some_and(|p| p == "replicate")
}

/// v1 spells some names two ways; rules see one.
fn normalize(mut path: Vec<String>) -> Vec<String> {
    if path.len() >= 3 && path[1] == "client" && path[2] == "Client" {
        path.remove(1);
    }
    path
}

fn dotted(source: &Source, node: Node) -> Vec<String> {
    source
        .str(node)
        .split('.')
        .map(|s| s.trim().to_string())
        .collect()
}

impl<'t> SemanticModel<'t> {
    pub fn build(source: &'t Source, tree: &'t Tree) -> Self {
        let mut model = SemanticModel {
            source,
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                parent: None,
                bindings: HashMap::new(),
                globals: HashSet::new(),
                method_of: None,
            }],
            scope_of_node: HashMap::new(),
            class_attrs: HashMap::new(),
            imports_sdk: false,
            file_is_v2: false,
            calls_by_name: HashMap::new(),
            attr_calls: HashMap::new(),
            name_uses: HashMap::new(),
            appends: HashMap::new(),
            dict_sets: HashMap::new(),
            fuel: std::cell::Cell::new(FUEL),
            name_cache: std::cell::RefCell::new(HashMap::new()),
            root: tree.root_node(),
            truncated: std::cell::Cell::new(false),
            in_progress: std::cell::RefCell::new(HashSet::new()),
            hit_cycle: std::cell::Cell::new(false),
        };
        let root = tree.root_node();
        model.scope_of_node.insert(root.id(), 0);
        model.visit_children(root, 0);
        if model.imports_sdk {
            model.index_names(root);
        }
        model
    }

    /// `NAME.append(x)` → (NAME, x).
    fn append_call(&self, call: Node<'t>) -> Option<(String, Node<'t>)> {
        let callee = call.child_by_field_name("function")?;
        if callee.kind() != "attribute" {
            return None;
        }
        let object = callee.child_by_field_name("object")?;
        let attr = callee.child_by_field_name("attribute")?;
        // `xs.append(x)`, or `self.xs.append(x)` (keyed `self.xs`).
        let plain = object.kind() == "identifier"
            || (object.kind() == "attribute"
                && object
                    .child_by_field_name("object")
                    .is_some_and(|o| o.kind() == "identifier"));
        if !plain || self.source.str(attr) != "append" {
            return None;
        }
        let args = call.child_by_field_name("arguments")?;
        let mut cursor = args.walk();
        let items: Vec<Node<'t>> = args
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .collect();
        match items.as_slice() {
            [one] if one.kind() != "keyword_argument" && one.kind() != "list_splat" => {
                Some((self.source.str(object), *one))
            }
            _ => None,
        }
    }

    /// `d = {}` filled only by `d[key] = obj`, all objects of one kind.
    fn dict_of(&self, name: &str, scope: usize, depth: usize) -> Option<SdkValue> {
        let values = self.dict_sets.get(name)?;
        // The `d` assigned into must be this binding's.
        let same_dict = |value: Node<'t>| {
            self.lookup(name, self.scope_at(value)).map(|(s, _)| s) == Some(scope)
        };
        self.container_of(values, same_dict, SdkKind::Dict, true, depth)
    }

    /// `self.xs = []` filled only by `self.xs.append(obj)` in methods of the same class.
    fn appended_attribute(
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
    fn appended_list(&self, name: &str, scope: usize, depth: usize) -> Option<SdkValue> {
        let args = self.appends.get(name)?;
        self.container_of(
            args,
            |arg| self.scope_at(arg) == scope,
            SdkKind::List,
            false,
            depth,
        )
    }

    /// The kind `wrap(kind)` when every stored value (each passing `belongs`) is a v1 object of
    /// one kind from one client.
    fn container_of(
        &self,
        values: &[Node<'t>],
        belongs: impl Fn(Node<'t>) -> bool,
        wrap: fn(super::kinds::ObjectKind) -> SdkKind,
        assumed: bool,
        depth: usize,
    ) -> Option<SdkValue> {
        let mut agreed: Option<SdkValue> = None;
        for value in values {
            if !belongs(*value) {
                return None;
            }
            let v = self.value_of(*value, depth + 1)?;
            let SdkKind::Object(kind) = v.kind else {
                return None;
            };
            let v = SdkValue {
                kind: wrap(kind),
                assumed: v.assumed || assumed,
                ..v
            };
            match &agreed {
                None => agreed = Some(v),
                Some(a) if *a == v => {}
                Some(_) => return None,
            }
        }
        agreed
    }

    fn index_names(&mut self, root: Node<'t>) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "identifier" => {
                    *self.name_uses.entry(self.source.str(node)).or_default() += 1;
                }
                "assignment" => {
                    let stored = node.child_by_field_name("left").and_then(|left| {
                        let target = left.child_by_field_name("value")?;
                        (left.kind() == "subscript" && target.kind() == "identifier")
                            .then(|| (self.source.str(target), node.child_by_field_name("right")))
                    });
                    if let Some((name, Some(value))) = stored {
                        self.dict_sets.entry(name).or_default().push(value);
                    }
                }
                "attribute" => {
                    let v2_name = node.child_by_field_name("attribute").is_some_and(|a| {
                        matches!(self.source.str(a).as_str(), "Replicate" | "AsyncReplicate")
                    }) && node.child_by_field_name("object").is_some_and(|o| {
                        o.kind() == "identifier"
                            && self.resolves_to(
                                self.scope_at(o),
                                &self.source.str(o),
                                &["replicate"],
                            )
                    });
                    if v2_name {
                        self.file_is_v2 = true;
                    }
                }
                "call" => {
                    if let Some((list, arg)) = self.append_call(node) {
                        self.appends.entry(list).or_default().push(arg);
                    }
                    if let Some(f) = node.child_by_field_name("function").map(unsplat) {
                        if let Some(attr) = (f.kind() == "attribute")
                            .then(|| f.child_by_field_name("attribute"))
                            .flatten()
                        {
                            self.attr_calls
                                .entry(self.source.str(attr))
                                .or_default()
                                .push(node);
                        }
                        if f.kind() == "identifier" {
                            self.calls_by_name
                                .entry(self.source.str(f))
                                .or_default()
                                .push(node);
                        }
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
    }

    fn new_scope(&mut self, node: Node<'t>, kind: ScopeKind, parent: usize) -> usize {
        let id = self.scopes.len();
        self.scopes.push(Scope {
            kind,
            parent: Some(parent),
            bindings: HashMap::new(),
            globals: HashSet::new(),
            method_of: None,
        });
        self.scope_of_node.insert(node.id(), id);
        id
    }

    fn bind(&mut self, scope: usize, name: &str, binding: Binding<'t>) {
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
        self.scopes[scope]
            .bindings
            .entry(name.to_string())
            .or_default()
            .push(binding);
    }

    fn bind_other(&mut self, scope: usize, name: Node<'t>) {
        let name = self.source.str(name);
        self.bind(
            scope,
            &name,
            Binding {
                kind: BindingKind::Other,
                qualified: None,
            },
        );
    }

    fn visit_children(&mut self, node: Node<'t>, scope: usize) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.visit(child, scope);
        }
    }

    fn visit(&mut self, node: Node<'t>, scope: usize) {
        match node.kind() {
            "function_definition" => self.visit_function(node, scope),
            "class_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let text = self.source.str(name);
                    // A decorated class may be replaced by its decorator: not followed.
                    let decorated = node
                        .parent()
                        .is_some_and(|p| p.kind() == "decorated_definition");
                    let kind = if decorated {
                        BindingKind::Other
                    } else {
                        BindingKind::Class(node)
                    };
                    self.bind(
                        scope,
                        &text,
                        Binding {
                            kind,
                            qualified: None,
                        },
                    );
                }
                if let Some(args) = node.child_by_field_name("superclasses") {
                    self.visit(args, scope);
                }
                let class_scope = self.new_scope(node, ScopeKind::Class, scope);
                if let Some(body) = node.child_by_field_name("body") {
                    self.visit_children(body, class_scope);
                }
            }
            "lambda" => {
                let inner = self.new_scope(node, ScopeKind::Function, scope);
                if let Some(params) = node.child_by_field_name("parameters") {
                    self.bind_parameters(params, inner, scope);
                }
                if let Some(body) = node.child_by_field_name("body") {
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
                    if child.kind() == "for_in_clause" {
                        if let Some(left) = child.child_by_field_name("left") {
                            let right = child.child_by_field_name("right");
                            self.bind_target(left, inner, right.map(BindingKind::Loop));
                        }
                        if let Some(right) = child.child_by_field_name("right") {
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
                if let Some(left) = node.child_by_field_name("left") {
                    self.bind_target(left, scope, None);
                }
                if let Some(right) = node.child_by_field_name("right") {
                    self.visit(right, scope);
                }
            }
            "named_expression" => {
                if let (Some(name), Some(value)) = (
                    node.child_by_field_name("name"),
                    node.child_by_field_name("value"),
                ) {
                    let target_scope = self.enclosing_non_comprehension(scope, node);
                    self.bind_target(name, target_scope, Some(BindingKind::Assign(value)));
                    self.visit(value, scope);
                }
            }
            "for_statement" => {
                let right = node.child_by_field_name("right");
                if let Some(left) = node.child_by_field_name("left") {
                    match right.and_then(|r| enumerated(self.source, left, r)) {
                        // `for i, x in enumerate(page)`: `x` is an element of `page`.
                        Some((index, item, iterable)) => {
                            self.bind_target(index, scope, None);
                            self.bind_target(item, scope, Some(BindingKind::Loop(iterable)));
                        }
                        None => self.bind_target(left, scope, right.map(BindingKind::Loop)),
                    }
                }
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    if Some(child) != node.child_by_field_name("left") {
                        self.visit(child, scope);
                    }
                }
            }
            "as_pattern" => {
                // `with value as target`, `except E as e`, `case ... as x`.
                let value = node.named_child(0);
                if let Some(alias) = node.child_by_field_name("alias") {
                    let in_with = node.parent().is_some_and(|p| p.kind() == "with_item");
                    let in_except = node.parent().is_some_and(|p| p.kind() == "except_clause");
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
                    if child.kind() == "as" {
                        if let Some(name) = children.get(i + 1) {
                            if name.kind() == "identifier" {
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

    fn enclosing_non_comprehension(&self, mut scope: usize, node: Node<'t>) -> usize {
        // A walrus inside a comprehension binds in the enclosing function or module.
        let mut n = node.parent();
        while let Some(p) = n {
            if matches!(
                p.kind(),
                "list_comprehension"
                    | "set_comprehension"
                    | "dictionary_comprehension"
                    | "generator_expression"
            ) {
                if let Some(parent) = self.scopes[scope].parent {
                    scope = parent;
                }
            } else if matches!(p.kind(), "function_definition" | "lambda" | "module") {
                break;
            }
            n = p.parent();
        }
        scope
    }

    fn visit_function(&mut self, node: Node<'t>, scope: usize) {
        if let Some(name) = node.child_by_field_name("name") {
            let name = self.source.str(name);
            self.bind(
                scope,
                &name,
                Binding {
                    kind: BindingKind::Def(node),
                    qualified: None,
                },
            );
        }
        let inner = self.new_scope(node, ScopeKind::Function, scope);
        if let Some(params) = node.child_by_field_name("parameters") {
            self.bind_parameters(params, inner, scope);
            if self.scopes[scope].kind == ScopeKind::Class {
                let mut cursor = params.walk();
                let first = params.named_children(&mut cursor).next();
                if let Some(first) = first {
                    let name_node = if first.kind() == "identifier" {
                        Some(first)
                    } else {
                        first.named_child(0).filter(|n| n.kind() == "identifier")
                    };
                    if let Some(n) = name_node {
                        self.scopes[inner].method_of = Some((self.source.str(n), scope));
                    }
                }
            }
        }
        if let Some(ret) = node.child_by_field_name("return_type") {
            self.visit(ret, scope);
        }
        if let Some(body) = node.child_by_field_name("body") {
            self.visit_children(body, inner);
        }
    }

    /// Binds each parameter in `inner`; defaults and annotations are evaluated in `outer`.
    fn bind_parameters(&mut self, params: Node<'t>, inner: usize, outer: usize) {
        let function = params.parent().unwrap_or(params);
        let mut cursor = params.walk();
        let children: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
        let mut position = 0;
        for param in children {
            let (name, annotation) = match param.kind() {
                "identifier" => (Some(param), None),
                "default_parameter" | "typed_default_parameter" => {
                    if let Some(value) = param.child_by_field_name("value") {
                        self.visit(value, outer);
                    }
                    (
                        param.child_by_field_name("name"),
                        param.child_by_field_name("type"),
                    )
                }
                "typed_parameter" => {
                    let mut c = param.walk();
                    let first = param.named_children(&mut c).next();
                    match first {
                        Some(n) if n.kind() == "identifier" => {
                            (Some(n), param.child_by_field_name("type"))
                        }
                        Some(splat) => {
                            // `*args: int` nests the splat pattern inside the typed parameter.
                            let mut c2 = splat.walk();
                            let nested = splat
                                .named_children(&mut c2)
                                .find(|n| n.kind() == "identifier");
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
                        .find(|n| n.kind() == "identifier");
                    if let Some(n) = n {
                        self.bind_other(inner, n);
                    }
                    (None, None)
                }
                _ => (None, None),
            };
            if let Some(name) = name {
                let text = self.source.str(name);
                self.bind(
                    inner,
                    &text,
                    Binding {
                        kind: BindingKind::Param(function, position, annotation),
                        qualified: None,
                    },
                );
                position += 1;
            }
        }
    }

    /// Binds every name in an assignment target. `kind` applies to a plain name target only;
    /// names inside tuples and lists are unpacked, so they get `Other`.
    fn bind_target(&mut self, target: Node<'t>, scope: usize, kind: Option<BindingKind<'t>>) {
        match target.kind() {
            "identifier" => {
                let name = self.source.str(target);
                self.bind(
                    scope,
                    &name,
                    Binding {
                        kind: kind.unwrap_or(BindingKind::Other),
                        qualified: None,
                    },
                );
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

    fn record_self_attribute(&mut self, target: Node<'t>, scope: usize, value: Node<'t>) {
        let (Some(object), Some(attr)) = (
            target.child_by_field_name("object"),
            target.child_by_field_name("attribute"),
        ) else {
            return;
        };
        if object.kind() != "identifier" {
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

    fn visit_assignment(&mut self, node: Node<'t>, scope: usize) {
        let right = node.child_by_field_name("right");
        // `a = b = value`: the right side is itself an assignment; every target gets `value`.
        let mut value = right;
        while let Some(v) = value {
            if v.kind() == "assignment" {
                value = v.child_by_field_name("right");
            } else {
                break;
            }
        }
        if let Some(left) = node.child_by_field_name("left") {
            match value.and_then(|v| pairwise(left, v)) {
                // `a, b = x, y`: each name gets its own value.
                Some(pairs) => {
                    for (target, v) in pairs {
                        self.bind_target(target, scope, Some(BindingKind::Assign(v)));
                    }
                }
                None => self.bind_target(left, scope, value.map(BindingKind::Assign)),
            }
        }
        if let Some(ty) = node.child_by_field_name("type") {
            self.visit(ty, scope);
        }
        if let Some(right) = right {
            if right.kind() == "assignment" {
                self.visit_assignment(right, scope);
            } else {
                self.visit(right, scope);
            }
        }
    }

    fn visit_import(&mut self, node: Node<'t>, scope: usize) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
        for child in children {
            match child.kind() {
                "dotted_name" => {
                    let path = dotted(self.source, child);
                    let first = path[0].clone();
                    self.bind(
                        scope,
                        &first,
                        Binding {
                            kind: BindingKind::Import,
                            qualified: Some(vec![first.clone()]),
                        },
                    );
                }
                "aliased_import" => {
                    if let (Some(name), Some(alias)) = (
                        child.child_by_field_name("name"),
                        child.child_by_field_name("alias"),
                    ) {
                        let alias = self.source.str(alias);
                        self.bind(
                            scope,
                            &alias,
                            Binding {
                                kind: BindingKind::Import,
                                qualified: Some(dotted(self.source, name)),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn visit_import_from(&mut self, node: Node<'t>, scope: usize) {
        let module = node
            .child_by_field_name("module_name")
            .filter(|m| m.kind() == "dotted_name")
            .map(|m| dotted(self.source, m));
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
        for child in children {
            let (name, local) = match child.kind() {
                "dotted_name" => (child, child),
                "aliased_import" => match (
                    child.child_by_field_name("name"),
                    child.child_by_field_name("alias"),
                ) {
                    (Some(n), Some(a)) => (n, a),
                    _ => continue,
                },
                _ => continue,
            };
            let qualified = module.clone().map(|mut m| {
                m.extend(dotted(self.source, name));
                m
            });
            let local = self.source.str(local);
            self.bind(
                scope,
                &local,
                Binding {
                    kind: BindingKind::FromImport,
                    qualified,
                },
            );
        }
    }

    // ----- queries -----

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

    fn lookup(&self, name: &str, scope: usize) -> Option<(usize, &[Binding<'t>])> {
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

    fn resolves_to(&self, scope: usize, name: &str, qualified: &[&str]) -> bool {
        match self.lookup(name, scope) {
            Some((_, bindings)) => bindings.iter().all(|b| {
                b.qualified
                    .as_ref()
                    .is_some_and(|q| q.iter().map(String::as_str).eq(qualified.iter().copied()))
                    && matches!(b.kind, BindingKind::Import | BindingKind::FromImport)
            }),
            None => false,
        }
    }

    /// Whether `name` is bound anywhere to something other than the SDK symbol `qualified`.
    pub fn bound_to_other(&self, name: &str, qualified: &[&str]) -> bool {
        self.scopes.iter().any(|scope| {
            scope.bindings.get(name).is_some_and(|bindings| {
                bindings.iter().any(|b| {
                    !matches!(b.kind, BindingKind::Import | BindingKind::FromImport)
                        || !b.qualified.as_ref().is_some_and(|q| {
                            q.iter().map(String::as_str).eq(qualified.iter().copied())
                        })
                })
            })
        })
    }

    /// The annotation of a parameter (its expression), when the name is only that parameter.
    pub fn param_annotation(&self, name: Node<'t>) -> Option<Node<'t>> {
        let (_, bindings) = self.lookup(&self.source.str(name), self.scope_at(name))?;
        match bindings {
            [Binding {
                kind: BindingKind::Param(_, _, Some(annotation)),
                ..
            }] => match annotation.kind() {
                "type" => annotation.named_child(0),
                _ => Some(*annotation),
            },
            _ => None,
        }
    }

    /// Whether every binding of `name`, in every scope, is an import.
    pub fn only_imported(&self, name: &str) -> bool {
        self.scopes.iter().all(|scope| {
            scope.bindings.get(name).is_none_or(|bindings| {
                bindings
                    .iter()
                    .all(|b| matches!(b.kind, BindingKind::Import | BindingKind::FromImport))
            })
        })
    }

    /// Whether an identifier refers to no binding of this file (a builtin such as `open`).
    pub fn is_unbound(&self, name: Node<'t>) -> bool {
        self.lookup(&self.source.str(name), self.scope_at(name))
            .is_none()
    }

    /// The values a plain name is assigned (`x = v`, `with v as x`), or None when any of its
    /// bindings is something else.
    pub fn assigned_values(&self, name: Node<'t>) -> Option<Vec<Node<'t>>> {
        let (_, bindings) = self.lookup(&self.source.str(name), self.scope_at(name))?;
        bindings
            .iter()
            .map(|b| match b.kind {
                BindingKind::Assign(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    /// Whether a name is bound anywhere in the module scope (to avoid clashes when adding one).
    pub fn is_bound_at_module(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.bindings.contains_key(name))
    }

    /// The v1 value an expression holds itself (not an attribute path below one), if proven.
    pub fn value(&self, node: Node<'t>) -> Option<SdkValue> {
        self.value_of(node, 0)
    }

    pub fn resolve(&self, node: Node<'t>) -> Resolved<'t> {
        self.resolve_depth(node, 0)
    }

    fn resolve_depth(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        if depth > MAX_DEPTH || self.fuel.get() == 0 {
            self.truncated.set(true);
            return Resolved::Unknown;
        }
        self.fuel.set(self.fuel.get() - 1);
        match node.kind() {
            "identifier" => self.resolve_name(node, depth),
            "attribute" => {
                let (Some(object), Some(attr)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("attribute"),
                ) else {
                    return Resolved::Unknown;
                };
                if let Some(value) = self.self_attribute(object, attr, depth) {
                    return Resolved::Member {
                        value,
                        base: node,
                        path: vec![],
                    };
                }
                let attr = self.source.str(attr);
                match self.resolve_depth(object, depth + 1) {
                    Resolved::Sdk {
                        mut path,
                        module_node,
                    } => {
                        path.push(attr);
                        let path = normalize(path);
                        if path.len() == 2 && path[1] == "default_client" {
                            return Resolved::Member {
                                value: SdkValue {
                                    kind: SdkKind::Client,
                                    client: Some(self.source.str(node)),
                                    assumed: false,
                                    v2: false,
                                },
                                base: node,
                                path: vec![],
                            };
                        }
                        Resolved::Sdk { path, module_node }
                    }
                    Resolved::Member {
                        value,
                        base,
                        mut path,
                    } => {
                        if path.is_empty() {
                            if let Some(kind) = attribute_kind(value.kind, &attr) {
                                return Resolved::Member {
                                    value: SdkValue {
                                        kind,
                                        client: value.client,
                                        assumed: value.assumed,
                                        v2: value.v2,
                                    },
                                    base: node,
                                    path: vec![],
                                };
                            }
                        }
                        path.push(attr);
                        Resolved::Member { value, base, path }
                    }
                    // `gen.generate` / `gen.client` on an instance of a class of this file.
                    Resolved::Instance { class, .. } => {
                        if let Some(def) = self.method_of(class, &attr) {
                            return Resolved::Method {
                                def,
                                receiver: object,
                            };
                        }
                        match self.instance_attribute(class, &attr, object, depth + 1) {
                            Some(value) => Resolved::Member {
                                value,
                                base: node,
                                path: vec![],
                            },
                            None => Resolved::Unknown,
                        }
                    }
                    _ => Resolved::Unknown,
                }
            }
            "call" => match self.call_value(node, depth) {
                Some(value) => Resolved::Member {
                    value,
                    base: node,
                    path: vec![],
                },
                None => Resolved::Unknown,
            },
            // `Client(...) if headers else replicate`, `client or replicate`: both v1 clients
            // (the module behaves as its default client), so a client either way.
            // `jobs[user]`, `preds[0]`: an element of a dict or list of objects.
            "subscript" => {
                let Some(value) = node.child_by_field_name("value") else {
                    return Resolved::Unknown;
                };
                match self.resolve_depth(value, depth + 1) {
                    Resolved::Member {
                        value: held, path, ..
                    } if path.is_empty() => {
                        let element = match held.kind {
                            SdkKind::Dict(o) | SdkKind::List(o) | SdkKind::Page(o) => {
                                SdkKind::Object(o)
                            }
                            SdkKind::Object(super::kinds::ObjectKind::AsyncOutput) => held.kind,
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
            "conditional_expression" | "boolean_operator" => {
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                let branches: Vec<Node<'t>> = if node.kind() == "conditional_expression" {
                    match parts.as_slice() {
                        [a, _, b] => vec![*a, *b],
                        _ => return Resolved::Unknown,
                    }
                } else {
                    parts
                };
                let mut v2 = false;
                for branch in &branches {
                    match self.resolve_depth(*branch, depth + 1) {
                        Resolved::Member { value, path, .. }
                            if path.is_empty() && value.kind == SdkKind::Client =>
                        {
                            v2 |= value.v2;
                        }
                        Resolved::Sdk { path, .. } if path.len() == 1 => {}
                        _ => return Resolved::Unknown,
                    }
                }
                Resolved::Member {
                    value: SdkValue {
                        kind: SdkKind::Client,
                        client: None,
                        assumed: false,
                        v2,
                    },
                    base: node,
                    path: vec![],
                }
            }
            "list_comprehension" | "list" => {
                // `[make(q) for q in qs]` and `[a, b]` hold objects of one kind.
                let elements: Vec<Node<'t>> = if node.kind() == "list" {
                    let mut cursor = node.walk();
                    node.named_children(&mut cursor).collect()
                } else {
                    node.child_by_field_name("body").into_iter().collect()
                };
                let mut agreed: Option<SdkValue> = None;
                for element in elements {
                    let Some(v) = self.value_of(element, depth + 1) else {
                        return Resolved::Unknown;
                    };
                    let SdkKind::Object(kind) = v.kind else {
                        return Resolved::Unknown;
                    };
                    let v = SdkValue {
                        kind: SdkKind::List(kind),
                        ..v
                    };
                    match &agreed {
                        None => agreed = Some(v),
                        Some(a) if *a == v => {}
                        Some(_) => return Resolved::Unknown,
                    }
                }
                match agreed {
                    Some(value) => Resolved::Member {
                        value,
                        base: node,
                        path: vec![],
                    },
                    None => Resolved::Unknown,
                }
            }
            "await" | "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => match self.resolve_depth(inner, depth + 1) {
                    // Keep the outer node as the base so fixes use the whole expression.
                    Resolved::Member { value, path, base } if path.is_empty() && base == inner => {
                        Resolved::Member {
                            value,
                            base: node,
                            path,
                        }
                    }
                    other => other,
                },
                None => Resolved::Unknown,
            },
            _ => Resolved::Unknown,
        }
    }

    fn self_attribute(&self, object: Node<'t>, attr: Node<'t>, depth: usize) -> Option<SdkValue> {
        if object.kind() != "identifier" {
            return None;
        }
        let scope = self.scope_at(object);
        let (self_name, class_scope) = self.method_scope(scope)?;
        if self.source.str(object) != self_name {
            return None;
        }
        let values = self
            .class_attrs
            .get(&(class_scope, self.source.str(attr)))?;
        let mut agreed: Option<SdkValue> = None;
        for value in values {
            // `self.pending = []`, filled by `self.pending.append(obj)` in the class's methods.
            let v = if value.kind() == "list" && value.named_child_count() == 0 {
                self.appended_attribute(&self_name, &self.source.str(attr), class_scope, depth + 1)?
            } else {
                self.value_of(*value, depth + 1)?
            };
            match &agreed {
                None => agreed = Some(v),
                Some(a) if a.kind == v.kind => {}
                Some(_) => return None,
            }
        }
        let mut value = agreed?;
        if value.kind == SdkKind::Client {
            value.client = Some(format!("{}.{}", self_name, self.source.str(attr)));
        }
        Some(value)
    }

    /// The method scope enclosing `scope` (walking out of lambdas and comprehensions).
    fn method_scope(&self, mut scope: usize) -> Option<(String, usize)> {
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

    fn value_of(&self, node: Node<'t>, depth: usize) -> Option<SdkValue> {
        match self.resolve_depth(node, depth) {
            Resolved::Member { value, path, .. } if path.is_empty() => Some(value),
            _ => None,
        }
    }

    fn resolve_name(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
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

    /// A value a method made with `self.x`, seen from outside through `receiver.x`.
    fn through_receiver(&self, mut value: SdkValue, receiver: Node<'t>) -> SdkValue {
        let receiver_text = simple_text(self.source, receiver);
        value.client = value.client.and_then(|c| match c.split_once('.') {
            Some(("self", rest)) => receiver_text.as_ref().map(|r| format!("{r}.{rest}")),
            _ if c == "self" => receiver_text.clone(),
            _ => Some(c),
        });
        value
    }

    /// What `instance.attr` holds, from the class's `self.attr = ...` assignments.
    fn instance_attribute(
        &self,
        class: Node<'t>,
        attr: &str,
        receiver: Node<'t>,
        depth: usize,
    ) -> Option<SdkValue> {
        let class_scope = *self.scope_of_node.get(&class.id())?;
        let values = self.class_attrs.get(&(class_scope, attr.to_string()))?;
        let mut agreed: Option<SdkValue> = None;
        for value in values {
            let v = if value.kind() == "list" && value.named_child_count() == 0 {
                self.appended_attribute("self", attr, class_scope, depth + 1)?
            } else {
                self.value_of(*value, depth + 1)?
            };
            match &agreed {
                None => agreed = Some(v),
                Some(a) if a.kind == v.kind => {}
                Some(_) => return None,
            }
        }
        let mut value = agreed?;
        if value.kind == SdkKind::Client {
            value.client = Some(format!("self.{attr}"));
        }
        Some(self.through_receiver(value, receiver))
    }

    /// The class of this file that `value` (a call) instantiates.
    fn instance_class(&self, value: Node<'t>, depth: usize) -> Option<Node<'t>> {
        if value.kind() != "call" {
            return None;
        }
        match self.resolve_depth(value.child_by_field_name("function")?, depth + 1) {
            Resolved::Class(class) => Some(class),
            _ => None,
        }
    }

    /// The class a function is a plain method of (defined directly in the class body).
    fn method_class(&self, function: Node<'t>) -> Option<Node<'t>> {
        if function.kind() != "function_definition" {
            return None;
        }
        let body = function.parent().filter(|p| p.kind() == "block")?;
        let class = body.parent().filter(|p| p.kind() == "class_definition")?;
        // Static and class methods have no `self`.
        let mut cursor = function.walk();
        let decorated = function
            .parent()
            .is_some_and(|p| p.kind() == "decorated_definition")
            || function
                .children(&mut cursor)
                .any(|c| c.kind() == "decorator");
        (!decorated).then_some(class)
    }

    /// The method `name` defined directly in `class`'s body.
    fn method_of(&self, class: Node<'t>, name: &str) -> Option<Node<'t>> {
        let body = class.child_by_field_name("body")?;
        let mut cursor = body.walk();
        let found = body.named_children(&mut cursor).find(|d| {
            d.kind() == "function_definition"
                && d.child_by_field_name("name")
                    .is_some_and(|n| self.source.str(n) == name)
        });
        found
    }

    /// A cached resolution, re-anchored at this use of the name.
    fn rebase(&self, cached: &Cached, node: Node<'t>) -> Resolved<'t> {
        match cached {
            Cached::Unknown => Resolved::Unknown,
            Cached::Sdk { path, module } => Resolved::Sdk {
                path: path.clone(),
                module_node: module.then_some(node),
            },
            Cached::Member { value, path } => Resolved::Member {
                value: value.clone(),
                base: node,
                path: path.clone(),
            },
            Cached::Function(start, end) => self
                .root
                .descendant_for_byte_range(*start, *end)
                .filter(|n| n.kind() == "function_definition")
                .map_or(Resolved::Unknown, Resolved::Function),
            Cached::Class(start, end) => self
                .root
                .descendant_for_byte_range(*start, *end)
                .filter(|n| n.kind() == "class_definition")
                .map_or(Resolved::Unknown, Resolved::Class),
            Cached::Instance(start, end) => self
                .root
                .descendant_for_byte_range(*start, *end)
                .filter(|n| n.kind() == "class_definition")
                .map_or(Resolved::Unknown, |class| Resolved::Instance {
                    class,
                    base: node,
                }),
        }
    }

    fn resolve_bindings(
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

    fn enclosing_except_type(&self, node: Node<'t>, name: &str) -> Option<Node<'t>> {
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
    fn except_value(
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
                        kind: SdkKind::Object(super::kinds::ObjectKind::ApiError),
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

    /// What a parameter holds: from an SDK annotation, or else from every call of its function
    /// in this file when they all agree. Either way the value is `assumed`: another module may
    /// call the function with something else, and rebinding the parameter does not update the
    /// caller's object.
    fn param_value(
        &self,
        function: Node<'t>,
        position: usize,
        name: &str,
        annotation: Option<Node<'t>>,
        depth: usize,
    ) -> Option<SdkValue> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(annotation) = annotation {
            // The grammar wraps the annotation's expression in a `type` node.
            let annotation = match annotation.kind() {
                "type" => annotation.named_child(0)?,
                _ => annotation,
            };
            let Resolved::Sdk { path, .. } = self.resolve_depth(annotation, depth + 1) else {
                return None;
            };
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            use super::kinds::ObjectKind::*;
            // v1 names, and the v2 names our import fixes write (so a fixed annotation keeps
            // the v1 calls made on the parameter visible).
            let (kind, v2_annotation) = match &path[1..] {
                ["Client"] => (SdkKind::Client, false),
                ["Replicate"] | ["AsyncReplicate"] => (SdkKind::Client, true),
                ["prediction", "Prediction"] => (SdkKind::Object(Prediction), false),
                ["types", "Prediction"] => (SdkKind::Object(Prediction), true),
                ["training", "Training"] => (SdkKind::Object(Training), false),
                ["types", "TrainingGetResponse"] => (SdkKind::Object(Training), true),
                ["model", "Model"] => (SdkKind::Object(Model), false),
                ["types", "ModelGetResponse"] => (SdkKind::Object(Model), true),
                ["deployment", "Deployment"] => (SdkKind::Object(Deployment), false),
                ["types", "DeploymentGetResponse"] => (SdkKind::Object(Deployment), true),
                ["collection", "Collection"] => (SdkKind::Object(Collection), false),
                ["types", "CollectionGetResponse"] => (SdkKind::Object(Collection), true),
                ["file", "File"] => (SdkKind::Object(File), false),
                ["types", "FileGetResponse"] => (SdkKind::Object(File), true),
                _ => return None,
            };
            let annotated = SdkValue {
                kind,
                client: (kind == SdkKind::Client).then(|| name.to_string()),
                assumed: kind != SdkKind::Client,
                v2: v2_annotation,
            };
            // The call sites may also tell which client made the object.
            return match self.param_value_from_calls(function, position, name, depth) {
                Some(v) if v.kind == annotated.kind && kind != SdkKind::Client => Some(v),
                _ => Some(annotated),
            };
        }
        self.param_value_from_calls(function, position, name, depth)
    }

    fn param_value_from_calls(
        &self,
        function: Node<'t>,
        position: usize,
        name: &str,
        depth: usize,
    ) -> Option<SdkValue> {
        if function.kind() != "function_definition"
            || function
                .parent()
                .is_some_and(|p| p.kind() == "decorated_definition")
        {
            return None;
        }
        let fname = self.source.str(function.child_by_field_name("name")?);
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
            .child_by_field_name("parameters")
            .map(|p| {
                let mut cursor = p.walk();
                p.named_children(&mut cursor)
                    .filter_map(|c| match c.kind() {
                        "identifier" => Some(self.source.str(c)),
                        _ => c.child_by_field_name("name").map(|n| self.source.str(n)),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut agreed: Option<SdkValue> = None;
        for call in calls {
            let callee = unsplat(call.child_by_field_name("function")?);
            // `prediction.cancel()` inside `def cancel(self, prediction)` calls the SDK object's
            // method, not this one.
            let on_own_param = method_class.is_some()
                && call.start_byte() >= function.start_byte()
                && call.end_byte() <= function.end_byte()
                && callee.child_by_field_name("object").is_some_and(|o| {
                    o.kind() == "identifier" && own_params.contains(&self.source.str(o))
                });
            if on_own_param {
                continue;
            }
            match self.resolve_depth(callee, depth + 1) {
                Resolved::Function(def) if def == function => {}
                Resolved::Method { def, .. } if def == function => {}
                _ => return None,
            }
            let info = call.child_by_field_name("arguments")?;
            let mut cursor = info.walk();
            let args: Vec<Node<'t>> = info
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .collect();
            if args
                .iter()
                .any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat"))
            {
                return None;
            }
            let positional: Vec<&Node<'t>> = args
                .iter()
                .filter(|a| a.kind() != "keyword_argument")
                .collect();
            let arg = match positional.get(position) {
                Some(a) => **a,
                None => args
                    .iter()
                    .find(|a| {
                        a.kind() == "keyword_argument"
                            && a.child_by_field_name("name")
                                .is_some_and(|n| self.source.str(n) == name)
                    })?
                    .child_by_field_name("value")?,
            };
            let mut value = self.value_of(arg, depth + 1)?;
            if value.kind == SdkKind::Client {
                value.client = Some(name.to_string());
            }
            // `gen.wait_for(p)` with `p` made by `gen.client`: inside the method that client
            // is `self.client`.
            if method_class.is_some() {
                let receiver = callee
                    .child_by_field_name("object")
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

    /// The callee of a call as receiver + path, when the receiver is SDK-typed.
    pub fn target(&self, callee: Node<'t>) -> Option<Target<'t>> {
        self.target_depth(unsplat(callee), 0)
    }

    fn target_depth(&self, callee: Node<'t>, depth: usize) -> Option<Target<'t>> {
        match self.resolve_depth(callee, depth) {
            Resolved::Sdk { path, module_node } => Some(Target {
                value: SdkValue {
                    kind: SdkKind::Module,
                    client: module_node.map(|n| self.source.str(n)),
                    assumed: false,
                    v2: self.file_is_v2,
                },
                base: module_node,
                path: path[1..].to_vec(),
            }),
            Resolved::Member { value, base, path } => Some(Target {
                value,
                base: Some(base),
                path,
            }),
            _ => None,
        }
    }

    /// The value a call returns, when the semantic model can prove its kind.
    fn call_value(&self, call: Node<'t>, depth: usize) -> Option<SdkValue> {
        let callee = unsplat(call.child_by_field_name("function")?);
        match self.resolve_depth(callee, depth + 1) {
            Resolved::Function(def) => return self.return_value(def, depth + 1),
            Resolved::Method { def, receiver } => {
                let value = self.return_value(def, depth + 1)?;
                return Some(self.through_receiver(value, receiver));
            }
            _ => {}
        }
        let target = self.target_depth(callee, depth + 1)?;
        let path: Vec<&str> = target.path.iter().map(String::as_str).collect();
        match target.value.kind {
            SdkKind::Module => {
                // `AsyncReplicate()` too: its namespaces take the same arguments.
                if matches!(
                    path.as_slice(),
                    ["Client"] | ["Replicate"] | ["AsyncReplicate"]
                ) {
                    // `Client(bearer_token=...)` is v2's alias in use: v2 code.
                    let v2_constructor = path.as_slice() != ["Client"]
                        || call.child_by_field_name("arguments").is_some_and(|args| {
                            let mut cursor = args.walk();
                            let v2 = args.named_children(&mut cursor).any(|a| {
                                a.kind() == "keyword_argument"
                                    && a.child_by_field_name("name").is_some_and(|n| {
                                        matches!(
                                            self.source.str(n).as_str(),
                                            "bearer_token" | "default_headers" | "http_client"
                                        )
                                    })
                            });
                            v2
                        });
                    return Some(SdkValue {
                        kind: SdkKind::Client,
                        client: None,
                        assumed: false,
                        v2: v2_constructor,
                    });
                }
                if path.as_slice() == ["paginate"] {
                    // `replicate.paginate(X.list)` yields the pages of `X.list()`.
                    let args = call.child_by_field_name("arguments")?;
                    let list = self.target_depth(args.named_child(0)?, depth + 1)?;
                    let SdkKind::Page(o) = client_call_result(&list.path)? else {
                        return None;
                    };
                    return Some(SdkValue {
                        kind: SdkKind::Pages(o),
                        client: target.value.client,
                        assumed: target.value.assumed,
                        v2: target.value.v2,
                    });
                }
                let kind = client_call_result(&target.path)?;
                Some(SdkValue {
                    kind,
                    client: target.value.client,
                    assumed: target.value.assumed,
                    v2: target.value.v2 || self.file_is_v2,
                })
            }
            SdkKind::Client => Some(SdkValue {
                kind: client_call_result(&target.path)?,
                client: target.base.map(|b| self.source.str(b)),
                assumed: target.value.assumed,
                v2: target.value.v2,
            }),
            kind => Some(SdkValue {
                kind: object_call_result(kind, &target.path)?,
                client: target.value.client,
                assumed: target.value.assumed,
                v2: target.value.v2,
            }),
        }
    }

    fn return_value(&self, def: Node<'t>, depth: usize) -> Option<SdkValue> {
        let body = def.child_by_field_name("body")?;
        let mut returns = Vec::new();
        collect_returns(body, &mut returns);
        let mut agreed: Option<SdkValue> = None;
        for ret in returns {
            let value = self.value_of(ret.named_child(0)?, depth + 1)?;
            // A client reached through a name local to the function is not reachable outside;
            // a method's `self.client` is, through the instance (see `through_receiver`).
            let is_method = self.method_class(def).is_some();
            let value = SdkValue {
                client: value.client.filter(|c| {
                    let root = c.split('.').next().unwrap_or(c);
                    (is_method && root == "self")
                        || (self.lookup(root, 0).is_some()
                            && self.lookup(root, self.scope_at(ret)).map(|(s, _)| s) == Some(0))
                }),
                ..value
            };
            match &agreed {
                None => agreed = Some(value),
                Some(a) if *a == value => {}
                Some(_) => return None,
            }
        }
        agreed
    }

    /// Whether `client` text (`client`, `self.client`, `r`) names the same thing at `node`
    /// as where the value was produced. Checked by resolving its root name at `node`.
    pub fn client_reachable(&self, client: &str, node: Node<'t>) -> bool {
        let root = client.split('.').next().unwrap_or(client);
        let scope = self.scope_at(node);
        if root == "self" || client.contains('.') {
            return self
                .method_scope(scope)
                .is_some_and(|(self_name, _)| self_name == root);
        }
        // The name must mean the module or a client here too (a parameter may shadow it).
        self.lookup(root, scope).is_some_and(|(_, bindings)| {
            bindings.iter().all(|b| match b.kind {
                BindingKind::Import | BindingKind::FromImport => b
                    .qualified
                    .as_deref()
                    .is_some_and(|q| q.len() == 1 && is_sdk(q)),
                BindingKind::Assign(v) => self
                    .value_of(v, 1)
                    .is_some_and(|v| v.kind == SdkKind::Client),
                BindingKind::Param(function, position, annotation) => self
                    .param_value(function, position, root, annotation, 1)
                    .is_some_and(|v| v.kind == SdkKind::Client),
                _ => false,
            })
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

/// The (target, value) pairs of `a, b = x, y` when both sides have the same plain length.
fn pairwise<'t>(left: Node<'t>, right: Node<'t>) -> Option<Vec<(Node<'t>, Node<'t>)>> {
    let tuple_like = |n: Node| {
        matches!(
            n.kind(),
            "pattern_list" | "tuple_pattern" | "expression_list" | "tuple"
        )
    };
    if !tuple_like(left) || !tuple_like(right) {
        return None;
    }
    let named = |n: Node<'t>| {
        let mut cursor = n.walk();
        n.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .collect::<Vec<_>>()
    };
    let (targets, values) = (named(left), named(right));
    let plain = |n: &Node| !matches!(n.kind(), "list_splat_pattern" | "list_splat");
    (targets.len() == values.len() && targets.iter().all(plain) && values.iter().all(plain))
        .then(|| targets.into_iter().zip(values).collect())
}

/// `for i, x in enumerate(xs)` → (`i`, `x`, `xs`).
fn enumerated<'t>(
    source: &Source,
    left: Node<'t>,
    right: Node<'t>,
) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
    if !matches!(left.kind(), "pattern_list" | "tuple_pattern") || left.named_child_count() != 2 {
        return None;
    }
    if right.kind() != "call" {
        return None;
    }
    let callee = right.child_by_field_name("function")?;
    if source.str(callee) != "enumerate" {
        return None;
    }
    let args = right.child_by_field_name("arguments")?;
    let iterable = args.named_child(0)?;
    Some((left.named_child(0)?, left.named_child(1)?, iterable))
}

/// The text of a plain name or attribute chain (`gen`, `self.gen`), which may be repeated.
fn simple_text(source: &Source, node: Node) -> Option<String> {
    fn simple(node: Node) -> bool {
        match node.kind() {
            "identifier" => true,
            "attribute" => node.child_by_field_name("object").is_some_and(simple),
            _ => false,
        }
    }
    simple(node).then(|| source.str(node))
}

/// A name's resolution without its nodes (a function by its byte range).
#[derive(Debug, Clone)]
enum Cached {
    Unknown,
    Sdk { path: Vec<String>, module: bool },
    Member { value: SdkValue, path: Vec<String> },
    Function(usize, usize),
    Class(usize, usize),
    Instance(usize, usize),
}

impl Cached {
    fn of(resolved: &Resolved) -> Cached {
        match resolved {
            Resolved::Unknown => Cached::Unknown,
            Resolved::Sdk { path, module_node } => Cached::Sdk {
                path: path.clone(),
                module: module_node.is_some(),
            },
            Resolved::Member { value, path, .. } => Cached::Member {
                value: value.clone(),
                path: path.clone(),
            },
            Resolved::Function(def) => Cached::Function(def.start_byte(), def.end_byte()),
            Resolved::Class(c) => Cached::Class(c.start_byte(), c.end_byte()),
            Resolved::Instance { class, .. } => {
                Cached::Instance(class.start_byte(), class.end_byte())
            }
            // Methods are attribute results, never a name's.
            Resolved::Method { .. } => Cached::Unknown,
        }
    }
}

/// tree-sitter-python parses `f(*g(x))` with `*g` as the inner call's callee; the call is `g(x)`.
pub fn unsplat(callee: Node) -> Node {
    match callee.kind() {
        "list_splat" | "dictionary_splat" => callee.named_child(0).unwrap_or(callee),
        _ => callee,
    }
}

fn same_resolution(a: &Resolved, b: &Resolved) -> bool {
    match (a, b) {
        (Resolved::Sdk { path: p1, .. }, Resolved::Sdk { path: p2, .. }) => p1 == p2,
        (
            Resolved::Member {
                value: v1,
                path: p1,
                ..
            },
            Resolved::Member {
                value: v2,
                path: p2,
                ..
            },
        ) => v1 == v2 && p1 == p2,
        (Resolved::Function(f1), Resolved::Function(f2)) => f1 == f2,
        (Resolved::Class(c1), Resolved::Class(c2)) => c1 == c2,
        (Resolved::Instance { class: c1, .. }, Resolved::Instance { class: c2, .. }) => c1 == c2,
        _ => false,
    }
}

fn collect_returns<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "return_statement" => out.push(child),
            "function_definition" | "class_definition" | "lambda" => {}
            _ => collect_returns(child, out),
        }
    }
}
