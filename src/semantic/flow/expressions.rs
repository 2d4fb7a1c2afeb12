//! Expressions: uses and walrus bindings in evaluation order, conditional parts, comprehensions.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{Flow, MAX_CONDITION_DEPTH};

impl<'m, 't> Flow<'m, 't> {
    /// Walks an expression in evaluation order, recording uses and walrus bindings, without
    /// recursion for the common shapes (deep `a + b + ...` chains must not overflow the stack).
    pub(super) fn expression(&mut self, root: Node<'t>) {
        let base = self.pending.len();
        self.pending.push(root);
        while self.pending.len() > base {
            let Some(node) = self.pending.pop() else {
                break;
            };
            match node.ty() {
                "identifier" => self.use_name(node),
                "attribute" => {
                    if let Some(object) = node.field("object") {
                        self.pending.push(object);
                    }
                }
                "keyword_argument" => {
                    if let Some(value) = node.field("value") {
                        self.pending.push(value);
                    }
                }
                "named_expression" => {
                    if let Some(value) = node.field("value") {
                        self.expression(value);
                    }
                    if let Some(name) = node.field("name") {
                        self.bind_site(name);
                    }
                }
                "lambda" => {
                    // The body runs later: it sees every binding (the default).
                    if let Some(params) = node.field("parameters") {
                        self.parameter_parts(params);
                    }
                }
                "list_comprehension"
                | "set_comprehension"
                | "dictionary_comprehension"
                | "generator_expression" => self.comprehension(node),
                "boolean_operator" | "conditional_expression"
                    if self.condition_depth < MAX_CONDITION_DEPTH =>
                {
                    self.condition_depth += 1;
                    self.conditional(node);
                    self.condition_depth -= 1;
                }
                // Names that are not uses: keyword names, type parameters, import names.
                "dotted_name" | "keyword_identifier" | "comment" => {}
                // A leaf (a number, a string's content): nothing below it.
                _ if node.child_count() == 0 => {}
                _ => {
                    // Visited in source order.
                    let kids = self.named_kids(node);
                    self.pending.extend(kids.into_iter().rev());
                }
            }
        }
    }

    /// `a and b`, `a or b`, `x if c else y`: each part sees what the parts before it proved.
    pub(super) fn conditional(&mut self, node: Node<'t>) {
        if node.ty() == "boolean_operator" {
            let (Some(left), Some(right), Some(op)) = (
                node.field("left"),
                node.field("right"),
                node.field("operator"),
            ) else {
                return;
            };
            self.expression(left);
            let before = self.state();
            self.assume(left, op.ty() == "and");
            self.expression(right);
            let after = self.state();
            let joined = self.join(&before, &after);
            self.set_state(joined);
            return;
        }
        let parts = self.named_kids(node);
        let [then, cond, otherwise] = parts.as_slice() else {
            for part in parts {
                self.expression(part);
            }
            return;
        };
        self.expression(*cond);
        let before = self.state();
        self.assume(*cond, true);
        self.expression(*then);
        let then_end = self.state();
        self.set_state(before);
        self.assume(*cond, false);
        self.expression(*otherwise);
        let else_end = self.state();
        let joined = self.join(&then_end, &else_end);
        self.set_state(joined);
    }

    /// A comprehension runs in place, in a scope of its own for its loop names.
    pub(super) fn comprehension(&mut self, node: Node<'t>) {
        let parts = self.named_kids(node);
        let first_iterable = parts
            .iter()
            .find(|p| p.ty() == "for_in_clause")
            .and_then(|c| c.field("right"));
        // The first iterable is evaluated in the enclosing scope.
        if let Some(it) = first_iterable {
            self.expression(it);
        }
        let Some(&scope) = self.model.scope_of_node.get(&node.id()) else {
            return;
        };
        self.push_frame(scope, true);
        let mut first = true;
        for part in &parts {
            match part.ty() {
                "for_in_clause" => {
                    if !first {
                        if let Some(right) = part.field("right") {
                            self.expression(right);
                        }
                    }
                    first = false;
                    if let Some(left) = part.field("left") {
                        self.target(left);
                    }
                }
                "if_clause" => {
                    if let Some(c) = part.named_child(0) {
                        self.expression(c);
                        self.assume(c, true);
                    }
                }
                _ => {}
            }
        }
        for part in &parts {
            if !matches!(part.ty(), "for_in_clause" | "if_clause" | "comment") {
                self.expression(*part);
            }
        }
        self.frames.pop();
    }
}
