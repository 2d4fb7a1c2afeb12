//! Statements: assignments, branches and joins, loops to a fixed point, `try`, `with`, `match`, definitions.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{Flow, LoopExits, Set, State, MAX_LOOP_PASSES};

impl<'m, 't> Flow<'m, 't> {
    pub(super) fn block(&mut self, block: Node<'t>) {
        let statements = self.named_kids(block);
        for statement in statements {
            self.statement(statement);
        }
    }

    pub(super) fn statement(&mut self, node: Node<'t>) {
        match node.ty() {
            "expression_statement" => {
                let parts = self.named_kids(node);
                for part in parts {
                    self.expression_or_assignment(part);
                }
            }
            "if_statement" => self.if_statement(node),
            "for_statement" => self.for_statement(node),
            "while_statement" => self.while_statement(node),
            "try_statement" => self.try_statement(node),
            "with_statement" => self.with_statement(node),
            "match_statement" => self.match_statement(node),
            "return_statement" | "raise_statement" => {
                self.expressions_in(node);
                self.frame().state.live = false;
            }
            "break_statement" | "continue_statement" => {
                let state = self.state();
                let is_break = node.ty() == "break_statement";
                if let Some(exits) = self.frame().loops.last_mut() {
                    if is_break {
                        exits.breaks.push(state);
                    } else {
                        exits.continues.push(state);
                    }
                }
                self.frame().state.live = false;
            }
            "delete_statement" => {
                let mut stack = vec![node];
                while let Some(n) = stack.pop() {
                    let mut cursor = n.walk();
                    for child in n.named_children(&mut cursor) {
                        match child.ty() {
                            "identifier" => self.unbind(child),
                            "expression_list" | "tuple" | "list" | "parenthesized_expression" => {
                                stack.push(child)
                            }
                            _ => self.expression(child),
                        }
                    }
                }
            }
            "assert_statement" => {
                self.expressions_in(node);
                if let Some(cond) = node.named_child(0) {
                    self.assume(cond, true);
                }
            }
            "decorated_definition" => {
                let parts = self.named_kids(node);
                for part in parts {
                    match part.ty() {
                        "decorator" => self.expressions_in(part),
                        _ => self.statement(part),
                    }
                }
            }
            "function_definition" => self.function_definition(node),
            "class_definition" => self.class_definition(node),
            "global_statement" | "nonlocal_statement" => {
                let mut cursor = node.walk();
                let names: Vec<String> = node
                    .named_children(&mut cursor)
                    .map(|n| self.model.source.str(n))
                    .collect();
                let frame = self.frame();
                for name in names {
                    frame.state.defs.remove(&name);
                    frame.escaped.insert(name);
                }
            }
            "import_statement" | "import_from_statement" | "future_import_statement" => {
                self.bind_sites_in(node)
            }
            "block" => self.block(node),
            "comment" | "pass_statement" => {}
            _ => self.expressions_in(node),
        }
    }

    /// The named children of `node`, as expressions.
    pub(super) fn expressions_in(&mut self, node: Node<'t>) {
        let parts = self.named_kids(node);
        for part in parts {
            self.expression_or_assignment(part);
        }
    }

    pub(super) fn expression_or_assignment(&mut self, node: Node<'t>) {
        match node.ty() {
            "assignment" => self.assignment(node),
            "augmented_assignment" => {
                if let Some(right) = node.field("right") {
                    self.expression(right);
                }
                if let Some(left) = node.field("left") {
                    // `x += 1` reads `x` first.
                    self.expression(left);
                    self.target(left);
                }
            }
            _ => self.expression(node),
        }
    }

    pub(super) fn assignment(&mut self, node: Node<'t>) {
        // `a = b = value`: the value first, then each target from the left.
        let mut targets = Vec::new();
        let mut current = node;
        loop {
            if let Some(left) = current.field("left") {
                targets.push(left);
            }
            if let Some(ty) = current.field("type") {
                self.expression(ty);
            }
            match current.field("right") {
                Some(right) if right.ty() == "assignment" => current = right,
                Some(right) => {
                    self.expression_or_assignment(right);
                    break;
                }
                None => break,
            }
        }
        for target in targets {
            self.target(target);
        }
    }

    /// An assignment target: names are bound; attributes and subscripts read their parts.
    pub(super) fn target(&mut self, target: Node<'t>) {
        match target.ty() {
            "identifier" => self.bind_site(target),
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "expression_list"
            | "tuple"
            | "list"
            | "list_splat_pattern"
            | "parenthesized_expression"
            | "as_pattern_target" => {
                let parts = self.named_kids(target);
                for part in parts {
                    self.target(part);
                }
            }
            "attribute" => {
                if let Some(object) = target.field("object") {
                    self.expression(object);
                }
            }
            "subscript" => {
                if let Some(value) = target.field("value") {
                    self.expression(value);
                }
                let mut cursor = target.walk();
                let keys: Vec<Node<'t>> = target
                    .children_by_field_name("subscript", &mut cursor)
                    .collect();
                for key in keys {
                    self.expression(key);
                }
            }
            _ => self.expression(target),
        }
    }

