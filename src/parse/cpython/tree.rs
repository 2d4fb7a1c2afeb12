//! The compile errors that need the syntax tree: one iterative walk (an explicit stack, children
//! read from the preorder's table, `parse::Children`) that carries the context each check
//! needs — the scope (module, class, function, lambda, comprehension), the innermost loop or
//! `except*` block, and whether a name is read, bound or deleted — and a symbol table per scope,
//! as CPython's `symtable.c` keeps, for `global`, `nonlocal` and the walrus.
//!
//! Here the walker's types and the helpers over nodes; its methods are in the submodules by job:
//! `walk` (the stack and the dispatch), `scopes`, `names`, `statements`, `targets`,
//! `expressions` (with `match`), and `patterns`.

use super::CompileError;
use crate::parse::Children;
use crate::syntax::NodeExt;
use foldhash::{HashMap, HashMapExt};
use tree_sitter::{Node, Tree, TreeCursor};

mod expressions;
mod names;
mod patterns;
mod scopes;
mod statements;
mod targets;
mod walk;

pub(super) fn check<'t>(
    bytes: &[u8],
    tree: &'t Tree,
    children: &Children<'t>,
    errors: &mut Vec<CompileError>,
) {
    let root = tree.root_node();
    let mut w = Walker {
        b: bytes,
        errors,
        children,
        cursor: root.walk(),
        scopes: vec![Scope::new(ScopeKind::Module, NO_SCOPE, 0)],
        stack: Vec::new(),
        future: Future::default(),
        kids_of: None,
    };
    w.future = w.future_prefix(root);
    w.run(root);
    w.resolve_nonlocals();
}

// Symbol flags, as symtable.c names them.
const USE: u16 = 1;
const DEF_LOCAL: u16 = 2;
const DEF_PARAM: u16 = 4;
const DEF_GLOBAL: u16 = 8;
const DEF_NONLOCAL: u16 = 16;
const DEF_ANNOT: u16 = 32;
const DEF_IMPORT: u16 = 64;
const DEF_COMP_ITER: u16 = 128;
const DEF_BOUND: u16 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

const NO_SCOPE: usize = usize::MAX;
const DEBUG: &[u8] = b"__debug__";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Lambda,
    Comprehension(CompKind),
}

struct Scope<'a> {
    kind: ScopeKind,
    parent: usize,
    start: usize,
    names: HashMap<&'a [u8], u16>,
    /// `global` and `nonlocal` directives: (name, offset, is_nonlocal).
    directives: Vec<(&'a [u8], usize, bool)>,
    has_yield: bool,
    first_return_value: Option<usize>,
    /// A comprehension that awaits, has `async for`, or holds an async comprehension.
    coroutine: bool,
}

impl Scope<'_> {
    fn new(kind: ScopeKind, parent: usize, start: usize) -> Self {
        Scope {
            kind,
            parent,
            start,
            names: HashMap::new(),
            directives: Vec::new(),
            has_yield: false,
            first_return_value: None,
            coroutine: false,
        }
    }
}

/// The innermost frame `break` and `continue` see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Innermost {
    None,
    Loop,
    ExceptStar,
}

/// How a name reached through this node is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Load,
    Store,
    Del,
    /// The target of a comprehension's `for`.
    CompIter,
}

#[derive(Debug, Clone, Copy)]
struct Ctx {
    scope: usize,
    lp: Innermost,
    except_star: bool,
    target: Target,
    annotation: bool,
    comp_iter: bool,
}

impl Ctx {
    fn load(self) -> Ctx {
        Ctx {
            target: Target::Load,
            ..self
        }
    }

    fn with_target(self, target: Target) -> Ctx {
        Ctx { target, ..self }
    }

    fn annotation(self) -> Ctx {
        Ctx {
            target: Target::Load,
            annotation: true,
            ..self
        }
    }

    /// The context of a new scope's body.
    fn scope(scope: usize) -> Ctx {
        Ctx {
            scope,
            lp: Innermost::None,
            except_star: false,
            target: Target::Load,
            annotation: false,
            comp_iter: false,
        }
    }
}

