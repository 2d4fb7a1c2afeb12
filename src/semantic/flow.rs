//! Flow analysis: which bindings reach each use of a name, the way Python runs the code.
//!
//! One walk over each scope's statements in order, carrying the bindings that reach each
//! point: assignments replace them, `if`/`elif`/`else`, `match` and `try` branch and join,
//! loops run to a fixed point, `return`/`raise`/`break`/`continue` end a path, `del` unbinds.
//! Tests narrow a name in the branch they guard (`x is None`, `x is not None`, truthiness,
//! `isinstance(x, C)`): the narrowed name gets a `Narrowed` binding over what reached the test.
//!
//! Only names that need it are followed: a name bound more than once in its scope, or narrowed.
//! A name bound once keeps that one binding everywhere (as before this analysis). Uses in a
//! function body of names of an enclosing scope (closures, module names seen from functions,
//! `global`, `nonlocal`) see every binding of the name: the body runs later, so no point in the
//! enclosing scope's flow is the one that reaches it. Comprehensions run in place, so they see
//! the enclosing scope's bindings at that point.
//!
//! The result is `SemanticModel::reaching`, by use, only where it differs from every binding of
//! the name in its scope.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tree_sitter::Node;

use super::binding::{Binding, BindingId, BindingKind, Narrowing};
use super::SemanticModel;

type Set = Rc<[BindingId]>;

/// How deep `and`/`or`/`if`-expressions nest before their parts are walked without narrowing.
const MAX_CONDITION_DEPTH: usize = 64;
/// Loop bodies are walked until the bindings at the loop head settle; sets only grow, so a few
/// passes suffice.
const MAX_LOOP_PASSES: usize = 4;

/// The bindings that reach one point of a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    /// False after `return`, `raise`, `break` or `continue`: no path reaches here.
    live: bool,
    /// Followed names and the bindings that reach them (empty: unbound here).
    defs: HashMap<String, Set>,
}

struct Frame {
    scope: usize,
    /// A comprehension: names it does not bind are the enclosing frame's, at this point.
    transparent: bool,
    state: State,
    loops: Vec<LoopExits>,
    /// `global` / `nonlocal` names: another scope's, seen whole.
    escaped: HashSet<String>,
}

#[derive(Default)]
struct LoopExits {
    breaks: Vec<State>,
    continues: Vec<State>,
}

pub(in crate::semantic) struct Flow<'m, 't> {
    model: &'m mut SemanticModel<'t>,
    frames: Vec<Frame>,
    /// Narrowed bindings already made, by (test, branch, what it narrows), so that walking a
    /// loop body again does not make new ones.
    narrowed: HashMap<(usize, bool, Vec<BindingId>), BindingId>,
    condition_depth: usize,
}

impl<'m, 't> Flow<'m, 't> {
    pub(in crate::semantic) fn analyze(model: &'m mut SemanticModel<'t>, root: Node<'t>) {
        let mut flow = Flow {
            model,
            frames: Vec::new(),
            narrowed: HashMap::new(),
            condition_depth: 0,
        };
        flow.push_frame(0, false);
        flow.block(root);
        flow.frames.pop();
    }

    // ----- frames and states -----

    fn push_frame(&mut self, scope: usize, transparent: bool) {
        // Followed names start unbound (parameters are bound by the caller of this).
        let defs = self.model.scopes[scope]
            .bindings
            .iter()
            .filter(|(_, ids)| ids.len() >= 2)
            .map(|(name, _)| (name.clone(), Set::from(Vec::new())))
            .collect();
        self.frames.push(Frame {
            scope,
            transparent,
            state: State { live: true, defs },
            loops: Vec::new(),
            escaped: HashSet::new(),
        });
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a frame")
    }

    fn state(&self) -> State {
        self.frames.last().expect("a frame").state.clone()
    }

    fn set_state(&mut self, state: State) {
        self.frame().state = state;
    }

    fn all_bindings(&self, scope: usize, name: &str) -> Set {
        self.model.scopes[scope]
            .bindings
            .get(name)
            .map_or_else(|| Set::from(Vec::new()), |ids| Set::from(ids.clone()))
    }

