//! The questions the plan asks of the tree and the model: a call's statement and enclosing
//! body, what a body assigns or reads later, a parameter's position, and where a name is used.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use crate::semantic::SemanticModel;
use crate::syntax::{CallArgs, Source};

/// The expression statement of a (possibly awaited) call.
pub(super) fn statement_of(call: Node) -> Option<Node> {
    let mut node = call;
    if let Some(p) = node.parent().filter(|p| p.ty() == "await") {
        node = p;
    }
    node.parent().filter(|p| p.ty() == "expression_statement")
}

/// The body of the function (or the module) a statement is in.
/// Whether `body` assigns `name` (a plain assignment, augmented one, walrus or loop target).
pub(super) fn assigns(source: &Source, body: Node, name: &str) -> bool {
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        let target = match node.ty() {
            "assignment" | "augmented_assignment" | "for_statement" => node.field("left"),
            "named_expression" => node.field("name"),
            _ => None,
        };
        if let Some(target) = target {
            // The names a target binds: itself, or those of a tuple or list it unpacks into
            // (never the names inside `d[key]` or `obj.attr`).
            let mut targets = vec![target];
            while let Some(t) = targets.pop() {
                match t.ty() {
                    "identifier" if source.str(t) == name => return true,
                    "pattern_list"
                    | "tuple_pattern"
                    | "list_pattern"
                    | "tuple"
                    | "list"
                    | "parenthesized_expression"
                    | "list_splat_pattern" => {
                        let mut c = t.walk();
                        targets.extend(t.named_children(&mut c));
                    }
                    _ => {}
                }
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor).filter(|c| {
            !matches!(
                c.ty(),
                "function_definition" | "class_definition" | "lambda"
            )
        }));
    }
    false
}

pub(super) fn enclosing_body(statement: Node) -> Option<Node> {
    let mut node = statement.parent();
    while let Some(n) = node {
        match n.ty() {
            "function_definition" => return n.field("body"),
            "module" => return Some(n),
            _ => node = n.parent(),
        }
    }
    None
}

pub(super) fn parameter_position(source: &Source, function: Node, name: &str) -> Option<usize> {
    let params = function.field("parameters")?;
    let mut cursor = params.walk();
    let position = params
        .named_children(&mut cursor)
        // Positions count the parameters that bind a plain name (as the semantic model does).
        .filter(|p| {
            matches!(
                p.ty(),
                "identifier" | "default_parameter" | "typed_default_parameter" | "typed_parameter"
            ) && !(p.ty() == "typed_parameter"
                && p.named_child(0).is_some_and(|n| n.ty() != "identifier"))
        })
        .position(|p| {
            let n = match p.ty() {
                "identifier" => Some(p),
                _ => p.field("name").or_else(|| p.named_child(0)),
            };
            n.is_some_and(|n| source.str(n) == name)
        });
    position
}

/// Whether the object `container` names (its root name: `batch`, `self`) may be read after
/// `after`: a later use of the root name in the same function, or in a loop around it, or any
/// `self` (other methods read it) or module-level name (other functions read it).
pub(super) fn read_later(
    model: &SemanticModel,
    source: &Source,
    container: Node,
    after: Node,
) -> bool {
    let mut root = container;
    while let Some(object) = root.field("object").or_else(|| root.field("value")) {
        root = object;
    }
    if root.ty() != "identifier" {
        return true;
    }
    let name = source.str(root);
    if name == "self" || name == "cls" {
        return true;
    }
    let Some(body) = enclosing_body(after) else {
        return true;
    };
    if body.ty() == "module" {
        // A module-level container: other functions may read it.
        let uses_elsewhere =
            uses_of(source, body, &name)
                .into_iter()
                .any(|u| match inside_function(u) {
                    true => !model.is_local(u),
                    false => u.start_byte() >= after.end_byte(),
                });
        return uses_elsewhere;
    }
    // A loop around `after` reads the container again on its next pass.
    let mut node = after.parent();
    while let Some(n) = node {
        if n.id() == body.id() {
            break;
        }
        // (A loop that rebinds the name before `after`, as its `for` target or by an
        // assignment, holds a new object on its next pass.)
        let rebinds = (n.ty() == "for_statement"
            && n.field("left")
                .is_some_and(|l| !uses_of(source, l, &name).is_empty()))
            || assigned_before(source, n, &name, after);
        if matches!(n.ty(), "for_statement" | "while_statement") && !rebinds {
            return true;
        }
        node = n.parent();
    }
    uses_of(source, body, &name)
        .into_iter()
        .any(|u| u.start_byte() >= after.end_byte())
}