enum Item<'t> {
    Visit {
        node: Node<'t>,
        parent: Option<Node<'t>>,
        field: Option<&'static str>,
        ctx: Ctx,
    },
    Exit(usize),
}

/// What the module's leading `from __future__` imports turn on.
#[derive(Default)]
struct Future {
    /// The line of the last future import in the leading block (0: none).
    lineno: usize,
    annotations: bool,
}

const FEATURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

struct Walker<'a, 't, 'e> {
    b: &'a [u8],
    errors: &'e mut Vec<CompileError>,
    /// Each node's children, from the walk that listed the named nodes: a cursor is used only
    /// for a node not in it.
    children: &'e Children<'t>,
    cursor: TreeCursor<'t>,
    scopes: Vec<Scope<'a>>,
    stack: Vec<Item<'t>>,
    future: Future,
    /// The children `lone_comma` just read, by the node's id: the kind's handler asks for the
    /// same node's children next, and gets them without a second walk.
    kids_of: Option<(usize, Kids<'t>)>,
}

/// A node's children and their fields: most nodes have few, so they stay off the heap.
type Kids<'t> = smallvec::SmallVec<[(Node<'t>, Option<&'static str>); 8]>;

/// Whether `(parent, field)` continues a postfix chain: `f` of `f(x)`, `a` of `a.b` or `a[0]`.
fn is_chain_link(parent: Option<Node>, field: Option<&str>) -> bool {
    matches!(
        (parent.map(|p| p.ty()), field),
        (Some("call"), Some("function"))
            | (Some("attribute"), Some("object"))
            | (Some("subscript"), Some("value"))
    )
}

/// The `*` tree-sitter put at the bottom of a postfix chain (`*f(x).y`), if any.
fn chain_star(node: Node) -> Option<Node> {
    let mut n = node;
    loop {
        let next = match n.ty() {
            "call" => n.field("function"),
            "attribute" => n.field("object"),
            "subscript" => n.field("value"),
            "list_splat" => return Some(n),
            _ => return None,
        }?;
        n = next;
    }
}

fn is_string_kind(kind: &str) -> bool {
    matches!(kind, "string" | "concatenated_string")
}

/// CPython's `_PyPegen_get_expr_name`, for "cannot assign to ...".
fn expr_name(node: Node, b: &[u8]) -> &'static str {
    match node.ty() {
        "call" => "function call",
        "integer" | "float" => "literal",
        "string" | "concatenated_string" => {
            if string_is_f(node, b) {
                "f-string expression"
            } else {
                "literal"
            }
        }
        "true" => "True",
        "false" => "False",
        "none" => "None",
        "ellipsis" => "ellipsis",
        "comparison_operator" => "comparison",
        "conditional_expression" => "conditional expression",
        "lambda" => "lambda",
        "named_expression" => "named expression",
        "await" => "await expression",
        "yield" => "yield expression",
        "list_comprehension" => "list comprehension",
        "set_comprehension" => "set comprehension",
        "dictionary_comprehension" => "dict comprehension",
        "generator_expression" => "generator expression",
        "dictionary" => "dict literal",
        "set" => "set display",
        "list_splat" | "list_splat_pattern" => "starred",
        "tuple" | "pattern_list" | "expression_list" | "tuple_pattern" => "tuple",
        "list" | "list_pattern" => "list",
        "attribute" => "attribute",
        "subscript" => "subscript",
        "identifier" => "name",
        _ => "expression",
    }
}

/// Whether a string (or any part of a concatenation) is an f-string.
fn string_is_f(node: Node, b: &[u8]) -> bool {
    let prefix_f = |s: Node| {
        s.child(0).is_some_and(|start| {
            b[start.byte_range()]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .any(|c| matches!(c, b'f' | b'F' | b't' | b'T'))
        })
    };
    if node.ty() == "string" {
        return prefix_f(node);
    }
    let mut cursor = node.walk();
    let found = node.named_children(&mut cursor).any(prefix_f);
    found
}

fn string_prefix(node: Node, b: &[u8]) -> Vec<u8> {
    node.child(0).map_or(Vec::new(), |start| {
        b[start.byte_range()]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .map(u8::to_ascii_lowercase)
            .collect()
    })
}
