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

use crate::syntax::NodeExt;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::rc::Rc;

use tree_sitter::Node;

use super::binding::BindingId;
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
    /// The nodes `expression` has yet to walk, shared by its nested calls (each takes back what
    /// it pushed): no allocation per expression.
    pending: Vec<Node<'t>>,
}

mod expressions;
mod narrowing;
mod statements;
#[cfg(test)]
mod tests;

impl<'m, 't> Flow<'m, 't> {
    pub(in crate::semantic) fn analyze(model: &'m mut SemanticModel<'t>, root: Node<'t>) {
        let mut flow = Flow {
            model,
            frames: Vec::new(),
            narrowed: HashMap::new(),
            condition_depth: 0,
            pending: Vec::new(),
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

    /// A node's named children, from the model's table of them.
    fn named_kids(&self, node: Node<'t>) -> smallvec::SmallVec<[Node<'t>; 8]> {
        self.model.named_kids(node)
    }

    // ----- names -----

    /// Records the bindings that reach a use of a name.
    fn use_name(&mut self, node: Node<'t>) {
        // Borrowed from the source (no `String` per use): every name is read here.
        let source: &'t crate::syntax::Source = self.model.source;
        let name = String::from_utf8_lossy(source.text(node));
        let name: &str = &name;
        let top = self.frames.last().expect("a frame");
        if top.escaped.contains(name) {
            return;
        }
        let Some((scope, all)) = self.model.lookup(name, top.scope) else {
            return;
        };
        let Some(i) = self.frame_of(scope) else {
            return;
        };
        let Some(set) = self.frames[i].state.defs.get(name) else {
            return;
        };
        let narrowed = (set.as_ref() != all).then(|| set.clone());
        match narrowed {
            Some(set) => {
                self.model.reaching.insert(node.id(), set);
            }
            None => {
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
            let children = self.named_kids(n);
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
}

/// The name a test narrows: `x`, or the name a walrus binds (`(p := f()) is not None`).
fn narrowable(node: Node) -> Option<Node> {
    match node.ty() {
        "identifier" => Some(node),
        "parenthesized_expression" => narrowable(node.named_child(0)?),
        "named_expression" => node.field("name"),
        _ => None,
    }
}

fn union(a: &[BindingId], b: &[BindingId]) -> Set {
    let mut out: Vec<BindingId> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    Set::from(out)
}
