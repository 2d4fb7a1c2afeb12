//! Scopes: functions, classes, lambdas and comprehensions, their parameters, and what may only
//! appear inside one (`await`, `yield`, `return`).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{CompKind, Ctx, Item, ScopeKind, Target, Walker, DEBUG, DEF_LOCAL, DEF_PARAM};

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    pub(super) fn function(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let is_async = kids.first().is_some_and(|(k, _)| k.ty() == "async");
        if let Some(name) = node.field("name") {
            self.bind(name, ctx, DEF_LOCAL);
        }
        let scope = self.new_scope(
            ScopeKind::Function { is_async },
            ctx.scope,
            node.start_byte(),
        );
        self.stack.push(Item::Exit(scope));
        if let Some(body) = node.field("body") {
            self.push(body, node, Some("body"), Ctx::scope(scope));
        }
        if let Some(ret) = node.field("return_type") {
            self.push(ret, node, Some("return_type"), ctx.annotation());
        }
        if let Some(params) = node.field("parameters") {
            self.parameters(params, scope, ctx, false);
        }
    }

    pub(super) fn class(&mut self, node: Node<'t>, ctx: Ctx) {
        if let Some(name) = node.field("name") {
            self.bind(name, ctx, DEF_LOCAL);
        }
        let scope = self.new_scope(ScopeKind::Class, ctx.scope, node.start_byte());
        self.stack.push(Item::Exit(scope));
        if let Some(body) = node.field("body") {
            self.push(body, node, Some("body"), Ctx::scope(scope));
        }
        if let Some(bases) = node.field("superclasses") {
            self.push(bases, node, Some("superclasses"), ctx.load());
        }
    }

    pub(super) fn lambda(&mut self, node: Node<'t>, ctx: Ctx) {
        let scope = self.new_scope(ScopeKind::Lambda, ctx.scope, node.start_byte());
        self.stack.push(Item::Exit(scope));
        if let Some(body) = node.field("body") {
            let inner = Ctx {
                comp_iter: ctx.comp_iter,
                ..Ctx::scope(scope)
            };
            self.push(body, node, Some("body"), inner);
        }
        if let Some(params) = node.field("parameters") {
            self.parameters(params, scope, ctx, true);
        }
    }

    pub(super) fn exit_scope(&mut self, scope: usize) {
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
    pub(super) fn parameters(&mut self, params: Node<'t>, scope: usize, ctx: Ctx, lambda: bool) {
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
            let (shape, name) = match p.ty() {
                "typed_parameter" => {
                    let inner = p.named_child(0);
                    match inner.map(|n| n.ty()) {
                        Some("list_splat_pattern") => {
                            ("star", inner.and_then(|n| n.named_child(0)))
                        }
                        Some("dictionary_splat_pattern") => {
                            ("dstar", inner.and_then(|n| n.named_child(0)))
                        }
                        _ => ("plain", inner),
                    }
                }
                "default_parameter" | "typed_default_parameter" => ("default", p.field("name")),
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
                    if name.is_some_and(|n| n.ty() == "tuple_pattern") {
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
            if let Some(name) = name.filter(|n| n.ty() == "identifier") {
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
            if let Some(value) = p.field("value") {
                self.push(value, p, Some("value"), ctx.load());
            }
            if let Some(ty) = p.field("type") {
                self.push(ty, p, Some("type"), ctx.annotation());
            }
        }
    }

    /// A comprehension: its first iterable runs in the enclosing scope, the rest in its own.
    pub(super) fn comprehension(&mut self, node: Node<'t>, field: Option<&'static str>, ctx: Ctx) {
        let kind = match node.ty() {
            "list_comprehension" => CompKind::List,
            "set_comprehension" => CompKind::Set,
            "dictionary_comprehension" => CompKind::Dict,
            _ => CompKind::Gen,
        };
        let kids = self.kids(node);
        // `f(x for x in a, b)` and `[x for x in a, b]`: tree-sitter takes `a, b` as the iterable
        for &(clause, _) in &kids {
            if clause.ty() != "for_in_clause" {
                continue;
            }
            let clause_kids = self.kids(clause);
            let rights = clause_kids
                .iter()
                .filter(|(_, f)| *f == Some("right"))
                .count();
            let trailing = clause_kids.last().is_some_and(|(k, _)| k.ty() == ",");
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
        if let Some(body) = node.field("body") {
            self.push(body, node, Some("body"), inner);
        }
        let first = kids.iter().position(|(k, _)| k.ty() == "for_in_clause");
        for (i, &(child, f)) in kids.iter().enumerate().rev() {
            if child.is_named() && f != Some("body") && Some(i) != first {
                self.push(child, node, f, inner);
            }
        }
        let Some(first) = first.map(|i| kids[i].0) else {
            return;
        };
        let clause_kids = self.kids(first);
        if clause_kids.first().is_some_and(|(k, _)| k.ty() == "async") {
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
    pub(super) fn for_in_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if kids.first().is_some_and(|(k, _)| k.ty() == "async") {
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

    pub(super) fn await_expr(&mut self, node: Node, ctx: Ctx) {
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

    pub(super) fn yield_expr(&mut self, node: Node, ctx: Ctx) {
        let at = node.start_byte();
        let from = node.child(1).is_some_and(|c| c.ty() == "from");
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
    pub(super) fn require_async(&mut self, node: Node, ctx: Ctx, message: &str) {
        if self.scopes[ctx.scope].kind != (ScopeKind::Function { is_async: true }) {
            self.err(node.start_byte(), message);
        }
    }

    pub(super) fn return_statement(&mut self, node: Node<'t>, ctx: Ctx) {
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
}