    pub(super) fn if_statement(&mut self, node: Node<'t>) {
        let mut ends = Vec::new();
        let mut cond = node.field("condition");
        let mut body = node.field("consequence");
        let mut cursor = node.walk();
        let alternatives: Vec<Node<'t>> = node
            .children_by_field_name("alternative", &mut cursor)
            .collect();
        let mut rest = alternatives.into_iter();
        while let Some(c) = cond {
            self.expression(c);
            let before = self.state();
            self.assume(c, true);
            if let Some(b) = body {
                self.block(b);
            }
            ends.push(self.state());
            self.set_state(before);
            self.assume(c, false);
            match rest.next() {
                Some(clause) if clause.ty() == "elif_clause" => {
                    cond = clause.field("condition");
                    body = clause.field("consequence");
                }
                Some(clause) => {
                    if let Some(b) = clause.field("body") {
                        self.block(b);
                    }
                    cond = None;
                }
                None => cond = None,
            }
        }
        ends.push(self.state());
        let joined = self.join_all(&ends);
        self.set_state(joined);
    }

    /// Runs a loop body to a fixed point. `enter` prepares each pass (binds the loop target,
    /// assumes the condition); returns the state at the loop head and the exits.
    pub(super) fn loop_body(
        &mut self,
        body: Option<Node<'t>>,
        enter: &dyn Fn(&mut Self),
    ) -> (State, Vec<State>) {
        let mut head = self.state();
        let mut breaks = Vec::new();
        for _ in 0..MAX_LOOP_PASSES {
            self.set_state(head.clone());
            enter(self);
            self.frame().loops.push(LoopExits::default());
            if let Some(b) = body {
                self.block(b);
            }
            let exits = self.frame().loops.pop().expect("pushed");
            let end = self.state();
            let mut states = vec![head.clone(), end];
            states.extend(exits.continues);
            let next = self.join_all(&states);
            breaks = exits.breaks;
            if next == head {
                break;
            }
            head = next;
        }
        (head, breaks)
    }

    pub(super) fn for_statement(&mut self, node: Node<'t>) {
        if let Some(right) = node.field("right") {
            self.expression(right);
        }
        let left = node.field("left");
        let (head, breaks) = self.loop_body(node.field("body"), &|flow: &mut Self| {
            if let Some(left) = left {
                flow.target(left);
            }
        });
        self.set_state(head);
        if let Some(alt) = node.field("alternative") {
            if let Some(b) = alt.field("body") {
                self.block(b);
            }
        }
        let mut states = vec![self.state()];
        states.extend(breaks);
        let joined = self.join_all(&states);
        self.set_state(joined);
    }

    pub(super) fn while_statement(&mut self, node: Node<'t>) {
        let cond = node.field("condition");
        let (head, breaks) = self.loop_body(node.field("body"), &|flow: &mut Self| {
            if let Some(c) = cond {
                flow.expression(c);
                flow.assume(c, true);
            }
        });
        self.set_state(head);
        if let Some(c) = cond {
            self.expression(c);
            self.assume(c, false);
        }
        if let Some(alt) = node.field("alternative") {
            if let Some(b) = alt.field("body") {
                self.block(b);
            }
        }
        let mut states = vec![self.state()];
        states.extend(breaks);
        let joined = self.join_all(&states);
        self.set_state(joined);
    }

