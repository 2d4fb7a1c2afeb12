//! The compile errors that need the syntax tree: one iterative walk (an explicit stack, children
//! listed with one reused TreeCursor) that carries the context each check needs — the scope
//! (module, class, function, lambda, comprehension), the innermost loop or `except*` block, and
//! whether a name is read, bound or deleted — and a symbol table per scope, as CPython's
//! `symtable.c` keeps, for `global`, `nonlocal` and the walrus.

use super::CompileError;
use std::collections::{HashMap, HashSet};
use tree_sitter::{Node, Tree, TreeCursor};

mod patterns;

pub(super) fn check(bytes: &[u8], tree: &Tree, errors: &mut Vec<CompileError>) {
    let root = tree.root_node();
    let mut w = Walker {
        b: bytes,
        errors,
        cursor: root.walk(),
        scopes: vec![Scope::new(ScopeKind::Module, NO_SCOPE, 0)],
        stack: Vec::new(),
        future: Future::default(),
    };
    w.future = w.future_prefix(root);
    w.run(root);
    w.resolve_nonlocals();
}

// Symbol flags, as symtable.c names them.
const USE: u16 = 1;
const DEF_LOCAL: u16 = 2;
const DEF_PARAM: u16 = 4;
const DEF_GLOBAL: u16 = 8;
const DEF_NONLOCAL: u16 = 16;
const DEF_ANNOT: u16 = 32;
const DEF_IMPORT: u16 = 64;
const DEF_COMP_ITER: u16 = 128;
const DEF_BOUND: u16 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

const NO_SCOPE: usize = usize::MAX;
const DEBUG: &[u8] = b"__debug__";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Lambda,
    Comprehension(CompKind),
}

struct Scope<'a> {
    kind: ScopeKind,
    parent: usize,
    start: usize,
    names: HashMap<&'a [u8], u16>,
    /// `global` and `nonlocal` directives: (name, offset, is_nonlocal).
    directives: Vec<(&'a [u8], usize, bool)>,
    has_yield: bool,
    first_return_value: Option<usize>,
    /// A comprehension that awaits, has `async for`, or holds an async comprehension.
    coroutine: bool,
}

impl Scope<'_> {
    fn new(kind: ScopeKind, parent: usize, start: usize) -> Self {
        Scope {
            kind,
            parent,
            start,
            names: HashMap::new(),
            directives: Vec::new(),
            has_yield: false,
            first_return_value: None,
            coroutine: false,
        }
    }
}

/// The innermost frame `break` and `continue` see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Innermost {
    None,
    Loop,
    ExceptStar,
}

/// How a name reached through this node is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Load,
    Store,
    Del,
    /// The target of a comprehension's `for`.
    CompIter,
}

#[derive(Debug, Clone, Copy)]
struct Ctx {
    scope: usize,
    lp: Innermost,
    except_star: bool,
    target: Target,
    annotation: bool,
    comp_iter: bool,
}

impl Ctx {
    fn load(self) -> Ctx {
        Ctx {
            target: Target::Load,
            ..self
        }
    }

    fn with_target(self, target: Target) -> Ctx {
        Ctx { target, ..self }
    }

    fn annotation(self) -> Ctx {
        Ctx {
            target: Target::Load,
            annotation: true,
            ..self
        }
    }

    /// The context of a new scope's body.
    fn scope(scope: usize) -> Ctx {
        Ctx {
            scope,
            lp: Innermost::None,
            except_star: false,
            target: Target::Load,
            annotation: false,
            comp_iter: false,
        }
    }
}

enum Item<'t> {
    Visit {
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
        ctx: Ctx,
    },
    Exit(usize),
}

/// What the module's leading `from __future__` imports turn on.
#[derive(Default)]
struct Future {
    /// The line of the last future import in the leading block (0: none).
    lineno: usize,
    annotations: bool,
}

const FEATURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

struct Walker<'a, 't, 'e> {
    b: &'a [u8],
    errors: &'e mut Vec<CompileError>,
    cursor: TreeCursor<'t>,
    scopes: Vec<Scope<'a>>,
    stack: Vec<Item<'t>>,
    future: Future,
}

type Kids<'t> = Vec<(Node<'t>, Option<&'static str>)>;

/// Whether `(parent, field)` continues a postfix chain: `f` of `f(x)`, `a` of `a.b` or `a[0]`.
fn is_chain_link(parent: Option<Node>, field: Option<&str>) -> bool {
    matches!(
        (parent.map(|p| p.kind()), field),
        (Some("call"), Some("function"))
            | (Some("attribute"), Some("object"))
            | (Some("subscript"), Some("value"))
    )
}

/// The `*` tree-sitter put at the bottom of a postfix chain (`*f(x).y`), if any.
fn chain_star(node: Node) -> Option<Node> {
    let mut n = node;
    loop {
        let next = match n.kind() {
            "call" => n.child_by_field_name("function"),
            "attribute" => n.child_by_field_name("object"),
            "subscript" => n.child_by_field_name("value"),
            "list_splat" => return Some(n),
            _ => return None,
        }?;
        n = next;
    }
}

fn is_string_kind(kind: &str) -> bool {
    matches!(kind, "string" | "concatenated_string")
}

/// CPython's `_PyPegen_get_expr_name`, for "cannot assign to ...".
fn expr_name(node: Node, b: &[u8]) -> &'static str {
    match node.kind() {
        "call" => "function call",
        "integer" | "float" => "literal",
        "string" | "concatenated_string" => {
            if string_is_f(node, b) {
                "f-string expression"
            } else {
                "literal"
            }
        }
        "true" => "True",
        "false" => "False",
        "none" => "None",
        "ellipsis" => "ellipsis",
        "comparison_operator" => "comparison",
        "conditional_expression" => "conditional expression",
        "lambda" => "lambda",
        "named_expression" => "named expression",
        "await" => "await expression",
        "yield" => "yield expression",
        "list_comprehension" => "list comprehension",
        "set_comprehension" => "set comprehension",
        "dictionary_comprehension" => "dict comprehension",
        "generator_expression" => "generator expression",
        "dictionary" => "dict literal",
        "set" => "set display",
        "list_splat" | "list_splat_pattern" => "starred",
        "tuple" | "pattern_list" | "expression_list" | "tuple_pattern" => "tuple",
        "list" | "list_pattern" => "list",
        "attribute" => "attribute",
        "subscript" => "subscript",
        "identifier" => "name",
        _ => "expression",
    }
}

/// Whether a string (or any part of a concatenation) is an f-string.
fn string_is_f(node: Node, b: &[u8]) -> bool {
    let prefix_f = |s: Node| {
        s.child(0).is_some_and(|start| {
            b[start.byte_range()]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .any(|c| matches!(c, b'f' | b'F' | b't' | b'T'))
        })
    };
    if node.kind() == "string" {
        return prefix_f(node);
    }
    let mut cursor = node.walk();
    let found = node.named_children(&mut cursor).any(prefix_f);
    found
}

