//! Names: `global`, `nonlocal`, the walrus, imports and `from __future__`, and resolving
//! `nonlocal` once every scope is known.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{
    is_string_kind, string_is_f, string_prefix, Ctx, Future, ScopeKind, Walker, DEBUG, DEF_ANNOT,
    DEF_BOUND, DEF_COMP_ITER, DEF_GLOBAL, DEF_IMPORT, DEF_LOCAL, DEF_NONLOCAL, DEF_PARAM, FEATURES,
    NO_SCOPE, USE,
};

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    pub(super) fn directive(&mut self, node: Node<'t>, ctx: Ctx) {
        let nonlocal = node.ty() == "nonlocal_statement";
        let word = if nonlocal { "nonlocal" } else { "global" };
        if nonlocal && self.scopes[ctx.scope].kind == ScopeKind::Module {
            self.err(
                node.start_byte(),
                "nonlocal declaration not allowed at module level",
            );
        }
        for name_node in self.named_kids(node) {
            if name_node.ty() != "identifier" {
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

    pub(super) fn walrus(
        &mut self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
        ctx: Ctx,
    ) {
        let at = node.start_byte();
        if let Some(parent) = parent {
            let allowed = match (parent.ty(), field) {
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
        if let Some(name_node) = node.field("name") {
            let name = self.text(name_node);
            if name == b"async" || name == b"await" {
                self.err(name_node.start_byte(), "invalid syntax");
            }
            if name == DEBUG {
                self.err(name_node.start_byte(), "cannot assign to __debug__");
            }
            self.walrus_bind(name, name_node.start_byte(), ctx.scope);
        }
        if let Some(value) = node.field("value") {
            self.push(value, node, Some("value"), ctx.load());
        }
    }

    /// symtable's `symtable_extend_namedexpr_scope`: a walrus in a comprehension binds in the
    /// nearest enclosing function (or the module), never in a class.
    pub(super) fn walrus_bind(&mut self, name: &'a [u8], at: usize, scope: usize) {
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

    pub(super) fn import(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if kids.last().is_some_and(|(k, _)| k.ty() == ",") {
            self.err(kids[kids.len() - 1].0.start_byte(), "invalid syntax");
        }
        for &(name, f) in &kids {
            if f != Some("name") {
                continue;
            }
            let bound = if name.ty() == "aliased_import" {
                name.field("alias")
            } else {
                name.named_child(0)
            };
            if let Some(bound) = bound {
                self.bind(bound, ctx, DEF_IMPORT);
            }
        }
    }

    pub(super) fn import_from(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let parens = kids.iter().any(|(k, _)| k.ty() == "(");
        if !parens && kids.last().is_some_and(|(k, _)| k.ty() == ",") {
            self.err(
                kids[kids.len() - 1].0.start_byte(),
                "trailing comma not allowed without surrounding parentheses",
            );
        }
        if node.ty() == "future_import_statement" {
            let line = node.start_position().row + 1;
            if line > self.future.lineno {
                self.err(
                    node.start_byte(),
                    "from __future__ imports must occur at the beginning of the file",
                );
            }
        }
        for &(name, f) in &kids {
            if name.ty() == "wildcard_import" && self.scopes[ctx.scope].kind != ScopeKind::Module {
                self.err(name.start_byte(), "import * only allowed at module level");
            }
            if f != Some("name") {
                continue;
            }
            let dotted = if name.ty() == "aliased_import" {
                name.field("name")
            } else {
                Some(name)
            };
            if let Some(dotted) = dotted {
                if dotted.named_child_count() > 1 {
                    self.err(dotted.start_byte(), "invalid syntax");
                }
            }
            let bound = if name.ty() == "aliased_import" {
                name.field("alias")
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
    pub(super) fn future_prefix(&mut self, root: Node<'t>) -> Future {
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
            if stmt.ty() != "future_import_statement" {
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
                let dotted = if name.ty() == "aliased_import" {
                    name.field("name")
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
    pub(super) fn is_docstring(&mut self, stmt: Node<'t>) -> bool {
        if stmt.ty() != "expression_statement" {
            return false;
        }
        let kids = self.named_kids(stmt);
        let [mut expr] = kids[..] else { return false };
        while expr.ty() == "parenthesized_expression" {
            match expr.named_child(0) {
                Some(inner) => expr = inner,
                None => return false,
            }
        }
        if !is_string_kind(expr.ty()) || string_is_f(expr, self.b) {
            return false;
        }
        let first = if expr.ty() == "string" {
            Some(expr)
        } else {
            expr.named_child(0)
        };
        first.is_some_and(|s| !string_prefix(s, self.b).contains(&b'b'))
    }

    /// `nonlocal x` needs `x` bound in an enclosing function; `x` cannot be both nonlocal and
    /// global. Run after the walk, when every scope's bindings are known.
    pub(super) fn resolve_nonlocals(&mut self) {
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

    pub(super) fn nonlocal_bound(&self, scope: usize, name: &[u8]) -> bool {
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
}