    pub(super) fn try_statement(&mut self, node: Node<'t>) {
        let before = self.state();
        // An exception may leave the body after any of its statements.
        let mut raised = vec![before.clone()];
        if let Some(body) = node.field("body") {
            let statements = self.named_kids(body);
            for statement in statements {
                self.statement(statement);
                raised.push(self.state());
            }
        }
        let handler_entry = self.join_all(&raised);
        let mut ends = Vec::new();
        let mut body_end = self.state();
        let mut finally = None;
        let clauses = self.named_kids(node);
        for clause in clauses {
            match clause.ty() {
                "except_clause" | "except_group_clause" => {
                    self.set_state(handler_entry.clone());
                    let mut alias = None;
                    let parts = self.named_kids(clause);
                    for part in parts {
                        match part.ty() {
                            "block" => self.block(part),
                            "as_pattern" => {
                                if let Some(ty) = part.named_child(0) {
                                    self.expression(ty);
                                }
                                if let Some(a) = part.field("alias") {
                                    let name = a.named_child(0).unwrap_or(a);
                                    self.bind_site(name);
                                    alias = Some(name);
                                }
                            }
                            "comment" => {}
                            _ => self.expression(part),
                        }
                    }
                    // Python unbinds the exception's name when the clause ends.
                    if let Some(name) = alias {
                        let text = self.model.source.str(name);
                        let state = &mut self.frame().state;
                        if state.defs.contains_key(&text) {
                            state.defs.insert(text, Set::from(Vec::new()));
                        }
                    }
                    ends.push(self.state());
                }
                "else_clause" => {
                    self.set_state(body_end.clone());
                    if let Some(b) = clause.field("body") {
                        self.block(b);
                    }
                    body_end = self.state();
                }
                "finally_clause" => finally = Some(clause),
                _ => {}
            }
        }
        ends.push(body_end);
        let normal = self.join_all(&ends);
        if let Some(clause) = finally {
            // `finally` runs on every way out, also when an exception goes on up.
            let entry = self.join(&normal, &handler_entry);
            self.set_state(entry);
            let blocks = self.named_kids(clause);
            for b in blocks {
                if b.ty() == "block" {
                    self.block(b);
                }
            }
            let mut after = self.state();
            after.live = after.live && normal.live;
            self.set_state(after);
        } else {
            self.set_state(normal);
        }
    }

    pub(super) fn with_statement(&mut self, node: Node<'t>) {
        let parts = self.named_kids(node);
        for part in parts {
            match part.ty() {
                "with_clause" => {
                    let items = self.named_kids(part);
                    for item in items {
                        self.with_item(item);
                    }
                }
                "with_item" => self.with_item(part),
                "block" => self.block(part),
                "comment" => {}
                _ => self.expression(part),
            }
        }
    }

    pub(super) fn with_item(&mut self, item: Node<'t>) {
        let Some(value) = item.field("value") else {
            return self.expression(item);
        };
        if value.ty() == "as_pattern" {
            if let Some(v) = value.named_child(0) {
                self.expression(v);
            }
            if let Some(alias) = value.field("alias") {
                self.target(alias);
            }
        } else {
            self.expression(value);
        }
    }

    pub(super) fn match_statement(&mut self, node: Node<'t>) {
        if let Some(subject) = node.field("subject") {
            self.expression(subject);
        }
        let before = self.state();
        let mut ends = vec![before.clone()];
        let Some(body) = node.field("body") else {
            return;
        };
        let mut cursor = body.walk();
        let cases: Vec<Node<'t>> = body
            .children_by_field_name("alternative", &mut cursor)
            .collect();
        for case in cases {
            self.set_state(before.clone());
            let parts = self.named_kids(case);
            for part in parts {
                match part.ty() {
                    "case_pattern" => self.bind_sites_in(part),
                    "if_clause" => {
                        self.expressions_in(part);
                        if let Some(g) = part.named_child(0) {
                            self.assume(g, true);
                        }
                    }
                    "block" => self.block(part),
                    _ => {}
                }
            }
            ends.push(self.state());
        }
        let joined = self.join_all(&ends);
        self.set_state(joined);
    }

    pub(super) fn function_definition(&mut self, node: Node<'t>) {
        // Decorators, defaults and annotations run where the function is defined.
        if let Some(params) = node.field("parameters") {
            self.parameter_parts(params);
        }
        if let Some(ret) = node.field("return_type") {
            self.expression(ret);
        }
        if let Some(name) = node.field("name") {
            self.bind_site(name);
        }
        let Some(&scope) = self.model.scope_of_node.get(&node.id()) else {
            return;
        };
        self.push_frame(scope, false);
        if let Some(params) = node.field("parameters") {
            self.bind_sites_in(params);
        }
        if let Some(body) = node.field("body") {
            self.block(body);
        }
        self.frames.pop();
    }

    /// The defaults and annotations of a parameter list.
    pub(super) fn parameter_parts(&mut self, params: Node<'t>) {
        let parts = self.named_kids(params);
        for param in parts {
            if let Some(value) = param.field("value") {
                self.expression(value);
            }
            if let Some(ty) = param.field("type") {
                self.expression(ty);
            }
        }
    }

    pub(super) fn class_definition(&mut self, node: Node<'t>) {
        if let Some(bases) = node.field("superclasses") {
            self.expression(bases);
        }
        if let Some(name) = node.field("name") {
            self.bind_site(name);
        }
        let Some(&scope) = self.model.scope_of_node.get(&node.id()) else {
            return;
        };
        self.push_frame(scope, false);
        if let Some(body) = node.field("body") {
            self.block(body);
        }
        self.frames.pop();
    }
}
