//! Statements: `for`, `try` and `except`/`except*`, `with`, and assignments.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{
    Ctx, Innermost, ScopeKind, Target, Walker, DEF_ANNOT, DEF_GLOBAL, DEF_LOCAL, DEF_NONLOCAL,
};

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    pub(super) fn for_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if kids.first().is_some_and(|(k, _)| k.ty() == "async") {
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

    pub(super) fn try_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let handlers: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.ty() == "except_clause")
            .map(|(k, _)| *k)
            .collect();
        let has_finally = kids.iter().any(|(k, _)| k.ty() == "finally_clause");
        if handlers.is_empty() && !has_finally {
            let at = kids
                .iter()
                .find(|(k, _)| k.ty() == "else_clause")
                .map_or_else(|| self.next_token(node.end_byte()), |(k, _)| k.start_byte());
            self.err(at, "expected 'except' or 'finally' block");
        }
        let star = |h: &Node| h.child(1).is_some_and(|c| c.ty() == "*");
        let first_star = handlers.first().map(star);
        for (i, h) in handlers.iter().enumerate() {
            if Some(star(h)) != first_star {
                self.err(
                    h.start_byte(),
                    "cannot have both 'except' and 'except*' on the same 'try'",
                );
                break;
            }
            let bare = h.field("value").is_none();
            if bare && !star(h) && i + 1 < handlers.len() {
                self.err(h.start_byte(), "default 'except:' must be last");
            }
        }
        self.push_all(&kids, node, ctx.load());
    }

    pub(super) fn except_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let star = kids.get(1).is_some_and(|(k, _)| k.ty() == "*");
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
                Some("value") if child.ty() == "as_pattern" => {
                    // `except E as name`
                    let kind = child.named_child(0);
                    let alias = child.field("alias").and_then(|a| a.named_child(0));
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

    pub(super) fn except_alias(&mut self, alias: Node<'t>, ctx: Ctx) {
        if alias.ty() == "identifier" {
            if matches!(self.text(alias), b"async" | b"await") {
                self.err(alias.start_byte(), "invalid syntax");
            }
            self.bind(alias, ctx, DEF_LOCAL);
        } else {
            self.err(alias.start_byte(), "invalid syntax");
        }
    }

    pub(super) fn with_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let parens = kids.first().is_some_and(|(k, _)| k.ty() == "(");
        let items: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.ty() == "with_item")
            .map(|(k, _)| *k)
            .collect();
        // `with (a as b):` is one item whose value tree-sitter parenthesizes
        let values: Vec<Node> = items
            .iter()
            .filter_map(|i| i.field("value"))
            .map(|v| match v.named_child(0) {
                Some(inner)
                    if v.ty() == "parenthesized_expression" && inner.ty() == "as_pattern" =>
                {
                    inner
                }
                _ => v,
            })
            .collect();
        let has_as = values.iter().any(|v| v.ty() == "as_pattern");
        for &v in values.iter().rev() {
            match v.ty() {
                // `with (x := f()):` is a parenthesized expression, not a with-item list
                "named_expression" if !parens || has_as => {
                    self.err(v.start_byte(), "invalid syntax")
                }
                "list_splat" if !parens || has_as || values.len() == 1 => {
                    self.err(v.start_byte(), "invalid syntax")
                }
                _ => {}
            }
            if v.ty() != "as_pattern" {
                self.push(v, node, Some("with_item"), ctx.load());
                continue;
            }
            if let Some(target) = v.field("alias").and_then(|a| a.named_child(0)) {
                self.check_expr_target(target, false);
                self.push(target, v, None, ctx.with_target(Target::Store));
            }
            if let Some(value) = v.named_child(0) {
                self.push(value, v, None, ctx.load());
            }
        }
    }

    /// An `as` outside a `with` item, an `except` or a case pattern: `x = a as b`.
    pub(super) fn as_pattern(&mut self, node: Node<'t>) {
        self.err(node.start_byte(), "invalid syntax");
    }

    pub(super) fn assignment(&mut self, node: Node<'t>, ctx: Ctx) {
        let left = node.field("left");
        let ty = node.field("type");
        if let Some(right) = node.field("right") {
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
        if left.ty() == "identifier" {
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
}
