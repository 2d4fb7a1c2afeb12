//! Expressions (starred items, call arguments) and `match` statements.

use crate::syntax::{field_name, NodeExt};
use foldhash::{HashSet, HashSetExt};

use tree_sitter::Node;

use super::{Ctx, Kids, Walker, DEBUG, DEF_LOCAL};

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    /// A `*x` in an expression: only in a display, a call, a subscript, or a bare tuple.
    pub(super) fn star_position(
        &mut self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
    ) {
        let Some(parent) = parent else { return };
        let at = node.start_byte();
        let message = match parent.ty() {
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
    pub(super) fn arguments(&mut self, kids: &Kids<'t>) {
        let mut seen_kw = false;
        let mut seen_dstar = false;
        let mut names: HashSet<&[u8]> = HashSet::new();
        for &(arg, _) in kids {
            if !arg.is_named() {
                continue;
            }
            let at = arg.start_byte();
            match arg.ty() {
                "keyword_argument" => {
                    seen_kw = true;
                    if let Some(name) = arg.field("name") {
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
                    if arg.named_child(0).is_some_and(|c| c.ty() == "list_splat") => {}
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

    pub(super) fn match_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        if let Some(body) = node.field("body") {
            let cases: Vec<Node> = self
                .named_kids(body)
                .into_iter()
                .filter(|c| c.ty() == "case_clause")
                .collect();
            for (i, case) in cases.iter().enumerate() {
                if i + 1 < cases.len() && case.field("guard").is_none() {
                    self.irrefutable_case(*case);
                }
            }
        }
        self.push_all(&kids, node, ctx.load());
    }

    pub(super) fn case_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let kids = self.kids(node);
        let patterns: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.ty() == "case_pattern")
            .map(|(k, _)| *k)
            .collect();
        let open_sequence = patterns.len() > 1 || kids.iter().any(|(k, _)| k.ty() == ",");
        let names = self.patterns(&patterns, open_sequence);
        for (name, at) in names {
            if name == DEBUG {
                self.err(at, "cannot assign to __debug__");
            }
            self.add_flag(ctx.scope, name, DEF_LOCAL);
        }
        for &(child, f) in kids.iter().rev() {
            match (child.ty(), f) {
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

    /// A comma right after an opening bracket (`f(,)`, `{,}`) or another comma: tree-sitter
    /// accepts it, CPython does not.
    pub(super) fn lone_comma(&mut self, node: Node<'t>) {
        // A leaf or a one-child node has no bracket or comma before a comma (most nodes).
        if node.child_count() < 2 {
            return;
        }
        let mut previous: Option<&str> = None;
        let mut lone = None;
        let mut kids = Kids::new();
        let mut see = |child: Node<'t>, field: Option<&'static str>, extra: bool| {
            let kind = child.ty();
            if lone.is_none() && kind == "," && matches!(previous, Some("(" | "[" | "{" | ",")) {
                lone = Some(child.start_byte());
            }
            // (a comment in between: not flagged)
            previous = (!extra).then_some(kind);
            if !extra {
                kids.push((child, field));
            }
        };
        if let Some(table) = self.children.of_node(node) {
            for kid in table {
                see(kid.node, field_name(kid.field), kid.extra);
            }
        } else {
            self.cursor.reset(node);
            let mut more = self.cursor.goto_first_child();
            while more {
                let child = self.cursor.node();
                see(child, field_name(self.cursor.field_id()), child.is_extra());
                more = self.cursor.goto_next_sibling();
            }
        }
        if let Some(offset) = lone {
            self.err(offset, "invalid syntax");
        }
        self.kids_of = Some((node.id(), kids));
    }
}
