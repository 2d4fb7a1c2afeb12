//! Errors: httpx's transport errors caught around SDK calls, which v2 wraps in its own classes.

use tree_sitter::Node;

use super::super::checker::handlers::{calls_in, classes, try_body};
use super::super::context::Context;
use super::super::template::symbol;
use crate::diagnostic::Edit;

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
        call.child_by_field_name("function").is_some_and(|f| {
            cx.model.target(f).is_some()
                || (f.kind() == "identifier"
                    && QUIET_BUILTINS.contains(&source.str(f).as_str())
                    && cx.model.is_unbound(f))
        })
    });
    let name = symbol(cx, v2)?;
    let text = source.str(class);
    let in_tuple = class
        .parent()
        .is_some_and(|p| p.kind() == "tuple" && classes(p).len() > 1);
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
        if n.kind() == "except_clause" {
            return Some(n);
        }
    }
}