    /// Where both states may come from: a name's bindings are those of either.
    fn join(&self, a: &State, b: &State) -> State {
        if !a.live {
            return b.clone();
        }
        if !b.live {
            return a.clone();
        }
        let scope = self.frames.last().expect("a frame").scope;
        let mut defs = a.defs.clone();
        for (name, set) in &b.defs {
            let mine = defs
                .get(name)
                .cloned()
                .unwrap_or_else(|| self.all_bindings(scope, name));
            if mine.as_ref() != set.as_ref() {
                defs.insert(name.clone(), union(&mine, set));
            }
        }
        for (name, set) in &a.defs {
            if !b.defs.contains_key(name) {
                let theirs = self.all_bindings(scope, name);
                if theirs.as_ref() != set.as_ref() {
                    defs.insert(name.clone(), union(set, &theirs));
                }
            }
        }
        State { live: true, defs }
    }

    fn join_all(&self, states: &[State]) -> State {
        let mut out = State {
            live: false,
            defs: HashMap::new(),
        };
        for s in states {
            out = self.join(&out, s);
        }
        out
    }

    /// The frame (innermost first, through comprehensions) whose scope is `scope`.
    fn frame_of(&self, scope: usize) -> Option<usize> {
        let mut i = self.frames.len().checked_sub(1)?;
        loop {
            if self.frames[i].scope == scope {
                return Some(i);
            }
            if !self.frames[i].transparent || i == 0 {
                return None;
            }
            i -= 1;
        }
    }

    // ----- names -----

    /// Records the bindings that reach a use of a name.
    fn use_name(&mut self, node: Node<'t>) {
        let name = self.model.source.str(node);
        let top = self.frames.last().expect("a frame");
        if top.escaped.contains(&name) {
            return;
        }
        let Some((scope, all)) = self.model.lookup(&name, top.scope) else {
            return;
        };
        let all: Vec<BindingId> = all.to_vec();
        let Some(i) = self.frame_of(scope) else {
            return;
        };
        if let Some(set) = self.frames[i].state.defs.get(&name) {
            if set.as_ref() != all.as_slice() {
                let set = set.clone();
                self.model.reaching.insert(node.id(), set);
            } else {
                self.model.reaching.remove(&node.id());
            }
        }
    }

    /// A binding site: from here on the name holds this binding.
    fn bind_site(&mut self, node: Node<'t>) {
        let Some(&id) = self.model.binding_at.get(&node.id()) else {
            return;
        };
        let scope = self.model.bindings[id].scope;
        let name = self.model.bindings[id].name.clone();
        let Some(i) = self.frame_of(scope) else {
            return;
        };
        let followed = self.model.scopes[scope]
            .bindings
            .get(&name)
            .is_some_and(|ids| ids.len() >= 2);
        let state = &mut self.frames[i].state;
        if followed || state.defs.contains_key(&name) {
            state.defs.insert(name, Set::from(vec![id]));
        }
    }

