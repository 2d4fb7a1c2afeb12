//! The walk itself: the explicit stack, children and scopes, and the dispatch on each node's
//! kind (with names read, bound or deleted).

use crate::syntax::{field_name, NodeExt};
use tree_sitter::Node;

use super::super::CompileError;
use super::{
    chain_star, is_chain_link, Ctx, Innermost, Item, Kids, Scope, ScopeKind, Target, Walker, DEBUG,
    DEF_COMP_ITER, DEF_GLOBAL, DEF_LOCAL, DEF_NONLOCAL, USE,
};

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    pub(super) fn text(&self, node: Node) -> &'a [u8] {
        &self.b[node.byte_range()]
    }

    pub(super) fn err(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(CompileError::syntax(offset, message));
    }

    /// A node's children (named and not, without comments and line continuations) and fields.
    pub(super) fn kids(&mut self, node: Node<'t>) -> Kids<'t> {
        if let Some((id, kids)) = self.kids_of.take() {
            if id == node.id() {
                return kids;
            }
        }
        if let Some(kids) = self.children.of_node(node) {
            return kids
                .filter(|k| !k.extra)
                .map(|k| (k.node, field_name(k.field)))
                .collect();
        }
        let mut out = Kids::new();
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                let child = self.cursor.node();
                if !child.is_extra() {
                    out.push((child, field_name(self.cursor.field_id())));
                }
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    pub(super) fn named_kids(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        self.kids(node)
            .into_iter()
            .filter(|(n, _)| n.is_named())
            .map(|(n, _)| n)
            .collect()
    }

    pub(super) fn push(
        &mut self,
        node: Node<'t>,
        parent: Node<'t>,
        field: Option<&'static str>,
        ctx: Ctx,
    ) {
        self.stack.push(Item::Visit {
            node,
            parent: Some(parent),
            field,
            ctx,
        });
    }

    /// Pushes `kids` (the named ones) so they are visited in source order.
    pub(super) fn push_all(&mut self, kids: &Kids<'t>, parent: Node<'t>, ctx: Ctx) {
        for &(child, field) in kids.iter().rev() {
            if child.is_named() {
                self.push(child, parent, field, ctx);
            }
        }
    }

    pub(super) fn new_scope(&mut self, kind: ScopeKind, parent: usize, start: usize) -> usize {
        self.scopes.push(Scope::new(kind, parent, start));
        self.scopes.len() - 1
    }

    pub(super) fn flags(&self, scope: usize, name: &[u8]) -> u16 {
        self.scopes[scope].names.get(name).copied().unwrap_or(0)
    }

    pub(super) fn add_flag(&mut self, scope: usize, name: &'a [u8], flag: u16) {
        *self.scopes[scope].names.entry(name).or_insert(0) |= flag;
    }

    /// A name bound by assignment, `for`, `with`, `except`, `def`, `class`, `import`, a pattern.
    pub(super) fn bind(&mut self, name_node: Node, ctx: Ctx, flag: u16) {
        let name = self.text(name_node);
        if name == DEBUG {
            self.err(name_node.start_byte(), "cannot assign to __debug__");
        }
        self.add_flag(ctx.scope, name, flag);
    }

    pub(super) fn run(&mut self, root: Node<'t>) {
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

    pub(super) fn visit(
        &mut self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
        ctx: Ctx,
    ) {
        let kind = node.ty();
        if node.is_error() || node.is_missing() {
            return;
        }
        self.lone_comma(node);
        // `def f(a: b:c)`: tree-sitter's `T: bound` of a type parameter list, read anywhere a
        // type is; CPython has it only in `[...]`.
        let in_type_parameters = || {
            node.parent()
                .and_then(|p| p.parent())
                .is_some_and(|g| g.ty() == "type_parameter")
        };
        if kind == "constrained_type" && !in_type_parameters() {
            self.err(node.start_byte(), "invalid syntax");
        }
        // tree-sitter nests any assignment in another (`x = re: plicate.run()`, `a: T = b = 1`,
        // `a += b = 1`, `a = b += 1`), always as its `right`; CPython chains only plain `=`.
        // (Asked from the outer one: `Node::parent` walks down from the root.)
        if matches!(kind, "assignment" | "augmented_assignment") {
            let annotated = |n: Node| n.ty() == "augmented_assignment" || n.field("type").is_some();
            if let Some(inner) = node
                .field("right")
                .filter(|r| matches!(r.ty(), "assignment" | "augmented_assignment"))
            {
                if annotated(node) || annotated(inner) {
                    self.err(inner.start_byte(), "invalid syntax");
                }
            }
        }
        match kind {
            "identifier" => self.identifier(node, ctx),
            "keyword_argument" => {
                if let Some(name) = node.field("name") {
                    let text = self.text(name);
                    if text == b"async" || text == b"await" {
                        self.err(name.start_byte(), "invalid syntax");
                    } else if text == DEBUG {
                        self.err(name.start_byte(), "cannot assign to __debug__");
                    }
                }
                if let Some(value) = node.field("value") {
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
                    if matches!(operand.ty(), "await" | "unary_operator" | "not_operator") {
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
                if kids.first().is_some_and(|(k, _)| k.ty() == "async") {
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
                if !kids.iter().any(|(k, _)| k.ty() == "chevron") {
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
                if let Some(&(list, _)) = kids.iter().find(|(k, _)| k.ty() == "expression_list") {
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
                if let Some(left) = node.field("left") {
                    self.check_aug_target(left);
                    self.push(left, node, Some("left"), ctx.with_target(Target::Store));
                }
                if let Some(right) = node.field("right") {
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
                    if child.ty() == "interpolation" {
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
                    if op.ty() == "<>" {
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

    pub(super) fn visit_postfix(&mut self, node: Node<'t>, ctx: Ctx) {
        if node.ty() != "attribute" {
            return self.generic(node, ctx.load());
        }
        if ctx.target == Target::Store {
            if let Some(attr) = node.field("attribute") {
                if self.text(attr) == DEBUG {
                    self.err(attr.start_byte(), "cannot assign to __debug__");
                }
            }
        }
        if let Some(object) = node.field("object") {
            self.push(object, node, Some("object"), ctx.load());
        }
    }

    pub(super) fn generic(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        self.push_all(&kids, node, ctx);
    }

    pub(super) fn identifier(&mut self, node: Node, ctx: Ctx) {
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
}
