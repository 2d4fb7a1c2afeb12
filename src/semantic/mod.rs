//! Understand stage: what each name in a file refers to, as far as the Replicate SDK goes.
//!
//! The model resolves names through imports and aliases (`import replicate as r`,
//! `from replicate.client import Client as C`), honours Python's scoping (function scopes skip
//! class scopes, `global`, shadowing by parameters, assignments, loops, `def` and `class`), and
//! infers which v1 object a name holds (`Client`, `Prediction`, `Page` of `Model`, ...) and which
//! client made it. Each use sees the bindings that reach it (`flow`), narrowed by `is None` and
//! `isinstance` tests; where they disagree the name resolves to nothing, so rules stay quiet
//! rather than guess. An SDK object joined with an instance of the file's own class is `Mixed`
//! (no rule takes it) until an `isinstance` test on that class narrows it to the object. What
//! other files tell (conftest.py fixtures) comes in a `Context`.

mod binding;
mod builder;
mod context;
mod flow;
mod index;
mod kinds;
mod queries;
mod resolve;
mod scope;
#[cfg(test)]
mod tests;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use tree_sitter::{Node, Tree};

pub use context::Context;
pub use kinds::{client_call_result, ObjectKind, SdkKind, SdkValue};
pub use queries::{ClientSite, Origin};
pub use resolve::{Resolved, Target};

use crate::syntax::Source;
use resolve::Cached;
use scope::{Scope, ScopeKind};

pub struct SemanticModel<'t> {
    source: &'t Source,
    scopes: Vec<Scope<'t>>,
    /// Every binding of the file, by id.
    bindings: Vec<binding::Binding<'t>>,
    /// The binding each binding site (a target name node) makes, by node id.
    binding_at: HashMap<usize, binding::BindingId>,
    /// The bindings that reach a use of a name, by the use's node id, where the flow analysis
    /// narrows them below all the bindings of the name in its scope.
    reaching: HashMap<usize, std::rc::Rc<[binding::BindingId]>>,
    /// Scope id of each function, class, lambda and comprehension node, by node id.
    scope_of_node: HashMap<usize, usize>,
    /// The byte ranges of each scope's inside, sorted by start (outer first), with the index
    /// of the region each lies directly in: `scope_at` answers from these, without walking
    /// up the tree.
    scope_regions: Vec<(usize, usize, usize)>,
    scope_region_parent: Vec<Option<usize>>,
    /// `self.attr = value` assignments, by (class scope, attr).
    class_attrs: HashMap<(usize, String), Vec<Node<'t>>>,
    /// Class-level annotations (`prediction: Prediction`, dataclass fields), by (class scope, name).
    class_fields: HashMap<(usize, String), Node<'t>>,
    /// The annotated class-level names of each class scope, in order (a dataclass's fields).
    class_field_order: HashMap<usize, Vec<String>>,
    /// `obj.attr = value` assignments on plain names, by attr: (obj, value).
    attr_stores: HashMap<String, Vec<(Node<'t>, Node<'t>)>>,
    /// Whether the file binds anything to the SDK at all (or takes a conftest's SDK fixture).
    pub imports_sdk: bool,
    /// Whether the file is on v2 already: it uses v2-only names (`Replicate`, `AsyncReplicate`,
    /// `replicate.types`), builds `replicate.Client(...)` with a keyword only v2 takes
    /// (`bearer_token=`), or belongs to a project that requires replicate v2 (see
    /// [`SemanticModel::build_in`]). The module-level API in it is then taken as v2 by the
    /// rules for v1 forms v2 reads another way (iterating a page, `ReplicateError`).
    pub file_is_v2: bool,
    /// The file belongs to a project whose dependencies require replicate v2: the module's
    /// calls v2 accepts as written, and a `Client(...)` whose arguments v2 takes, are v2 code.
    pub project_on_v2: bool,
    /// Calls whose callee is a plain name, by that name.
    calls_by_name: HashMap<String, Vec<Node<'t>>>,
    /// Calls whose callee is an attribute (`x.method(...)`), by the attribute's name.
    attr_calls: HashMap<String, Vec<Node<'t>>>,
    /// How often each identifier text occurs in the file.
    name_uses: HashMap<String, usize>,
    /// Arguments of `NAME.append(x)` calls, by NAME.
    appends: HashMap<String, Vec<Node<'t>>>,
    /// Values stored with `NAME[key] = value`, by NAME.
    dict_sets: HashMap<String, Vec<Node<'t>>>,
    /// Resolved names, by the set of bindings that reach them; kept free of nodes so the
    /// model stays covariant in `'t`.
    name_cache: std::cell::RefCell<HashMap<Vec<binding::BindingId>, Cached>>,
    root: Node<'t>,
    /// The file's named nodes in source order, and each one's children (see
    /// [`crate::parse::Preorder`]).
    named: Vec<Node<'t>>,
    children: crate::parse::Children<'t>,
    /// Set when a depth or fuel limit cut a resolution short (its result is not cached).
    truncated: std::cell::Cell<bool>,
    /// Names being resolved, to stop at cycles (`page = page.get_next_page()`).
    in_progress: std::cell::RefCell<HashSet<Vec<binding::BindingId>>>,
    /// Set when a resolution met a name already in progress.
    hit_cycle: std::cell::Cell<bool>,
    /// What other files tell about this one.
    context: std::sync::Arc<Context>,
    /// The module-level names that an import binds in some scope, sorted (built on first use).
    module_imports: std::cell::OnceCell<Vec<String>>,
    /// Resolution steps left: inference follows assignments, calls and parameters, which in
    /// a pathological file could branch without end; past this budget names resolve to
    /// nothing (quiet, never wrong).
    fuel: std::cell::Cell<u32>,
}