    /// Every binding site inside `node` (imports, patterns), in source order.
    fn bind_sites_in(&mut self, node: Node<'t>) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if self.model.binding_at.contains_key(&n.id()) {
                self.bind_site(n);
            }
            let mut cursor = n.walk();
            let children: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }

    /// `del x`: unbound from here.
    fn unbind(&mut self, node: Node<'t>) {
        let name = self.model.source.str(node);
        let scope = self.frames.last().expect("a frame").scope;
        if let Some((bscope, _)) = self.model.lookup(&name, scope) {
            if let Some(i) = self.frame_of(bscope) {
                self.frames[i]
                    .state
                    .defs
                    .insert(name, Set::from(Vec::new()));
            }
        }
    }

    // ----- narrowing -----

    /// What `cond` proves about names when it is `truth`.
    fn narrowings(&self, cond: Node<'t>, truth: bool) -> Vec<(Node<'t>, Narrowing<'t>)> {
        let source = self.model.source;
        match cond.kind() {
            "parenthesized_expression" => cond
                .named_child(0)
                .map(|c| self.narrowings(c, truth))
                .unwrap_or_default(),
            "not_operator" => cond
                .child_by_field_name("argument")
                .map(|c| self.narrowings(c, !truth))
                .unwrap_or_default(),
            "identifier" if truth => vec![(cond, Narrowing::NotNone)],
            "named_expression" if truth => cond
                .child_by_field_name("name")
                .map(|n| vec![(n, Narrowing::NotNone)])
                .unwrap_or_default(),
            "boolean_operator" => {
                let (Some(left), Some(right), Some(op)) = (
                    cond.child_by_field_name("left"),
                    cond.child_by_field_name("right"),
                    cond.child_by_field_name("operator"),
                ) else {
                    return Vec::new();
                };
                let and = op.kind() == "and";
                // `a and b` true: both; `a or b` false: neither. Otherwise nothing is known.
                if and == truth {
                    let mut out = self.narrowings(left, truth);
                    out.extend(self.narrowings(right, truth));
                    out
                } else {
                    Vec::new()
                }
            }
            "comparison_operator" => {
                let mut cursor = cond.walk();
                let parts: Vec<Node<'t>> = cond.named_children(&mut cursor).collect();
                let mut cursor = cond.walk();
                let ops: Vec<String> = cond
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| {
                        source
                            .str(o)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                let ([subject, other], [op]) = (parts.as_slice(), ops.as_slice()) else {
                    return Vec::new();
                };
                let (subject, other) = if subject.kind() == "none" {
                    (*other, *subject)
                } else {
                    (*subject, *other)
                };
                if other.kind() != "none" {
                    return Vec::new();
                }
                let Some(name) = narrowable(subject) else {
                    return Vec::new();
                };
                let is_none = match op.as_str() {
                    "is" | "==" => truth,
                    "is not" | "!=" => !truth,
                    _ => return Vec::new(),
                };
                vec![(
                    name,
                    if is_none {
                        Narrowing::IsNone
                    } else {
                        Narrowing::NotNone
                    },
                )]
            }
            "call" => {
                let Some(callee) = cond.child_by_field_name("function") else {
                    return Vec::new();
                };
                if callee.kind() != "identifier"
                    || !source.is(callee, "isinstance")
                    || !self.model.is_unbound(callee)
                {
                    return Vec::new();
                }
                let Some(args) = cond.child_by_field_name("arguments") else {
                    return Vec::new();
                };
                let mut cursor = args.walk();
                let args: Vec<Node<'t>> = args
                    .named_children(&mut cursor)
                    .filter(|a| a.kind() != "comment")
                    .collect();
                let [subject, class] = args.as_slice() else {
                    return Vec::new();
                };
                let Some(name) = narrowable(*subject) else {
                    return Vec::new();
                };
                if class.kind() == "tuple" {
                    return Vec::new();
                }
                vec![(
                    name,
                    if truth {
                        Narrowing::IsInstance(*class)
                    } else {
                        Narrowing::NotInstance(*class)
                    },
                )]
            }
            _ => Vec::new(),
        }
    }

    /// From here on, what `cond` being `truth` proves holds.
    fn assume(&mut self, cond: Node<'t>, truth: bool) {
        for (name_node, narrowing) in self.narrowings(cond, truth) {
            self.narrow(name_node, narrowing, cond, truth);
        }
    }

    fn narrow(
        &mut self,
        name_node: Node<'t>,
        narrowing: Narrowing<'t>,
        test: Node<'t>,
        truth: bool,
    ) {
        let name = self.model.source.str(name_node);
        let top = self.frames.last().expect("a frame");
        if top.escaped.contains(&name) {
            return;
        }
        let Some((scope, _)) = self.model.lookup(&name, top.scope) else {
            return;
        };
        let Some(i) = self.frame_of(scope) else {
            return;
        };
        let base = self.frames[i]
            .state
            .defs
            .get(&name)
            .cloned()
            .unwrap_or_else(|| self.all_bindings(scope, &name));
        if base.is_empty() {
            return;
        }
        let key = (test.id(), truth, base.to_vec());
        let id = match self.narrowed.get(&key) {
            Some(id) => *id,
            None => {
                let id = self.model.bindings.len();
                self.model.bindings.push(Binding {
                    scope,
                    name: name.clone(),
                    narrowed: base.to_vec(),
                    ..Binding::new(BindingKind::Narrowed(narrowing), None)
                });
                self.narrowed.insert(key, id);
                id
            }
        };
        self.frames[i].state.defs.insert(name, Set::from(vec![id]));
    }

    // ----- statements -----

    fn block(&mut self, block: Node<'t>) {
        let mut cursor = block.walk();
        let statements: Vec<Node<'t>> = block.named_children(&mut cursor).collect();
        for statement in statements {
            self.statement(statement);
        }
    }

    fn statement(&mut self, node: Node<'t>) {
        match node.kind() {
            "expression_statement" => {
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
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
                let is_break = node.kind() == "break_statement";
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
                        match child.kind() {
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
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for part in parts {
                    match part.kind() {
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
    fn expressions_in(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for part in parts {
            self.expression_or_assignment(part);
        }
    }

    fn expression_or_assignment(&mut self, node: Node<'t>) {
        match node.kind() {
            "assignment" => self.assignment(node),
            "augmented_assignment" => {
                if let Some(right) = node.child_by_field_name("right") {
                    self.expression(right);
                }
                if let Some(left) = node.child_by_field_name("left") {
                    // `x += 1` reads `x` first.
                    self.expression(left);
                    self.target(left);
                }
            }
            _ => self.expression(node),
        }
    }

    fn assignment(&mut self, node: Node<'t>) {
        // `a = b = value`: the value first, then each target from the left.
        let mut targets = Vec::new();
        let mut current = node;
        loop {
            if let Some(left) = current.child_by_field_name("left") {
                targets.push(left);
            }
            if let Some(ty) = current.child_by_field_name("type") {
                self.expression(ty);
            }
            match current.child_by_field_name("right") {
                Some(right) if right.kind() == "assignment" => current = right,
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
    fn target(&mut self, target: Node<'t>) {
        match target.kind() {
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
                let mut cursor = target.walk();
                let parts: Vec<Node<'t>> = target.named_children(&mut cursor).collect();
                for part in parts {
                    self.target(part);
                }
            }
            "attribute" => {
                if let Some(object) = target.child_by_field_name("object") {
                    self.expression(object);
                }
            }
            "subscript" => {
                if let Some(value) = target.child_by_field_name("value") {
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

    fn if_statement(&mut self, node: Node<'t>) {
        let mut ends = Vec::new();
        let mut cond = node.child_by_field_name("condition");
        let mut body = node.child_by_field_name("consequence");
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
                Some(clause) if clause.kind() == "elif_clause" => {
                    cond = clause.child_by_field_name("condition");
                    body = clause.child_by_field_name("consequence");
                }
                Some(clause) => {
                    if let Some(b) = clause.child_by_field_name("body") {
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
    fn loop_body(
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

    fn for_statement(&mut self, node: Node<'t>) {
        if let Some(right) = node.child_by_field_name("right") {
            self.expression(right);
        }
        let left = node.child_by_field_name("left");
        let (head, breaks) =
            self.loop_body(node.child_by_field_name("body"), &|flow: &mut Self| {
                if let Some(left) = left {
                    flow.target(left);
                }
            });
        self.set_state(head);
        if let Some(alt) = node.child_by_field_name("alternative") {
            if let Some(b) = alt.child_by_field_name("body") {
                self.block(b);
            }
        }
        let mut states = vec![self.state()];
        states.extend(breaks);
        let joined = self.join_all(&states);
        self.set_state(joined);
    }

    fn while_statement(&mut self, node: Node<'t>) {
        let cond = node.child_by_field_name("condition");
        let (head, breaks) =
            self.loop_body(node.child_by_field_name("body"), &|flow: &mut Self| {
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
        if let Some(alt) = node.child_by_field_name("alternative") {
            if let Some(b) = alt.child_by_field_name("body") {
                self.block(b);
            }
        }
        let mut states = vec![self.state()];
        states.extend(breaks);
        let joined = self.join_all(&states);
        self.set_state(joined);
    }

    fn try_statement(&mut self, node: Node<'t>) {
        let before = self.state();
        // An exception may leave the body after any of its statements.
        let mut raised = vec![before.clone()];
        if let Some(body) = node.child_by_field_name("body") {
            let mut cursor = body.walk();
            let statements: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
            for statement in statements {
                self.statement(statement);
                raised.push(self.state());
            }
        }
        let handler_entry = self.join_all(&raised);
        let mut ends = Vec::new();
        let mut body_end = self.state();
        let mut finally = None;
        let mut cursor = node.walk();
        let clauses: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for clause in clauses {
            match clause.kind() {
                "except_clause" | "except_group_clause" => {
                    self.set_state(handler_entry.clone());
                    let mut alias = None;
                    let mut c = clause.walk();
                    let parts: Vec<Node<'t>> = clause.named_children(&mut c).collect();
                    for part in parts {
                        match part.kind() {
                            "block" => self.block(part),
                            "as_pattern" => {
                                if let Some(ty) = part.named_child(0) {
                                    self.expression(ty);
                                }
                                if let Some(a) = part.child_by_field_name("alias") {
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
                    if let Some(b) = clause.child_by_field_name("body") {
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
            let mut c = clause.walk();
            let blocks: Vec<Node<'t>> = clause.named_children(&mut c).collect();
            for b in blocks {
                if b.kind() == "block" {
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

    fn with_statement(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for part in parts {
            match part.kind() {
                "with_clause" => {
                    let mut c = part.walk();
                    let items: Vec<Node<'t>> = part.named_children(&mut c).collect();
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

    fn with_item(&mut self, item: Node<'t>) {
        let Some(value) = item.child_by_field_name("value") else {
            return self.expression(item);
        };
        if value.kind() == "as_pattern" {
            if let Some(v) = value.named_child(0) {
                self.expression(v);
            }
            if let Some(alias) = value.child_by_field_name("alias") {
                self.target(alias);
            }
        } else {
            self.expression(value);
        }
    }

    fn match_statement(&mut self, node: Node<'t>) {
        if let Some(subject) = node.child_by_field_name("subject") {
            self.expression(subject);
        }
        let before = self.state();
        let mut ends = vec![before.clone()];
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let mut cursor = body.walk();
        let cases: Vec<Node<'t>> = body
            .children_by_field_name("alternative", &mut cursor)
            .collect();
        for case in cases {
            self.set_state(before.clone());
            let mut c = case.walk();
            let parts: Vec<Node<'t>> = case.named_children(&mut c).collect();
            for part in parts {
                match part.kind() {
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

    fn function_definition(&mut self, node: Node<'t>) {
        // Decorators, defaults and annotations run where the function is defined.
        if let Some(params) = node.child_by_field_name("parameters") {
            self.parameter_parts(params);
        }
        if let Some(ret) = node.child_by_field_name("return_type") {
            self.expression(ret);
        }
        if let Some(name) = node.child_by_field_name("name") {
            self.bind_site(name);
        }
        let Some(&scope) = self.model.scope_of_node.get(&node.id()) else {
            return;
        };
        self.push_frame(scope, false);
        if let Some(params) = node.child_by_field_name("parameters") {
            self.bind_sites_in(params);
        }
        if let Some(body) = node.child_by_field_name("body") {
            self.block(body);
        }
        self.frames.pop();
    }

    /// The defaults and annotations of a parameter list.
    fn parameter_parts(&mut self, params: Node<'t>) {
        let mut cursor = params.walk();
        let parts: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
        for param in parts {
            if let Some(value) = param.child_by_field_name("value") {
                self.expression(value);
            }
            if let Some(ty) = param.child_by_field_name("type") {
                self.expression(ty);
            }
        }
    }

    fn class_definition(&mut self, node: Node<'t>) {
        if let Some(bases) = node.child_by_field_name("superclasses") {
            self.expression(bases);
        }
        if let Some(name) = node.child_by_field_name("name") {
            self.bind_site(name);
        }
        let Some(&scope) = self.model.scope_of_node.get(&node.id()) else {
            return;
        };
        self.push_frame(scope, false);
        if let Some(body) = node.child_by_field_name("body") {
            self.block(body);
        }
        self.frames.pop();
    }

    // ----- expressions -----

    /// Walks an expression in evaluation order, recording uses and walrus bindings, without
    /// recursion for the common shapes (deep `a + b + ...` chains must not overflow the stack).
    fn expression(&mut self, root: Node<'t>) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "identifier" => self.use_name(node),
                "attribute" => {
                    if let Some(object) = node.child_by_field_name("object") {
                        stack.push(object);
                    }
                }
                "keyword_argument" => {
                    if let Some(value) = node.child_by_field_name("value") {
                        stack.push(value);
                    }
                }
                "named_expression" => {
                    if let Some(value) = node.child_by_field_name("value") {
                        self.expression(value);
                    }
                    if let Some(name) = node.child_by_field_name("name") {
                        self.bind_site(name);
                    }
                }
                "lambda" => {
                    // The body runs later: it sees every binding (the default).
                    if let Some(params) = node.child_by_field_name("parameters") {
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
                _ => {
                    let mut cursor = node.walk();
                    let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                    stack.extend(children.into_iter().rev());
                }
            }
        }
    }

    /// `a and b`, `a or b`, `x if c else y`: each part sees what the parts before it proved.
    fn conditional(&mut self, node: Node<'t>) {
        if node.kind() == "boolean_operator" {
            let (Some(left), Some(right), Some(op)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
                node.child_by_field_name("operator"),
            ) else {
                return;
            };
            self.expression(left);
            let before = self.state();
            self.assume(left, op.kind() == "and");
            self.expression(right);
            let after = self.state();
            let joined = self.join(&before, &after);
            self.set_state(joined);
            return;
        }
        let mut cursor = node.walk();
        let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
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
    fn comprehension(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        let first_iterable = parts
            .iter()
            .find(|p| p.kind() == "for_in_clause")
            .and_then(|c| c.child_by_field_name("right"));
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
            match part.kind() {
                "for_in_clause" => {
                    if !first {
                        if let Some(right) = part.child_by_field_name("right") {
                            self.expression(right);
                        }
                    }
                    first = false;
                    if let Some(left) = part.child_by_field_name("left") {
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
            if !matches!(part.kind(), "for_in_clause" | "if_clause" | "comment") {
                self.expression(*part);
            }
        }
        self.frames.pop();
    }
}

/// The name a test narrows: `x`, or the name a walrus binds (`(p := f()) is not None`).
fn narrowable(node: Node) -> Option<Node> {
    match node.kind() {
        "identifier" => Some(node),
        "parenthesized_expression" => narrowable(node.named_child(0)?),
        "named_expression" => node.child_by_field_name("name"),
        _ => None,
    }
}

fn union(a: &[BindingId], b: &[BindingId]) -> Set {
    let mut out: Vec<BindingId> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    Set::from(out)
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::kind_at;

    #[test]
    fn a_branch_binding_a_local_class_makes_the_use_mixed() {
        // `mixed`: no rule takes it until an `isinstance` test on `Local` tells them apart.
        let code = "import replicate\nclass Local:\n    pass\nif cond:\n    p = Local()\nelse:\n    p = replicate.predictions.create(version='v', input={})\np\n";
        assert_eq!(kind_at(code, "p").as_deref(), Some("mixed"));
        let both = "import replicate\nif cond:\n    p = replicate.predictions.get(prediction_id='a')\nelse:\n    p = replicate.predictions.create(version='v', input={})\np\n";
        assert_eq!(kind_at(both, "p").as_deref(), Some("prediction"));
    }

    #[test]
    fn a_later_assignment_replaces_the_earlier_one() {
        let code = "import replicate\nclass Local:\n    pass\np = Local()\np = replicate.predictions.get(prediction_id='a')\np\n";
        assert_eq!(kind_at(code, "p").as_deref(), Some("prediction"));
        let decoy = "import replicate\nclass Local:\n    pass\np = replicate.predictions.get(prediction_id='a')\np = Local()\np\n";
        assert_eq!(kind_at(decoy, "p"), None);
    }

    #[test]
    fn del_unbinds_the_name() {
        // A use after `del` reaches no binding; the same use without the `del` is the prediction.
        let kept = "import replicate\np = replicate.predictions.get(prediction_id='a')\np\n";
        assert_eq!(kind_at(kept, "p").as_deref(), Some("prediction"));
        let deleted =
            "import replicate\np = replicate.predictions.get(prediction_id='a')\ndel p\np\n";
        assert_eq!(kind_at(deleted, "p"), None);
    }
}
