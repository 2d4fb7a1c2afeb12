//! Errors: httpx's transport errors caught around SDK calls, which v2 wraps in its own classes.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::checker::handlers::{calls_in, caught_expression, classes, try_body};
use super::super::context::Context;
use super::super::template::symbol;
use crate::diagnostic::Edit;
use crate::syntax::Source;

/// httpx's errors for a request that got no answer, and the v2 class the SDK raises instead
/// (`_base_client.py`: `httpx.TimeoutException` → `APITimeoutError`, anything else raised while
/// sending → `APIConnectionError`). v1 let httpx's own errors through.
const HTTPX_ERRORS: &[(&str, &str)] = &[
    ("TimeoutException", "APITimeoutError"),
    ("ConnectTimeout", "APITimeoutError"),
    ("ReadTimeout", "APITimeoutError"),
    ("WriteTimeout", "APITimeoutError"),
    ("PoolTimeout", "APITimeoutError"),
    ("ConnectError", "APIConnectionError"),
    ("ReadError", "APIConnectionError"),
    ("WriteError", "APIConnectionError"),
    ("NetworkError", "APIConnectionError"),
    ("RemoteProtocolError", "APIConnectionError"),
    ("ProtocolError", "APIConnectionError"),
    ("ProxyError", "APIConnectionError"),
    ("TransportError", "APIConnectionError"),
    ("RequestError", "APIConnectionError"),
    ("HTTPError", "APIConnectionError"),
];

/// Builtins that send no request, so a `try` block of SDK calls and these needs only v2's class.
const QUIET_BUILTINS: &[&str] = &[
    "print",
    "len",
    "str",
    "repr",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "tuple",
    "set",
    "sorted",
    "reversed",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "isinstance",
    "enumerate",
    "range",
    "zip",
    "any",
    "all",
    "format",
    "getattr",
    "hasattr",
];

/// `except httpx.TimeoutException:` around SDK calls → `except replicate.APITimeoutError:` (E13).
/// When the `try` block also calls something else (which may send its own httpx requests), the
/// httpx class stays beside the v2 one: `except (httpx.TimeoutException, replicate.APITimeoutError):`.
pub(super) fn httpx_error_to_sdk(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let class = cx.node;
    let last = cx.path.rsplit('.').next().unwrap_or_default();
    let v2 = HTTPX_ERRORS
        .iter()
        .find(|(httpx, _)| *httpx == last)
        .map(|(_, v2)| *v2)
        .ok_or_else(|| format!("internal: no v2 class for `{}`", cx.path))?;
    let clause = enclosing_clause(class).ok_or("internal: not in an `except` clause")?;
    let block = try_body(clause).ok_or("internal: no `try` block")?;
    let only_sdk = calls_in(block).into_iter().all(|call| {
        call.field("function").is_some_and(|f| {
            cx.model.target(f).is_some()
                || (f.ty() == "identifier"
                    && QUIET_BUILTINS.contains(&source.str(f).as_str())
                    && cx.model.is_unbound(f))
        })
    });
    let name = symbol(cx, v2)?;
    let text = source.str(class);
    let in_tuple = class
        .parent()
        .is_some_and(|p| p.ty() == "tuple" && classes(p).len() > 1);
    Ok(vec![match (only_sdk, in_tuple) {
        (true, _) => Edit::replace(class.start_byte(), class.end_byte(), name),
        (false, true) => Edit::insert(class.end_byte(), format!(", {name}")),
        (false, false) => Edit::replace(
            class.start_byte(),
            class.end_byte(),
            format!("({text}, {name})"),
        ),
    }])
}

fn enclosing_clause(node: Node) -> Option<Node> {
    let mut n = node;
    loop {
        n = n.parent()?;
        if n.ty() == "except_clause" {
            return Some(n);
        }
    }
}

/// `except ReplicateError:` whose `try` builds a v1 client → `except (ReplicateError,
/// replicate.ReplicateError):` (C03). v1 built a client without a token and its first request got
/// a 401 `ReplicateError`; v2 raises its root `replicate.ReplicateError` at construction, which
/// `APIStatusError` (v1's `ReplicateError`, RM912/RM913) does not catch. No fix where catching
/// the root class would break the handler: a later clause of the same `try` catches `ModelError`
/// (the root class comes first and takes it), or the handler reads the error's fields, which the
/// missing-token error does not have.
pub(super) fn catch_missing_token(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let class = cx.node;
    let clause = enclosing_clause(class).ok_or("internal: not in an `except` clause")?;
    let mut later = clause.next_named_sibling();
    while let Some(c) = later {
        if c.ty() == "except_clause" {
            let takes_model_error = caught_expression(c).is_some_and(|caught| {
                classes(caught).into_iter().any(|k| {
                    cx.model
                        .imported_path(k)
                        .is_some_and(|p| p.last().is_some_and(|l| l == "ModelError"))
                })
            });
            if takes_model_error {
                return Err("a later `except ModelError` clause would no longer be reached, since v2's `ReplicateError` is also `ModelError`'s base class: catch the missing-token error in its own clause".into());
            }
        }
        later = c.next_named_sibling();
    }
    if let Some(name) = bound_name(source, clause) {
        let block = clause
            .named_children(&mut clause.walk())
            .find(|n| n.ty() == "block");
        if block.is_some_and(|b| reads_attribute_of(source, b, &name)) {
            return Err(format!("the handler reads fields of `{name}`, which the missing-token error (a plain `replicate.ReplicateError`) does not have: handle it in its own clause"));
        }
    }
    let root = symbol(cx, "replicate.ReplicateError")?;
    let text = source.str(class);
    let in_tuple = class
        .parent()
        .is_some_and(|p| p.ty() == "tuple" && classes(p).len() > 1);
    Ok(vec![if in_tuple {
        Edit::insert(class.end_byte(), format!(", {root}"))
    } else {
        Edit::replace(
            class.start_byte(),
            class.end_byte(),
            format!("({text}, {root})"),
        )
    }])
}

/// The name of `except E as name:`.
fn bound_name(source: &Source, clause: Node) -> Option<String> {
    let mut cursor = clause.walk();
    let pattern = clause
        .named_children(&mut cursor)
        .find(|n| n.ty() == "as_pattern")?;
    let mut node = pattern.field("alias")?;
    while node.ty() != "identifier" {
        node = node.named_child(0)?;
    }
    Some(source.str(node))
}

/// Whether `block` reads an attribute of `name` (`e.status`, `e.detail`).
fn reads_attribute_of(source: &Source, block: Node, name: &str) -> bool {
    let mut stack = vec![block];
    while let Some(node) = stack.pop() {
        if node.ty() == "attribute"
            && node
                .field("object")
                .is_some_and(|o| o.ty() == "identifier" && source.str(o) == name)
        {
            return true;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    false
}
