//! Exception handlers: the classes an `except` clause catches (`except = "httpx.TimeoutException"`),
//! named by the dotted path the file's imports give them, of any module.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::index::lookup;
use super::{name, Checker};
use crate::semantic::{SdkKind, SemanticModel};

/// v2's errors for a request that got no answer.
const V2_TRANSPORT_ERRORS: &[&str] = &["APIError", "APIConnectionError", "APITimeoutError"];

/// `except httpx.TimeoutException:`, `except (TimeoutException, ValueError) as e:`: each class.
pub fn except_clause<'t>(checker: &mut Checker<'_, 't>, clause: Node<'t>) {
    let rules = checker.rules;
    if rules.index.excepts.is_empty() {
        return;
    }
    let Some(caught) = caught_expression(clause) else {
        return;
    };
    let (source, model) = (checker.source, checker.model);
    // A clause that already catches v2's transport errors has been migrated.
    let migrated = classes(caught).into_iter().any(|c| {
        model.imported_path(c).is_some_and(|p| {
            let p: Vec<&str> = p.iter().map(String::as_str).collect();
            matches!(
                p.as_slice(),
                ["replicate", "exceptions", name] | ["replicate", name]
                    if V2_TRANSPORT_ERRORS.contains(name)
            )
        })
    });
    if migrated {
        return;
    }
    for class in classes(caught) {
        let last = match class.ty() {
            "attribute" => class.field("attribute"),
            "identifier" => Some(class),
            _ => None,
        };
        let Some(key) = last.and_then(|n| name(source, n)) else {
            continue;
        };
        let ids = lookup(&rules.index.excepts, key);
        if ids.is_empty() {
            continue;
        }
        let Some(path) = model.imported_path(class) else {
            continue;
        };
        let joined = path.join(".");
        for rule in ids.iter().map(|&i| &rules.rules[i]) {
            let m = &rule.matcher;
            if !m.except.as_ref().is_some_and(|s| s.contains(&joined)) {
                continue;
            }
            if m.around_sdk_call && !try_body(clause).is_some_and(|b| calls_sdk(model, b)) {
                continue;
            }
            if m.try_builds_client
                && (catches_v2_root(model, caught)
                    || !try_body(clause).is_some_and(|b| builds_client(model, b)))
            {
                continue;
            }
            let cx = Context {
                path: joined.clone(),
                ..Context::bare(source, model, class)
            };
            checker.report_span(rule, cx, report_span(m.try_builds_client, clause, class));
        }
    }
}

/// The expression after `except` (without `as name`), if any.
pub fn caught_expression(clause: Node) -> Option<Node> {
    let mut cursor = clause.walk();
    let value = clause
        .children_by_field_name("value", &mut cursor)
        .next()
        .or_else(|| {
            let mut c = clause.walk();
            let first = clause.named_children(&mut c).find(|n| n.ty() != "block");
            first
        })?;
    match value.ty() {
        "as_pattern" => value.named_child(0),
        "block" => None,
        _ => Some(value),
    }
}

/// The classes of `E` or `(E1, E2)`.
pub fn classes(caught: Node) -> Vec<Node> {
    let mut node = caught;
    while node.ty() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => return vec![],
        }
    }
    if node.ty() == "tuple" {
        let mut cursor = node.walk();
        return node
            .named_children(&mut cursor)
            .filter(|c| c.ty() != "comment")
            .collect();
    }
    vec![node]
}

/// The block of the `try` an `except` clause belongs to.
pub fn try_body(clause: Node) -> Option<Node> {
    let statement = clause.parent().filter(|p| p.ty() == "try_statement")?;
    statement.field("body")
}

/// The calls in `block`, outside the functions, classes and lambdas defined in it (their bodies
/// run elsewhere).
pub fn calls_in(block: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![block];
    while let Some(node) = stack.pop() {
        match node.ty() {
            "function_definition" | "class_definition" | "lambda" => continue,
            "call" => out.push(node),
            _ => {}
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    out
}

/// Whether a call in `block` goes to the SDK (the module, a v1 client or a v1 object).
fn calls_sdk<'t>(model: &SemanticModel<'t>, block: Node<'t>) -> bool {
    calls_in(block).into_iter().any(|call| {
        call.field("function")
            .is_some_and(|f| model.target(f).is_some())
    })
}

/// Whether a call in `block` constructs a v1 client: `replicate.Client(...)`,
/// `Client(...)` after `from replicate import Client`, `replicate.client.Client(...)`.
fn builds_client<'t>(model: &SemanticModel<'t>, block: Node<'t>) -> bool {
    calls_in(block).into_iter().any(|call| {
        call.field("function")
            .and_then(|f| model.target(f))
            .is_some_and(|t| {
                !t.value.v2
                    && t.value.kind == SdkKind::Module
                    && (t.path == ["Client"] || t.path == ["client", "Client"])
            })
    })
}

/// Whether the clause already catches v2's root `replicate.ReplicateError` (v1 has no such
/// top-level name), as the missing-token fix writes it.
fn catches_v2_root<'t>(model: &SemanticModel<'t>, caught: Node<'t>) -> bool {
    classes(caught).into_iter().any(|c| {
        model
            .imported_path(c)
            .is_some_and(|p| p.len() == 2 && p[0] == "replicate" && p[1] == "ReplicateError")
    })
}

/// Where an `except` finding points: the class, or for a finding about the whole handler
/// (`try_builds_client`) `except` through the class, so that a fix renaming the class alone
/// (RM913) does not settle it.
fn report_span(about_handler: bool, clause: Node, class: Node) -> (usize, usize) {
    let start = match clause.child(0) {
        Some(keyword) if about_handler && keyword.ty() == "except" => keyword.start_byte(),
        _ => class.start_byte(),
    };
    (start, class.end_byte())
}