/// Whether the caller of `call` reads again, later, the name it passes for the parameter
/// `param` (at `position`): then it must see the new object.
pub(super) fn passes_name_read_later(
    model: &SemanticModel,
    source: &Source,
    call: Node,
    position: Option<usize>,
    param: &str,
) -> bool {
    let Some(args) = CallArgs::new(source, call) else {
        return true;
    };
    let Some(arg) = position
        .and_then(|p| args.positional.get(p).copied())
        .or_else(|| args.keyword(param).map(|(_, v)| v))
    else {
        // Not passed (a default), or passed through `*args`.
        return args.unpacking;
    };
    if made_by_call(arg) {
        return false;
    }
    if arg.ty() != "identifier" {
        return true;
    }
    // `[poll(p) for p in jobs]`: the comprehension's own name, rebound on each pass; the
    // object stays in `jobs`.
    if let Some((comprehension, iterable)) = comprehension_of(source, arg) {
        let name = source.str(arg);
        let others = uses_of(source, comprehension, &name)
            .into_iter()
            .filter(|u| u.id() != arg.id() && !is_comprehension_target(*u))
            .count();
        return others > 0 || read_later(model, source, iterable, comprehension);
    }
    read_later(model, source, arg, call)
}

/// The comprehension whose `for NAME in ITERABLE` binds the identifier `name`, with that
/// iterable.
fn comprehension_of<'t>(source: &Source, name: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let text = source.str(name);
    let mut node = name.parent();
    while let Some(n) = node {
        match n.ty() {
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => {
                let mut cursor = n.walk();
                let clause = n.named_children(&mut cursor).find(|c| {
                    c.ty() == "for_in_clause"
                        && c.field("left")
                            .is_some_and(|l| l.ty() == "identifier" && source.str(l) == text)
                });
                return clause
                    .and_then(|c| c.field("right"))
                    .map(|iterable| (n, iterable));
            }
            "function_definition" | "lambda" | "class_definition" | "module" => return None,
            _ => node = n.parent(),
        }
    }
    None
}

/// Whether `name` is the target of a comprehension's `for NAME in ...`.
fn is_comprehension_target(name: Node) -> bool {
    name.parent()
        .is_some_and(|p| p.ty() == "for_in_clause" && p.field("left") == Some(name))
}

/// Whether `name` holds a parameter of its function (what the caller passed).
pub(super) fn is_parameter<'t>(model: &SemanticModel<'t>, name: Node<'t>) -> bool {
    name.ty() == "identifier"
        && model
            .origins(name)
            .iter()
            .any(|o| matches!(o, crate::semantic::Origin::Param { .. }))
}

/// Fields a prediction's or training's `wait()`, `reload()` and `cancel()` never change: a
/// holder that reads only these sees no difference.
pub(super) const UNCHANGING: &[&str] = &[
    "id",
    "model",
    "version",
    "input",
    "created_at",
    "urls",
    "destination",
];

/// The uses of `name` in `body` that may read what v1's in-place update changed (all but
/// `name.id` and the other unchanging fields).
pub(super) fn uses_of<'t>(source: &Source, body: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.ty() == "identifier" && source.is(n, name) {
            let unchanging = n.parent().is_some_and(|p| {
                p.ty() == "attribute"
                    && p.field("object") == Some(n)
                    && p.field("attribute")
                        .is_some_and(|a| UNCHANGING.contains(&source.str(a).as_str()))
            });
            // `e.prediction`, `f(prediction=...)`: a field or keyword of that name, not a use.
            let not_a_name = n.parent().is_some_and(|p| {
                (p.ty() == "attribute" && p.field("attribute") == Some(n))
                    || (p.ty() == "keyword_argument" && p.field("name") == Some(n))
            });
            if !unchanging && !not_a_name {
                out.push(n);
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out
}

pub(super) fn inside_function(node: Node) -> bool {
    let mut p = node.parent();
    while let Some(n) = p {
        if matches!(n.ty(), "function_definition" | "lambda") {
            return true;
        }
        p = n.parent();
    }
    false
}

/// `replicate.predictions.list()`, `client.files.list().results`: a value a call just made,
/// which nothing else holds.
pub(super) fn made_by_call(node: Node) -> bool {
    let mut n = node;
    loop {
        match n.ty() {
            "call" => return true,
            "attribute" | "subscript" => match n.field("object").or_else(|| n.field("value")) {
                Some(inner) => n = inner,
                None => return false,
            },
            _ => return false,
        }
    }
}

/// Whether `loop_node`'s body assigns `name = ...` before `after`.
pub(super) fn assigned_before(source: &Source, loop_node: Node, name: &str, after: Node) -> bool {
    let mut stack = vec![loop_node];
    while let Some(n) = stack.pop() {
        if n.start_byte() >= after.start_byte() {
            continue;
        }
        if n.ty() == "assignment"
            && n.field("left")
                .is_some_and(|l| l.ty() == "identifier" && source.is(l, name))
        {
            return true;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    false
}