/// Resolution steps per file (a large real file uses a few thousand).
const FUEL: u32 = 2_000_000;

fn is_sdk(path: &[String]) -> bool {
    path.first().is_some_and(|p| p == "replicate")
}

/// v1 spells some names two ways; rules see one.
fn normalize(mut path: Vec<String>) -> Vec<String> {
    if path.len() >= 3 && path[1] == "client" && path[2] == "Client" {
        path.remove(1);
    }
    path
}

impl<'t> SemanticModel<'t> {
    pub fn build(source: &'t Source, tree: &'t Tree) -> Self {
        SemanticModel::build_in(source, tree, Context::empty(), false)
    }

    /// The model of a file, given what other files tell about it (`context`: conftest.py
    /// fixtures), and whether it belongs to a project whose dependencies require replicate v2
    /// (`project_on_v2`: its module-level API is v2's, as in a file that names `Replicate`).
    pub fn build_in(
        source: &'t Source,
        tree: &'t Tree,
        context: std::sync::Arc<Context>,
        project_on_v2: bool,
    ) -> Self {
        let preorder = crate::parse::preorder(tree);
        SemanticModel::build_from(source, tree, preorder, context, project_on_v2)
    }

    /// The file's named nodes in source order.
    pub fn named_nodes(&self) -> &[Node<'t>] {
        &self.named
    }

    /// `node`'s named children (comments included), from the preorder's table: a cursor step
    /// costs more than the rest of a visit. A node not in the table is read with a cursor.
    pub(in crate::semantic) fn named_kids(
        &self,
        node: Node<'t>,
    ) -> smallvec::SmallVec<[Node<'t>; 8]> {
        match self.children.of_node(node) {
            Some(kids) => kids.filter(|k| k.named).map(|k| k.node).collect(),
            None => {
                let mut cursor = node.walk();
                let kids = node.named_children(&mut cursor).collect();
                kids
            }
        }
    }

    /// The file's nodes' children (see [`crate::parse::Children`]).
    pub fn children(&self) -> &crate::parse::Children<'t> {
        &self.children
    }

    /// [`SemanticModel::build_in`], given the tree's named nodes (from
    /// [`crate::parse::preorder`]) when the caller has walked the tree already.
    pub fn build_from(
        source: &'t Source,
        tree: &'t Tree,
        preorder: crate::parse::Preorder<'t>,
        context: std::sync::Arc<Context>,
        project_on_v2: bool,
    ) -> Self {
        let mut model = SemanticModel {
            context,
            source,
            scopes: vec![Scope {
                node: tree.root_node(),
                kind: ScopeKind::Module,
                parent: None,
                bindings: HashMap::new(),
                globals: HashSet::new(),
                method_of: None,
            }],
            bindings: Vec::new(),
            binding_at: HashMap::new(),
            reaching: HashMap::new(),
            scope_of_node: HashMap::new(),
            scope_regions: Vec::new(),
            scope_region_parent: Vec::new(),
            class_attrs: HashMap::new(),
            class_fields: HashMap::new(),
            class_field_order: HashMap::new(),
            attr_stores: HashMap::new(),
            imports_sdk: false,
            file_is_v2: project_on_v2,
            project_on_v2,
            calls_by_name: HashMap::new(),
            attr_calls: HashMap::new(),
            name_uses: HashMap::new(),
            appends: HashMap::new(),
            dict_sets: HashMap::new(),
            fuel: std::cell::Cell::new(FUEL),
            module_imports: std::cell::OnceCell::new(),
            name_cache: std::cell::RefCell::new(HashMap::new()),
            root: tree.root_node(),
            named: preorder.named,
            children: preorder.children,
            truncated: std::cell::Cell::new(false),
            in_progress: std::cell::RefCell::new(HashSet::new()),
            hit_cycle: std::cell::Cell::new(false),
        };
        let root = tree.root_node();
        model.scope_of_node.insert(root.id(), 0);
        model.visit_children(root, 0);
        model.index_scope_regions();
        // A test module that never imports the SDK may still take a conftest's SDK fixture.
        if !model.imports_sdk && model.takes_context_fixture() {
            model.imports_sdk = true;
        }
        if model.imports_sdk {
            model.index_names();
            flow::Flow::analyze(&mut model, root);
        }
        model
    }
}