fn string_prefix(node: Node, b: &[u8]) -> Vec<u8> {
    node.child(0).map_or(Vec::new(), |start| {
        b[start.byte_range()]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .map(u8::to_ascii_lowercase)
            .collect()
    })
}

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    fn text(&self, node: Node) -> &'a [u8] {
        &self.b[node.byte_range()]
    }

    fn err(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(CompileError::syntax(offset, message));
    }

    /// A node's children (named and not, without comments and line continuations) and fields.
    fn kids(&mut self, node: Node<'t>) -> Kids<'t> {
        let mut out = Vec::with_capacity(node.child_count());
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                let child = self.cursor.node();
                if !child.is_extra() {
                    out.push((child, self.cursor.field_name()));
                }
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    fn named_kids(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        self.kids(node)
            .into_iter()
            .filter(|(n, _)| n.is_named())
            .map(|(n, _)| n)
            .collect()
    }

    fn push(&mut self, node: Node<'t>, parent: Node<'t>, field: Option<&'static str>, ctx: Ctx) {
        self.stack.push(Item::Visit {
            node,
            parent: Some(parent),
            field,
            ctx,
        });
    }

    /// Pushes `kids` (the named ones) so they are visited in source order.
    fn push_all(&mut self, kids: &Kids<'t>, parent: Node<'t>, ctx: Ctx) {
        for &(child, field) in kids.iter().rev() {
            if child.is_named() {
                self.push(child, parent, field, ctx);
            }
        }
    }

    fn new_scope(&mut self, kind: ScopeKind, parent: usize, start: usize) -> usize {
        self.scopes.push(Scope::new(kind, parent, start));
        self.scopes.len() - 1
    }

    fn flags(&self, scope: usize, name: &[u8]) -> u16 {
        self.scopes[scope].names.get(name).copied().unwrap_or(0)
    }

    fn add_flag(&mut self, scope: usize, name: &'a [u8], flag: u16) {
        *self.scopes[scope].names.entry(name).or_insert(0) |= flag;
    }

    /// A name bound by assignment, `for`, `with`, `except`, `def`, `class`, `import`, a pattern.
    fn bind(&mut self, name_node: Node, ctx: Ctx, flag: u16) {
        let name = self.text(name_node);
        if name == DEBUG {
            self.err(name_node.start_byte(), "cannot assign to __debug__");
        }
        self.add_flag(ctx.scope, name, flag);
    }

    fn run(&mut self, root: Node<'t>) {
        self.stack.push(Item::Visit {
            node: root,
            parent: None,
            field: None,
            ctx: Ctx::scope(0),
        });
        while let Some(item) = self.stack.pop() {
            match item {
                Item::Exit(scope) => self.exit_scope(scope),
                Item::Visit {
                    node,
                    parent,
                    field,
                    ctx,
                } => self.visit(node, parent, field, ctx),
            }
        }
    }

    fn visit(
        &mut self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
        ctx: Ctx,
    ) {
        let kind = node.kind();
        if node.is_error() || node.is_missing() {
            return;
        }
        self.lone_comma(node);
        // `def f(a: b:c)`: tree-sitter's `T: bound` of a type parameter list, read anywhere a
        // type is; CPython has it only in `[...]`.
        let in_type_parameters = || {
            node.parent()
                .and_then(|p| p.parent())
                .is_some_and(|g| g.kind() == "type_parameter")
        };
        if kind == "constrained_type" && !in_type_parameters() {
            self.err(node.start_byte(), "invalid syntax");
        }
        // tree-sitter nests any assignment in another (`x = re: plicate.run()`, `a: T = b = 1`,
        // `a += b = 1`, `a = b += 1`); CPython chains only plain `=`.
        if matches!(kind, "assignment" | "augmented_assignment") {
            let annotated = |n: Node| {
                n.kind() == "augmented_assignment" || n.child_by_field_name("type").is_some()
            };
            if let Some(outer) = node
                .parent()
                .filter(|p| matches!(p.kind(), "assignment" | "augmented_assignment"))
            {
                if annotated(node) || annotated(outer) {
                    self.err(node.start_byte(), "invalid syntax");
                }
            }
        }
        match kind {
            "identifier" => self.identifier(node, ctx),
            "keyword_argument" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let text = self.text(name);
                    if text == b"async" || text == b"await" {
                        self.err(name.start_byte(), "invalid syntax");
                    } else if text == DEBUG {
                        self.err(name.start_byte(), "cannot assign to __debug__");
                    }
                }
                if let Some(value) = node.child_by_field_name("value") {
                    self.push(value, node, Some("value"), ctx.load());
                }
            }
            "argument_list" => {
                let kids = self.kids(node);
                self.arguments(&kids);
                self.push_all(&kids, node, ctx.load());
            }
            "function_definition" => self.function(node, ctx),
            "class_definition" => self.class(node, ctx),
            "lambda" => self.lambda(node, ctx),
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => self.comprehension(node, field, ctx),
            "for_in_clause" => self.for_in_clause(node, ctx),
            "await" => {
                // CPython awaits a primary: `await await x`, `await -x`, `await not x` are
                // errors tree-sitter accepts.
                if let Some(operand) = node.named_child(0) {
                    if matches!(operand.kind(), "await" | "unary_operator" | "not_operator") {
                        self.err(operand.start_byte(), "invalid syntax");
                    }
                }
                self.await_expr(node, ctx);
                self.generic(node, ctx.load());
            }
            "yield" => {
                self.yield_expr(node, ctx);
                self.generic(node, ctx.load());
            }
            "named_expression" => self.walrus(node, parent, field, ctx),
            "list_splat" => {
                if !is_chain_link(parent, field) {
                    self.star_position(node, parent, field);
                }
                self.generic(node, ctx);
            }
            "call" | "attribute" | "subscript" if !is_chain_link(parent, field) => {
                // tree-sitter reads `*f(x)` as `(*f)(x)`: the star belongs to the whole chain
                if let Some(star) = chain_star(node) {
                    self.star_position(star, parent, field);
                }
                self.visit_postfix(node, ctx);
            }
            "call" | "attribute" | "subscript" => self.visit_postfix(node, ctx),
            "as_pattern" => self.as_pattern(node),
            "with_statement" => {
                let kids = self.kids(node);
                if kids.first().is_some_and(|(k, _)| k.kind() == "async") {
                    self.require_async(node, ctx, "'async with' outside async function");
                }
                self.push_all(&kids, node, ctx.load());
            }
            "with_clause" => self.with_clause(node, ctx),
            "for_statement" => self.for_statement(node, ctx),
            "while_statement" => {
                let kids = self.kids(node);
                for &(child, f) in kids.iter().rev() {
                    if !child.is_named() {
                        continue;
                    }
                    let c = if f == Some("body") {
                        Ctx {
                            lp: Innermost::Loop,
                            ..ctx.load()
                        }
                    } else {
                        ctx.load()
                    };
                    self.push(child, node, f, c);
                }
            }
            "try_statement" => self.try_statement(node, ctx),
            "except_clause" => self.except_clause(node, ctx),
            "return_statement" => self.return_statement(node, ctx),
            "break_statement" | "continue_statement" => {
                let what = if kind == "break_statement" {
                    "'break' outside loop"
                } else {
                    "'continue' not properly in loop"
                };
                match ctx.lp {
                    Innermost::Loop => {}
                    Innermost::None => self.err(node.start_byte(), what),
                    Innermost::ExceptStar => self.err(
                        node.start_byte(),
                        "'break', 'continue' and 'return' cannot appear in an except* block",
                    ),
                }
            }
            "global_statement" | "nonlocal_statement" => self.directive(node, ctx),
            "import_statement" => self.import(node, ctx),
            "import_from_statement" | "future_import_statement" => self.import_from(node, ctx),
            "print_statement" => {
                let kids = self.kids(node);
                if !kids.iter().any(|(k, _)| k.kind() == "chevron") {
                    self.err(
                        node.start_byte(),
                        "Missing parentheses in call to 'print'. Did you mean print(...)?",
                    );
                }
                self.push_all(&kids, node, ctx.load());
            }
            "exec_statement" => {
                self.err(
                    node.start_byte(),
                    "Missing parentheses in call to 'exec'. Did you mean exec(...)?",
                );
                self.generic(node, ctx.load());
            }
            "assert_statement" => {
                let kids = self.kids(node);
                if let Some(&(third, _)) = kids.iter().filter(|(k, _)| k.is_named()).nth(2) {
                    self.err(third.start_byte(), "invalid syntax");
                }
                self.push_all(&kids, node, ctx.load());
            }
            "raise_statement" => {
                let kids = self.kids(node);
                if let Some(&(list, _)) = kids.iter().find(|(k, _)| k.kind() == "expression_list") {
                    self.err(list.start_byte(), "invalid syntax");
                }
                self.push_all(&kids, node, ctx.load());
            }
            "delete_statement" => {
                let kids = self.kids(node);
                for &(child, _) in &kids {
                    if child.is_named() {
                        self.check_expr_target(child, true);
                    }
                }
                self.push_all(&kids, node, ctx.with_target(Target::Del));
            }
            "assignment" => self.assignment(node, ctx),
            "augmented_assignment" => {
                if let Some(left) = node.child_by_field_name("left") {
                    self.check_aug_target(left);
                    self.push(left, node, Some("left"), ctx.with_target(Target::Store));
                }
                if let Some(right) = node.child_by_field_name("right") {
                    self.push(right, node, Some("right"), ctx.load());
                }
            }
            "string" => {
                let kids = self.kids(node);
                if let Some(&(start, _)) = kids.first() {
                    if self.text(start).contains(&b'`') {
                        self.err(start.start_byte(), "invalid syntax");
                    }
                }
                for &(child, f) in kids.iter().rev() {
                    if child.kind() == "interpolation" {
                        self.push(child, node, f, ctx.load());
                    }
                }
            }
            "interpolation" | "format_expression" => self.generic(node, ctx.load()),
            "type_conversion" => {
                if !matches!(self.text(node), b"!s" | b"!r" | b"!a") {
                    self.err(
                        node.start_byte(),
                        "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                    );
                }
            }
            "comparison_operator" => {
                let kids = self.kids(node);
                // `<>` even under `from __future__ import barry_as_FLUFL`: the parser reads
                // the file before its future imports take effect
                for &(op, _) in &kids {
                    if op.kind() == "<>" {
                        self.err(op.start_byte(), "invalid syntax");
                    }
                }
                self.push_all(&kids, node, ctx.load());
            }
            "match_statement" => self.match_statement(node, ctx),
            "case_clause" => self.case_clause(node, ctx),
            "type" => self.generic(node, ctx.annotation()),
            "type_alias_statement"
            | "type_parameter"
            | "dotted_name"
            | "comment"
            | "line_continuation"
            | "string_content"
            | "escape_sequence"
            | "integer"
            | "float"
            | "true"
            | "false"
            | "none"
            | "ellipsis"
            | "keyword_separator"
            | "positional_separator" => {}
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "expression_list" => self.generic(node, ctx),
            "expression_statement" => {
                self.generic(node, ctx.load());
            }
            _ => self.generic(node, ctx.load()),
        }
    }

    fn visit_postfix(&mut self, node: Node<'t>, ctx: Ctx) {
        if node.kind() != "attribute" {
            return self.generic(node, ctx.load());
        }
        if ctx.target == Target::Store {
            if let Some(attr) = node.child_by_field_name("attribute") {
                if self.text(attr) == DEBUG {
                    self.err(attr.start_byte(), "cannot assign to __debug__");
                }
            }
        }
        if let Some(object) = node.child_by_field_name("object") {
            self.push(object, node, Some("object"), ctx.load());
        }
    }

    fn generic(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        self.push_all(&kids, node, ctx);
    }

    fn identifier(&mut self, node: Node, ctx: Ctx) {
        let name = self.text(node);
        if name == b"async" || name == b"await" {
            self.err(node.start_byte(), "invalid syntax");
        }
        match ctx.target {
            Target::Load => {
                if !(ctx.annotation && self.future.annotations) {
                    self.add_flag(ctx.scope, name, USE);
                }
            }
            Target::Store => self.bind(node, ctx, DEF_LOCAL),
            Target::Del => {
                if name == DEBUG {
                    self.err(node.start_byte(), "cannot delete __debug__");
                }
                self.add_flag(ctx.scope, name, DEF_LOCAL);
            }
            Target::CompIter => {
                if self.flags(ctx.scope, name) & (DEF_GLOBAL | DEF_NONLOCAL) != 0 {
                    self.err(
                        node.start_byte(),
                        format!(
                            "comprehension inner loop cannot rebind assignment expression target '{}'",
                            String::from_utf8_lossy(name)
                        ),
                    );
                }
                self.bind(node, ctx, DEF_LOCAL | DEF_COMP_ITER);
            }
        }
    }

    // ---- scopes: functions, classes, lambdas, comprehensions ----

    fn function(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let is_async = kids.first().is_some_and(|(k, _)| k.kind() == "async");
        if let Some(name) = node.child_by_field_name("name") {
            self.bind(name, ctx, DEF_LOCAL);
        }
        let scope = self.new_scope(
            ScopeKind::Function { is_async },
            ctx.scope,
            node.start_byte(),
        );
        self.stack.push(Item::Exit(scope));
        if let Some(body) = node.child_by_field_name("body") {
            self.push(body, node, Some("body"), Ctx::scope(scope));
        }
        if let Some(ret) = node.child_by_field_name("return_type") {
            self.push(ret, node, Some("return_type"), ctx.annotation());
        }
        if let Some(params) = node.child_by_field_name("parameters") {
            self.parameters(params, scope, ctx, false);
        }
    }

    fn class(&mut self, node: Node<'t>, ctx: Ctx) {
        if let Some(name) = node.child_by_field_name("name") {
            self.bind(name, ctx, DEF_LOCAL);
        }
        let scope = self.new_scope(ScopeKind::Class, ctx.scope, node.start_byte());
        self.stack.push(Item::Exit(scope));
        if let Some(body) = node.child_by_field_name("body") {
            self.push(body, node, Some("body"), Ctx::scope(scope));
        }
        if let Some(bases) = node.child_by_field_name("superclasses") {
            self.push(bases, node, Some("superclasses"), ctx.load());
        }
    }

    fn lambda(&mut self, node: Node<'t>, ctx: Ctx) {
        let scope = self.new_scope(ScopeKind::Lambda, ctx.scope, node.start_byte());
        self.stack.push(Item::Exit(scope));
        if let Some(body) = node.child_by_field_name("body") {
            let inner = Ctx {
                comp_iter: ctx.comp_iter,
                ..Ctx::scope(scope)
            };
            self.push(body, node, Some("body"), inner);
        }
        if let Some(params) = node.child_by_field_name("parameters") {
            self.parameters(params, scope, ctx, true);
        }
    }

    fn exit_scope(&mut self, scope: usize) {
        let s = &self.scopes[scope];
        match s.kind {
            ScopeKind::Function { is_async: true } if s.has_yield => {
                if let Some(at) = s.first_return_value {
                    self.err(at, "'return' with value in async generator");
                }
            }
            ScopeKind::Comprehension(kind) if s.coroutine && kind != CompKind::Gen => {
                let (start, parent) = (s.start, s.parent);
                match self.scopes[parent].kind {
                    ScopeKind::Function { is_async: true } => {}
                    ScopeKind::Comprehension(_) => self.scopes[parent].coroutine = true,
                    _ => self.err(
                        start,
                        "asynchronous comprehension outside of an asynchronous function",
                    ),
                }
            }
            _ => {}
        }
    }

    /// Parameters of a def or lambda: their order, duplicates, and the scope they bind in.
    /// Defaults and annotations are pushed to be visited in the enclosing `ctx`.
    fn parameters(&mut self, params: Node<'t>, scope: usize, ctx: Ctx, lambda: bool) {
        let kids = self.kids(params);
        let mut seen_slash = false;
        let mut seen_star = false;
        let mut bare_star: Option<usize> = None;
        let mut seen_dstar = false;
        let mut seen_default = false;
        let mut any_before = false;
        for &(p, _) in &kids {
            if !p.is_named() {
                continue;
            }
            let at = p.start_byte();
            if seen_dstar {
                self.err(at, "arguments cannot follow var-keyword argument");
                break;
            }
            // the parameter's own shape, under any annotation
            let (shape, name) = match p.kind() {
                "typed_parameter" => {
                    let inner = p.named_child(0);
                    match inner.map(|n| n.kind()) {
                        Some("list_splat_pattern") => {
                            ("star", inner.and_then(|n| n.named_child(0)))
                        }
                        Some("dictionary_splat_pattern") => {
                            ("dstar", inner.and_then(|n| n.named_child(0)))
                        }
                        _ => ("plain", inner),
                    }
                }
                "default_parameter" | "typed_default_parameter" => {
                    ("default", p.child_by_field_name("name"))
                }
                "list_splat_pattern" => ("star", p.named_child(0)),
                "dictionary_splat_pattern" => ("dstar", p.named_child(0)),
                "positional_separator" => ("slash", None),
                "keyword_separator" => ("bare_star", None),
                "tuple_pattern" => ("tuple", None),
                _ => ("plain", Some(p)),
            };
            match shape {
                "slash" => {
                    if !any_before {
                        self.err(at, "at least one argument must precede /");
                    } else if seen_slash {
                        self.err(at, "/ may appear only once");
                    } else if seen_star {
                        self.err(at, "/ must be ahead of *");
                    }
                    seen_slash = true;
                }
                "bare_star" | "star" => {
                    if seen_star {
                        self.err(at, "* argument may appear only once");
                    }
                    seen_star = true;
                    if shape == "bare_star" {
                        bare_star = Some(at);
                    }
                }
                "dstar" => {
                    if let Some(star) = bare_star.take() {
                        self.err(star, "named arguments must follow bare *");
                    }
                    seen_dstar = true;
                }
                "tuple" => {
                    let what = if lambda {
                        "Lambda expression"
                    } else {
                        "Function"
                    };
                    self.err(at, format!("{what} parameters cannot be parenthesized"));
                }
                "default" => {
                    if name.is_some_and(|n| n.kind() == "tuple_pattern") {
                        let what = if lambda {
                            "Lambda expression"
                        } else {
                            "Function"
                        };
                        self.err(at, format!("{what} parameters cannot be parenthesized"));
                    }
                    if !seen_star {
                        seen_default = true;
                    }
                    bare_star = None;
                }
                _ => {
                    if !seen_star && seen_default {
                        self.err(at, "non-default argument follows default argument");
                    }
                    bare_star = None;
                }
            }
            any_before = true;
            if let Some(name) = name.filter(|n| n.kind() == "identifier") {
                let text = self.text(name);
                if text == DEBUG {
                    self.err(name.start_byte(), "cannot assign to __debug__");
                }
                if self.flags(scope, text) & DEF_PARAM != 0 {
                    self.err(
                        name.start_byte(),
                        format!(
                            "duplicate argument '{}' in function definition",
                            String::from_utf8_lossy(text)
                        ),
                    );
                }
                self.add_flag(scope, text, DEF_PARAM);
                if text == b"async" || text == b"await" {
                    self.err(name.start_byte(), "invalid syntax");
                }
            }
        }
        if let Some(star) = bare_star {
            self.err(star, "named arguments must follow bare *");
        }
        // defaults and annotations belong to the enclosing scope
        for &(p, _) in kids.iter().rev() {
            if !p.is_named() {
                continue;
            }
            if let Some(value) = p.child_by_field_name("value") {
                self.push(value, p, Some("value"), ctx.load());
            }
            if let Some(ty) = p.child_by_field_name("type") {
                self.push(ty, p, Some("type"), ctx.annotation());
            }
        }
    }

    /// A comprehension: its first iterable runs in the enclosing scope, the rest in its own.
    fn comprehension(&mut self, node: Node<'t>, field: Option<&'static str>, ctx: Ctx) {
        let kind = match node.kind() {
            "list_comprehension" => CompKind::List,
            "set_comprehension" => CompKind::Set,
            "dictionary_comprehension" => CompKind::Dict,
            _ => CompKind::Gen,
        };
        let kids = self.kids(node);
        // `f(x for x in a, b)` and `[x for x in a, b]`: tree-sitter takes `a, b` as the iterable
        for &(clause, _) in &kids {
            if clause.kind() != "for_in_clause" {
                continue;
            }
            let clause_kids = self.kids(clause);
            let rights = clause_kids
                .iter()
                .filter(|(_, f)| *f == Some("right"))
                .count();
            let trailing = clause_kids.last().is_some_and(|(k, _)| k.kind() == ",");
            if rights > 1 || trailing {
                let at = clause_kids
                    .iter()
                    .filter(|(_, f)| *f == Some("right"))
                    .nth(1)
                    .map_or(clause.end_byte(), |(k, _)| k.start_byte());
                if kind == CompKind::Gen && field == Some("arguments") {
                    self.err(
                        node.start_byte(),
                        "Generator expression must be parenthesized",
                    );
                } else {
                    self.err(at, "invalid syntax");
                }
            }
        }
        let scope = self.new_scope(ScopeKind::Comprehension(kind), ctx.scope, node.start_byte());
        // a scope opened inside a comprehension's iterable is still inside it (symtable.c)
        let inner = Ctx {
            comp_iter: ctx.comp_iter,
            ..Ctx::scope(scope)
        };
        self.stack.push(Item::Exit(scope));
        // visited in symtable's order: the first iterable (in the enclosing scope), the first
        // target, the other clauses, then the body
        if let Some(body) = node.child_by_field_name("body") {
            self.push(body, node, Some("body"), inner);
        }
        let first = kids.iter().position(|(k, _)| k.kind() == "for_in_clause");
        for (i, &(child, f)) in kids.iter().enumerate().rev() {
            if child.is_named() && f != Some("body") && Some(i) != first {
                self.push(child, node, f, inner);
            }
        }
        let Some(first) = first.map(|i| kids[i].0) else {
            return;
        };
        let clause_kids = self.kids(first);
        if clause_kids
            .first()
            .is_some_and(|(k, _)| k.kind() == "async")
        {
            self.scopes[scope].coroutine = true;
        }
        for &(child, f) in clause_kids.iter().rev() {
            if f == Some("left") {
                self.check_pattern_target(child);
                self.push(child, first, f, inner.with_target(Target::CompIter));
            }
        }
        for &(right, f) in clause_kids.iter().rev() {
            if f == Some("right") {
                self.push(
                    right,
                    first,
                    f,
                    Ctx {
                        comp_iter: true,
                        ..ctx.load()
                    },
                );
            }
        }
    }

    /// A comprehension's `for` after the first.
    fn for_in_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if kids.first().is_some_and(|(k, _)| k.kind() == "async") {
            self.scopes[ctx.scope].coroutine = true;
        }
        for &(child, f) in kids.iter().rev() {
            match f {
                Some("left") => {
                    self.check_pattern_target(child);
                    self.push(child, node, f, ctx.with_target(Target::CompIter));
                }
                Some("right") => self.push(
                    child,
                    node,
                    f,
                    Ctx {
                        comp_iter: true,
                        ..ctx.load()
                    },
                ),
                _ => {}
            }
        }
    }

    /// A comma right after an opening bracket (`f(,)`, `{,}`) or another comma: tree-sitter
    /// accepts it, CPython does not.
    fn lone_comma(&mut self, node: Node) {
        let mut cursor = node.walk();
        let mut previous: Option<&str> = None;
        for child in node.children(&mut cursor) {
            let kind = child.kind();
            if kind == "," && matches!(previous, Some("(" | "[" | "{" | ",")) {
                self.err(child.start_byte(), "invalid syntax");
                return;
            }
            // (a comment in between: not flagged)
            previous = (!child.is_extra()).then_some(kind);
        }
    }

    fn await_expr(&mut self, node: Node, ctx: Ctx) {
        let at = node.start_byte();
        match self.scopes[ctx.scope].kind {
            ScopeKind::Module | ScopeKind::Class => self.err(at, "'await' outside function"),
            ScopeKind::Function { is_async: false } | ScopeKind::Lambda => {
                self.err(at, "'await' outside async function")
            }
            ScopeKind::Comprehension(_) => self.scopes[ctx.scope].coroutine = true,
            ScopeKind::Function { is_async: true } => {}
        }
    }

    fn yield_expr(&mut self, node: Node, ctx: Ctx) {
        let at = node.start_byte();
        let from = node.child(1).is_some_and(|c| c.kind() == "from");
        match self.scopes[ctx.scope].kind {
            ScopeKind::Module | ScopeKind::Class => self.err(at, "'yield' outside function"),
            ScopeKind::Comprehension(kind) => {
                let what = match kind {
                    CompKind::List => "list comprehension",
                    CompKind::Set => "set comprehension",
                    CompKind::Dict => "dict comprehension",
                    CompKind::Gen => "generator expression",
                };
                self.err(at, format!("'yield' inside {what}"));
            }
            ScopeKind::Function { is_async } => {
                if from && is_async {
                    self.err(at, "'yield from' inside async function");
                }
                self.scopes[ctx.scope].has_yield = true;
            }
            ScopeKind::Lambda => self.scopes[ctx.scope].has_yield = true,
        }
    }

    /// `async for` and `async with` must be directly in an `async def`.
    fn require_async(&mut self, node: Node, ctx: Ctx, message: &str) {
        if self.scopes[ctx.scope].kind != (ScopeKind::Function { is_async: true }) {
            self.err(node.start_byte(), message);
        }
    }

    fn return_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let at = node.start_byte();
        let has_value =
            node.named_child_count() > 0 && self.named_kids(node).iter().any(|k| !k.is_extra());
        match self.scopes[ctx.scope].kind {
            ScopeKind::Function { is_async } => {
                if ctx.except_star {
                    self.err(
                        at,
                        "'break', 'continue' and 'return' cannot appear in an except* block",
                    );
                }
                let s = &mut self.scopes[ctx.scope];
                if is_async && has_value && s.first_return_value.is_none() {
                    s.first_return_value = Some(at);
                }
            }
            _ => self.err(at, "'return' outside function"),
        }
        self.generic(node, ctx.load());
    }

    // ---- names: global, nonlocal, the walrus, imports ----

    fn directive(&mut self, node: Node<'t>, ctx: Ctx) {
        let nonlocal = node.kind() == "nonlocal_statement";
        let word = if nonlocal { "nonlocal" } else { "global" };
        if nonlocal && self.scopes[ctx.scope].kind == ScopeKind::Module {
            self.err(
                node.start_byte(),
                "nonlocal declaration not allowed at module level",
            );
        }
        for name_node in self.named_kids(node) {
            if name_node.kind() != "identifier" {
                continue;
            }
            let name = self.text(name_node);
            let at = name_node.start_byte();
            let shown = String::from_utf8_lossy(name);
            let cur = self.flags(ctx.scope, name);
            let message = if cur & DEF_PARAM != 0 {
                Some(format!("name '{shown}' is parameter and {word}"))
            } else if cur & USE != 0 {
                Some(format!(
                    "name '{shown}' is used prior to {word} declaration"
                ))
            } else if cur & DEF_ANNOT != 0 {
                Some(format!("annotated name '{shown}' can't be {word}"))
            } else if cur & DEF_LOCAL != 0 {
                Some(format!(
                    "name '{shown}' is assigned to before {word} declaration"
                ))
            } else {
                None
            };
            if let Some(message) = message {
                self.err(at, message);
            }
            let flag = if nonlocal { DEF_NONLOCAL } else { DEF_GLOBAL };
            self.add_flag(ctx.scope, name, flag);
            self.scopes[ctx.scope].directives.push((name, at, nonlocal));
        }
    }

    fn walrus(
        &mut self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
        ctx: Ctx,
    ) {
        let at = node.start_byte();
        if let Some(parent) = parent {
            let allowed = match (parent.kind(), field) {
                (
                    "parenthesized_expression"
                    | "list"
                    | "set"
                    | "tuple"
                    | "argument_list"
                    | "decorator"
                    | "interpolation"
                    | "format_expression"
                    | "with_clause"
                    | "ERROR",
                    _,
                ) => true,
                ("subscript", Some("subscript")) => true,
                ("if_statement" | "elif_clause" | "while_statement", Some("condition")) => true,
                ("match_statement", Some("subject")) => true,
                ("case_clause", Some("guard")) => true,
                // tree-sitter reads `x := a if b else c` as `(x := a) if b else c`
                ("conditional_expression", _) => parent.named_child(0) == Some(node),
                (
                    "list_comprehension" | "set_comprehension" | "generator_expression",
                    Some("body"),
                ) => true,
                _ => false,
            };
            if !allowed {
                self.err(at, "invalid syntax");
            }
        }
        if ctx.comp_iter {
            self.err(
                at,
                "assignment expression cannot be used in a comprehension iterable expression",
            );
        }
        if let Some(name_node) = node.child_by_field_name("name") {
            let name = self.text(name_node);
            if name == b"async" || name == b"await" {
                self.err(name_node.start_byte(), "invalid syntax");
            }
            if name == DEBUG {
                self.err(name_node.start_byte(), "cannot assign to __debug__");
            }
            self.walrus_bind(name, name_node.start_byte(), ctx.scope);
        }
        if let Some(value) = node.child_by_field_name("value") {
            self.push(value, node, Some("value"), ctx.load());
        }
    }

    /// symtable's `symtable_extend_namedexpr_scope`: a walrus in a comprehension binds in the
    /// nearest enclosing function (or the module), never in a class.
    fn walrus_bind(&mut self, name: &'a [u8], at: usize, scope: usize) {
        let mut s = scope;
        let mut hops = 0;
        while let ScopeKind::Comprehension(_) = self.scopes[s].kind {
            if self.flags(s, name) & DEF_COMP_ITER != 0 {
                self.err(
                    at,
                    format!(
                        "assignment expression cannot rebind comprehension iteration variable '{}'",
                        String::from_utf8_lossy(name)
                    ),
                );
                return;
            }
            self.add_flag(s, name, DEF_NONLOCAL);
            s = self.scopes[s].parent;
            hops += 1;
            if hops > 256 {
                return; // deeper than CPython's own nesting limits
            }
        }
        match self.scopes[s].kind {
            ScopeKind::Class if s != scope => self.err(
                at,
                "assignment expression within a comprehension cannot be used in a class body",
            ),
            ScopeKind::Module if s != scope => self.add_flag(s, name, DEF_GLOBAL),
            _ => self.add_flag(s, name, DEF_LOCAL),
        }
    }

    fn import(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if kids.last().is_some_and(|(k, _)| k.kind() == ",") {
            self.err(kids[kids.len() - 1].0.start_byte(), "invalid syntax");
        }
        for &(name, f) in &kids {
            if f != Some("name") {
                continue;
            }
            let bound = if name.kind() == "aliased_import" {
                name.child_by_field_name("alias")
            } else {
                name.named_child(0)
            };
            if let Some(bound) = bound {
                self.bind(bound, ctx, DEF_IMPORT);
            }
        }
    }

    fn import_from(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let parens = kids.iter().any(|(k, _)| k.kind() == "(");
        if !parens && kids.last().is_some_and(|(k, _)| k.kind() == ",") {
            self.err(
                kids[kids.len() - 1].0.start_byte(),
                "trailing comma not allowed without surrounding parentheses",
            );
        }
        if node.kind() == "future_import_statement" {
            let line = node.start_position().row + 1;
            if line > self.future.lineno {
                self.err(
                    node.start_byte(),
                    "from __future__ imports must occur at the beginning of the file",
                );
            }
        }
        for &(name, f) in &kids {
            if name.kind() == "wildcard_import" && self.scopes[ctx.scope].kind != ScopeKind::Module
            {
                self.err(name.start_byte(), "import * only allowed at module level");
            }
            if f != Some("name") {
                continue;
            }
            let dotted = if name.kind() == "aliased_import" {
                name.child_by_field_name("name")
            } else {
                Some(name)
            };
            if let Some(dotted) = dotted {
                if dotted.named_child_count() > 1 {
                    self.err(dotted.start_byte(), "invalid syntax");
                }
            }
            let bound = if name.kind() == "aliased_import" {
                name.child_by_field_name("alias")
            } else {
                name.named_child(0)
            };
            if let Some(bound) = bound {
                self.bind(bound, ctx, DEF_IMPORT);
            }
        }
    }

    /// The module's leading block of `from __future__` imports (CPython's `future_parse`):
    /// its features, and the line after which a future import is late.
    fn future_prefix(&mut self, root: Node<'t>) -> Future {
        let mut future = Future::default();
        let stmts = self.named_kids(root);
        let mut i = 0;
        if stmts.first().is_some_and(|s| self.is_docstring(*s)) {
            i = 1;
        }
        let mut done = false;
        let mut prev_line = 0;
        for &stmt in &stmts[i.min(stmts.len())..] {
            let line = stmt.start_position().row + 1;
            if done && line > prev_line {
                break;
            }
            prev_line = line;
            if stmt.kind() != "future_import_statement" {
                done = true;
                continue;
            }
            if done {
                // `import os; from __future__ import x` on one line
                self.err(
                    stmt.start_byte(),
                    "from __future__ imports must occur at the beginning of the file",
                );
                break;
            }
            for (name, f) in self.kids(stmt) {
                if f != Some("name") {
                    continue;
                }
                let dotted = if name.kind() == "aliased_import" {
                    name.child_by_field_name("name")
                } else {
                    Some(name)
                };
                let Some(dotted) = dotted else { continue };
                let feature = String::from_utf8_lossy(self.text(dotted)).into_owned();
                match feature.as_str() {
                    "annotations" => future.annotations = true,
                    "braces" => self.err(dotted.start_byte(), "not a chance"),
                    f if FEATURES.contains(&f) => {}
                    f => self.err(
                        dotted.start_byte(),
                        format!("future feature {f} is not defined"),
                    ),
                }
            }
            future.lineno = line;
        }
        future
    }

    /// A module's first statement that is a plain string (CPython's `_PyAST_GetDocString`).
    fn is_docstring(&mut self, stmt: Node<'t>) -> bool {
        if stmt.kind() != "expression_statement" {
            return false;
        }
        let kids = self.named_kids(stmt);
        let [mut expr] = kids[..] else { return false };
        while expr.kind() == "parenthesized_expression" {
            match expr.named_child(0) {
                Some(inner) => expr = inner,
                None => return false,
            }
        }
        if !is_string_kind(expr.kind()) || string_is_f(expr, self.b) {
            return false;
        }
        let first = if expr.kind() == "string" {
            Some(expr)
        } else {
            expr.named_child(0)
        };
        first.is_some_and(|s| !string_prefix(s, self.b).contains(&b'b'))
    }

    /// `nonlocal x` needs `x` bound in an enclosing function; `x` cannot be both nonlocal and
    /// global. Run after the walk, when every scope's bindings are known.
    fn resolve_nonlocals(&mut self) {
        for s in 0..self.scopes.len() {
            let directives = std::mem::take(&mut self.scopes[s].directives);
            for &(name, at, nonlocal) in &directives {
                let flags = self.flags(s, name);
                if flags & DEF_GLOBAL != 0 && flags & DEF_NONLOCAL != 0 {
                    let first = directives
                        .iter()
                        .filter(|d| d.0 == name)
                        .map(|d| d.1)
                        .min()
                        .unwrap_or(at);
                    if first == at {
                        self.err(
                            at,
                            format!(
                                "name '{}' is nonlocal and global",
                                String::from_utf8_lossy(name)
                            ),
                        );
                    }
                    continue;
                }
                if !nonlocal || self.scopes[s].kind == ScopeKind::Module {
                    continue;
                }
                if !self.nonlocal_bound(s, name) {
                    self.err(
                        at,
                        format!(
                            "no binding for nonlocal '{}' found",
                            String::from_utf8_lossy(name)
                        ),
                    );
                }
            }
        }
    }

    fn nonlocal_bound(&self, scope: usize, name: &[u8]) -> bool {
        let mut p = self.scopes[scope].parent;
        for _ in 0..256 {
            if p == NO_SCOPE {
                return false;
            }
            let flags = self.flags(p, name);
            if flags & DEF_GLOBAL != 0 {
                return false;
            }
            match self.scopes[p].kind {
                ScopeKind::Module => return false,
                // a class binds `__class__` for the functions in it
                ScopeKind::Class if name == b"__class__" => return true,
                ScopeKind::Class => {}
                _ => {
                    if flags & DEF_BOUND != 0 && flags & DEF_NONLOCAL == 0 {
                        return true;
                    }
                }
            }
            p = self.scopes[p].parent;
        }
        true // deeper than CPython's indentation allows: not ours to judge
    }

    // ---- statements ----

    fn for_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if kids.first().is_some_and(|(k, _)| k.kind() == "async") {
            self.require_async(node, ctx, "'async for' outside async function");
        }
        for &(child, f) in kids.iter().rev() {
            if !child.is_named() {
                continue;
            }
            match f {
                Some("left") => {
                    self.check_pattern_target(child);
                    self.push(child, node, f, ctx.with_target(Target::Store));
                }
                Some("body") => self.push(
                    child,
                    node,
                    f,
                    Ctx {
                        lp: Innermost::Loop,
                        ..ctx.load()
                    },
                ),
                _ => self.push(child, node, f, ctx.load()),
            }
        }
    }

    fn try_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let handlers: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.kind() == "except_clause")
            .map(|(k, _)| *k)
            .collect();
        let has_finally = kids.iter().any(|(k, _)| k.kind() == "finally_clause");
        if handlers.is_empty() && !has_finally {
            let at = kids
                .iter()
                .find(|(k, _)| k.kind() == "else_clause")
                .map_or_else(|| self.next_token(node.end_byte()), |(k, _)| k.start_byte());
            self.err(at, "expected 'except' or 'finally' block");
        }
        let star = |h: &Node| h.child(1).is_some_and(|c| c.kind() == "*");
        let first_star = handlers.first().map(star);
        for (i, h) in handlers.iter().enumerate() {
            if Some(star(h)) != first_star {
                self.err(
                    h.start_byte(),
                    "cannot have both 'except' and 'except*' on the same 'try'",
                );
                break;
            }
            let bare = h.child_by_field_name("value").is_none();
            if bare && !star(h) && i + 1 < handlers.len() {
                self.err(h.start_byte(), "default 'except:' must be last");
            }
        }
        self.push_all(&kids, node, ctx.load());
    }

    fn except_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let star = kids.get(1).is_some_and(|(k, _)| k.kind() == "*");
        let values: Vec<Node> = kids
            .iter()
            .filter(|(_, f)| *f == Some("value"))
            .map(|(k, _)| *k)
            .collect();
        if values.len() > 1 {
            self.err(
                values[0].start_byte(),
                "multiple exception types must be parenthesized",
            );
        }
        if star && values.is_empty() {
            self.err(node.start_byte(), "expected one or more exception types");
        }
        let body_ctx = if star {
            Ctx {
                lp: Innermost::ExceptStar,
                except_star: true,
                ..ctx.load()
            }
        } else {
            ctx.load()
        };
        for &(child, f) in kids.iter().rev() {
            if !child.is_named() {
                continue;
            }
            match f {
                Some("value") if child.kind() == "as_pattern" => {
                    // `except E as name`
                    let kind = child.named_child(0);
                    let alias = child
                        .child_by_field_name("alias")
                        .and_then(|a| a.named_child(0));
                    if let Some(alias) = alias {
                        self.except_alias(alias, ctx);
                    }
                    if let Some(kind) = kind {
                        self.push(kind, child, None, ctx.load());
                    }
                }
                Some("alias") => self.except_alias(child, ctx),
                Some("value") => self.push(child, node, f, ctx.load()),
                _ => self.push(child, node, f, body_ctx),
            }
        }
    }

    fn except_alias(&mut self, alias: Node<'t>, ctx: Ctx) {
        if alias.kind() == "identifier" {
            if matches!(self.text(alias), b"async" | b"await") {
                self.err(alias.start_byte(), "invalid syntax");
            }
            self.bind(alias, ctx, DEF_LOCAL);
        } else {
            self.err(alias.start_byte(), "invalid syntax");
        }
    }

    fn with_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let parens = kids.first().is_some_and(|(k, _)| k.kind() == "(");
        let items: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.kind() == "with_item")
            .map(|(k, _)| *k)
            .collect();
        // `with (a as b):` is one item whose value tree-sitter parenthesizes
        let values: Vec<Node> = items
            .iter()
            .filter_map(|i| i.child_by_field_name("value"))
            .map(|v| match v.named_child(0) {
                Some(inner)
                    if v.kind() == "parenthesized_expression" && inner.kind() == "as_pattern" =>
                {
                    inner
                }
                _ => v,
            })
            .collect();
        let has_as = values.iter().any(|v| v.kind() == "as_pattern");
        for &v in values.iter().rev() {
            match v.kind() {
                // `with (x := f()):` is a parenthesized expression, not a with-item list
                "named_expression" if !parens || has_as => {
                    self.err(v.start_byte(), "invalid syntax")
                }
                "list_splat" if !parens || has_as || values.len() == 1 => {
                    self.err(v.start_byte(), "invalid syntax")
                }
                _ => {}
            }
            if v.kind() != "as_pattern" {
                self.push(v, node, Some("with_item"), ctx.load());
                continue;
            }
            if let Some(target) = v
                .child_by_field_name("alias")
                .and_then(|a| a.named_child(0))
            {
                self.check_expr_target(target, false);
                self.push(target, v, None, ctx.with_target(Target::Store));
            }
            if let Some(value) = v.named_child(0) {
                self.push(value, v, None, ctx.load());
            }
        }
    }

    /// An `as` outside a `with` item, an `except` or a case pattern: `x = a as b`.
    fn as_pattern(&mut self, node: Node<'t>) {
        self.err(node.start_byte(), "invalid syntax");
    }

    fn assignment(&mut self, node: Node<'t>, ctx: Ctx) {
        let left = node.child_by_field_name("left");
        let ty = node.child_by_field_name("type");
        if let Some(right) = node.child_by_field_name("right") {
            self.push(right, node, Some("right"), ctx.load());
        }
        if let Some(ty) = ty {
            self.push(ty, node, Some("type"), ctx.annotation());
        }
        let Some(left) = left else { return };
        if ty.is_none() {
            self.check_pattern_target(left);
            self.push(left, node, Some("left"), ctx.with_target(Target::Store));
            return;
        }
        if !self.check_ann_target(left) {
            return;
        }
        if left.kind() == "identifier" {
            // a simple annotated name: `annotated name 'x' can't be global` either way round
            let name = self.text(left);
            let cur = self.flags(ctx.scope, name);
            if cur & (DEF_GLOBAL | DEF_NONLOCAL) != 0
                && self.scopes[ctx.scope].kind != ScopeKind::Module
            {
                let word = if cur & DEF_GLOBAL != 0 {
                    "global"
                } else {
                    "nonlocal"
                };
                self.err(
                    left.start_byte(),
                    format!(
                        "annotated name '{}' can't be {word}",
                        String::from_utf8_lossy(name)
                    ),
                );
            }
            if name == b"async" || name == b"await" {
                self.err(left.start_byte(), "invalid syntax");
            }
            self.bind(left, ctx, DEF_ANNOT | DEF_LOCAL);
        } else {
            self.push(left, node, Some("left"), ctx.with_target(Target::Store));
        }
    }

    // ---- targets ----

    /// The target of `=`, `for` and a comprehension's `for` (tree-sitter patterns): starred
    /// names only inside a sequence, at most one per sequence.
    fn check_pattern_target(&mut self, target: Node<'t>) {
        if target.kind() == "list_splat_pattern" {
            self.err(
                target.start_byte(),
                "starred assignment target must be in a list or tuple",
            );
            return;
        }
        let mut todo = vec![target];
        while let Some(node) = todo.pop() {
            if !matches!(
                node.kind(),
                "pattern_list" | "tuple_pattern" | "list_pattern"
            ) {
                continue;
            }
            let kids = self.named_kids(node);
            let stars: Vec<&Node> = kids
                .iter()
                .filter(|k| k.kind() == "list_splat_pattern")
                .collect();
            if stars.len() > 1 {
                self.err(
                    stars[1].start_byte(),
                    "multiple starred expressions in assignment",
                );
            } else if stars.len() == 1
                && kids.len() == 1
                && node.kind() == "tuple_pattern"
                && !self.has_comma(node)
            {
                self.err(stars[0].start_byte(), "cannot use starred expression here");
            } else if let Some(star) = stars.first() {
                self.star_unpack_limit(&kids, **star);
            }
            todo.extend(kids);
        }
    }

    /// CPython unpacks `a, b, *c = x` with one instruction that counts at most 255 names before
    /// the star.
    fn star_unpack_limit(&mut self, items: &[Node<'t>], star: Node<'t>) {
        let before = items.iter().position(|k| *k == star).unwrap_or(0);
        if before >= 256 {
            self.err(
                star.start_byte(),
                "too many expressions in star-unpacking assignment",
            );
        }
    }

    /// The target of `with ... as` (any expression in tree-sitter) or `del`.
    fn check_expr_target(&mut self, target: Node<'t>, del: bool) {
        let verb = if del { "delete" } else { "assign to" };
        let mut todo = vec![(target, true)];
        while let Some((node, top)) = todo.pop() {
            match node.kind() {
                "identifier" | "attribute" | "subscript" | "ERROR" => {}
                "tuple"
                | "list"
                | "expression_list"
                | "parenthesized_expression"
                | "pattern_list"
                | "tuple_pattern"
                | "list_pattern" => {
                    let kids = self.named_kids(node);
                    let sequence = node.kind() != "parenthesized_expression";
                    let stars: Vec<&Node> = kids
                        .iter()
                        .filter(|k| matches!(k.kind(), "list_splat" | "list_splat_pattern"))
                        .collect();
                    if !del && sequence && stars.len() > 1 {
                        self.err(
                            stars[1].start_byte(),
                            "multiple starred expressions in assignment",
                        );
                    } else if let (false, true, Some(star)) = (del, sequence, stars.first()) {
                        self.star_unpack_limit(&kids, **star);
                    }
                    for k in kids {
                        let star = matches!(k.kind(), "list_splat" | "list_splat_pattern");
                        if star && !del && sequence {
                            if let Some(inner) = k.named_child(0) {
                                todo.push((inner, false));
                            }
                            continue;
                        }
                        todo.push((k, !sequence && top));
                    }
                }
                "list_splat" | "list_splat_pattern" => {
                    if del {
                        self.err(node.start_byte(), "cannot delete starred");
                    } else {
                        self.err(
                            node.start_byte(),
                            "starred assignment target must be in a list or tuple",
                        );
                    }
                }
                _ => {
                    let what = expr_name(node, self.b);
                    self.err(node.start_byte(), format!("cannot {verb} {what}"));
                }
            }
        }
    }

    /// The target of `+=` and friends: a name, attribute or subscript.
    fn check_aug_target(&mut self, target: Node<'t>) {
        let mut node = target;
        loop {
            match node.kind() {
                "identifier" | "attribute" | "subscript" => return,
                "tuple_pattern" if !self.has_comma(node) && node.named_child_count() == 1 => {
                    match node.named_child(0) {
                        Some(inner) => node = inner,
                        None => return,
                    }
                }
                _ => {
                    let what = expr_name(node, self.b);
                    self.err(
                        node.start_byte(),
                        format!("'{what}' is an illegal expression for augmented assignment"),
                    );
                    return;
                }
            }
        }
    }

    /// The target of an annotation: one name, attribute or subscript. Returns whether it is.
    fn check_ann_target(&mut self, target: Node<'t>) -> bool {
        let mut node = target;
        loop {
            match node.kind() {
                "identifier" | "attribute" | "subscript" => return true,
                "tuple_pattern" if !self.has_comma(node) && node.named_child_count() == 1 => {
                    match node.named_child(0) {
                        Some(inner) => node = inner,
                        None => return true,
                    }
                }
                "list_pattern" => {
                    self.err(
                        node.start_byte(),
                        "only single target (not list) can be annotated",
                    );
                    return false;
                }
                "pattern_list" | "tuple_pattern" => {
                    self.err(
                        node.start_byte(),
                        "only single target (not tuple) can be annotated",
                    );
                    return false;
                }
                _ => {
                    self.err(node.start_byte(), "illegal target for annotation");
                    return false;
                }
            }
        }
    }

    /// The offset of the next byte that is not white space, or the last byte.
    fn next_token(&self, from: usize) -> usize {
        self.b[from.min(self.b.len())..]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map_or(self.b.len().saturating_sub(1), |i| from + i)
    }

    fn has_comma(&mut self, node: Node<'t>) -> bool {
        self.kids(node).iter().any(|(k, _)| k.kind() == ",")
    }

    // ---- expressions ----

    /// A `*x` in an expression: only in a display, a call, a subscript, or a bare tuple.
    fn star_position(
        &mut self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
    ) {
        let Some(parent) = parent else { return };
        let at = node.start_byte();
        let message = match parent.kind() {
            "list" | "set" | "expression_list" | "argument_list" | "subscript" | "type"
            | "splat_type" | "delete_statement" | "ERROR" | "pattern_list" | "tuple_pattern"
            | "list_pattern" | "with_clause" => return,
            "tuple" => {
                if parent.named_child_count() > 1 || self.has_comma(parent) {
                    return;
                }
                "cannot use starred expression here"
            }
            "match_statement" => {
                if self.named_kids(parent).len() > 2 || self.has_comma(parent) {
                    return;
                }
                "can't use starred expression here"
            }
            "parenthesized_expression" => "cannot use starred expression here",
            "list_comprehension" | "set_comprehension" | "generator_expression"
                if field == Some("body") =>
            {
                "iterable unpacking cannot be used in comprehension"
            }
            "pair" if field == Some("value") => {
                "cannot use a starred expression in a dictionary value"
            }
            "expression_statement"
            | "assignment"
            | "augmented_assignment"
            | "return_statement"
            | "yield"
            | "for_statement"
            | "interpolation" => "can't use starred expression here",
            _ => "invalid syntax",
        };
        self.err(at, message);
    }

    /// A call's (or a class's) arguments: positional before keyword, `*` before `**`, no
    /// keyword twice.
    fn arguments(&mut self, kids: &Kids<'t>) {
        let mut seen_kw = false;
        let mut seen_dstar = false;
        let mut names: HashSet<&[u8]> = HashSet::new();
        for &(arg, _) in kids {
            if !arg.is_named() {
                continue;
            }
            let at = arg.start_byte();
            match arg.kind() {
                "keyword_argument" => {
                    seen_kw = true;
                    if let Some(name) = arg.child_by_field_name("name") {
                        let text = self.text(name);
                        if !names.insert(text) {
                            self.err(
                                name.start_byte(),
                                format!(
                                    "keyword argument repeated: {}",
                                    String::from_utf8_lossy(text)
                                ),
                            );
                        }
                    }
                }
                "dictionary_splat" => seen_dstar = true,
                "list_splat" => {
                    if seen_dstar {
                        self.err(
                            at,
                            "iterable argument unpacking follows keyword argument unpacking",
                        );
                    }
                }
                "parenthesized_expression"
                    if arg.named_child(0).is_some_and(|c| c.kind() == "list_splat") => {}
                _ => {
                    if seen_dstar {
                        self.err(at, "positional argument follows keyword argument unpacking");
                    } else if seen_kw {
                        self.err(at, "positional argument follows keyword argument");
                    }
                }
            }
        }
    }

    // ---- match ----

    fn match_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if let Some(body) = node.child_by_field_name("body") {
            let cases: Vec<Node> = self
                .named_kids(body)
                .into_iter()
                .filter(|c| c.kind() == "case_clause")
                .collect();
            for (i, case) in cases.iter().enumerate() {
                if i + 1 < cases.len() && case.child_by_field_name("guard").is_none() {
                    self.irrefutable_case(*case);
                }
            }
        }
        self.push_all(&kids, node, ctx.load());
    }

    fn case_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let patterns: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.kind() == "case_pattern")
            .map(|(k, _)| *k)
            .collect();
        let open_sequence = patterns.len() > 1 || kids.iter().any(|(k, _)| k.kind() == ",");
        let names = self.patterns(&patterns, open_sequence);
        for (name, at) in names {
            if name == DEBUG {
                self.err(at, "cannot assign to __debug__");
            }
            self.add_flag(ctx.scope, name, DEF_LOCAL);
        }
        for &(child, f) in kids.iter().rev() {
            match (child.kind(), f) {
                (_, Some("consequence")) => self.push(child, node, f, ctx.load()),
                (_, Some("guard")) => {
                    if let Some(cond) = child.named_child(0) {
                        self.push(cond, node, Some("guard"), ctx.load());
                    }
                }
                _ => {}
            }
        }
    }
}
