//! One v1 `Client` served sync and async calls; v2 splits them into `Replicate` and
//! `AsyncReplicate`. A fix that moves an async call (or an object's async method) off a v1
//! client names an `AsyncReplicate` twin of it, made once, right after the client, with the
//! same settings: `client` → `async_client`, `self.client` → `self.async_client`.

use super::context::Context;
use super::template::symbol;
use crate::diagnostic::Edit;
use crate::syntax::NodeExt;
use crate::syntax::{string_literal, CallArgs, Source};

/// The client an async call on `cx.client` goes to: the module's `AsyncReplicate()`, the
/// client itself when it is an `AsyncReplicate`, or its twin (added by this fix if missing).
pub fn async_client(cx: &mut Context) -> Result<String, String> {
    let client = cx
        .client
        .clone()
        .ok_or("cannot tell which client made this object")?;
    if cx.model.is_module_name(&client, cx.node) {
        return Ok(format!("{client}.AsyncReplicate()"));
    }
    let by_hand = || {
        format!(
            "the object came from `{client}`; create an `AsyncReplicate` with the same settings and use it"
        )
    };
    if !cx.model.client_reachable(&client, cx.node) {
        return Err(by_hand());
    }
    let site = cx.model.client_site(&client, cx.node).ok_or_else(by_hand)?;
    if site.constructor == "AsyncReplicate" {
        return Ok(client);
    }
    let twin = twin_name(&client);
    match cx.model.client_site(&twin, cx.node) {
        Some(existing) if existing.constructor == "AsyncReplicate" => return Ok(twin),
        Some(_) => return Err(format!("`{twin}` names something else; {}", by_hand())),
        None if !twin.contains('.') && cx.model.is_bound_at_module(&twin) => {
            return Err(format!("`{twin}` names something else; {}", by_hand()))
        }
        None => {}
    }
    let args = settings(cx, site.call, site.constructor)?;
    let constructor = symbol(cx, "AsyncReplicate")?;
    let source = cx.source;
    let newline = String::from_utf8_lossy(source.newline()).into_owned();
    let indent =
        String::from_utf8_lossy(&source.indent_at(site.statement.start_byte())).into_owned();
    cx.extra_edits.push(Edit::insert(
        site.statement.end_byte(),
        format!("{newline}{indent}{twin} = {constructor}({args})"),
    ));
    Ok(twin)
}

/// `client` → `async_client`, `self.client` → `self.async_client`, `c` → `async_c`.
fn twin_name(client: &str) -> String {
    match client.rsplit_once('.') {
        Some((owner, attr)) => format!("{owner}.{}", twin_name(attr)),
        None => format!("async_{client}"),
    }
}

/// Keywords v2's client takes as they are.
const SAME_IN_V2: &[&str] = &[
    "bearer_token",
    "timeout",
    "max_retries",
    "default_headers",
    "default_query",
];

/// The v2 arguments of an `AsyncReplicate` with the settings of the client `call` makes. An
/// argument evaluated a second time must have no side effects, or the fix is unsafe.
fn settings(
    cx: &mut Context,
    call: tree_sitter::Node,
    constructor: &str,
) -> Result<String, String> {
    let source = cx.source;
    let args = CallArgs::new(source, call).ok_or("the client's arguments cannot be read")?;
    if args.unpacking {
        return Err(
            "the client is made with `*args`/`**kwargs`; create the `AsyncReplicate` by hand"
                .into(),
        );
    }
    let mut out = Vec::new();
    let mut httpx = Vec::new();
    for arg in &args.all {
        if !repeatable(source, *arg) {
            cx.assumes = true;
        }
    }
    if let Some(first) = args.positional.first() {
        if args.positional.len() > 1 {
            return Err("the client takes more than a token positionally".into());
        }
        // `Client(token := ...)`: a walrus needs its parentheses as a keyword's value
        let token = source.str(*first);
        if first.ty() == "named_expression" {
            out.push(format!("bearer_token=({token})"));
        } else {
            out.push(format!("bearer_token={token}"));
        }
    }
    for kw in &args.keywords {
        let name = kw.name_str();
        let value = source.str(kw.value);
        match name.as_ref() {
            "http_client" => {
                return Err("the client has its own `http_client=`; give the `AsyncReplicate` an async one by hand".into())
            }
            _ if constructor != "Client" => out.push(format!("{name}={value}")),
            "api_token" => out.push(format!("bearer_token={value}")),
            "headers" => out.push(format!("default_headers={value}")),
            "base_url" => out.push(format!("base_url={}", base_url(cx, kw.value)?)),
            n if SAME_IN_V2.contains(&n) => out.push(format!("{name}={value}")),
            _ => httpx.push(format!("{name}={value}")),
        }
    }
    if !httpx.is_empty() {
        let factory = symbol(cx, "DefaultAsyncHttpxClient")?;
        out.push(format!("http_client={factory}({})", httpx.join(", ")));
    }
    Ok(out.join(", "))
}

/// v2 paths have no `/v1`: a custom base URL gains it (as RM106 and RM107 do).
fn base_url(cx: &mut Context, value: tree_sitter::Node) -> Result<String, String> {
    let text = cx.source.str(value);
    match string_literal(cx.source, value) {
        Some(l) if l.content.trim_end_matches('/').ends_with("/v1") => Ok(text),
        Some(l) if l.content.is_empty() => {
            Err("an empty `base_url=` meant the default in v1".into())
        }
        Some(l) => Ok(l.with_content(&format!("{}/v1", l.content.trim_end_matches('/')))),
        None => {
            cx.assumes = true;
            Ok(format!("str({text}).rstrip(\"/\") + \"/v1\""))
        }
    }
}

/// An expression with no side effects worth fearing when evaluated twice: names, literals,
/// subscripts, operators, and calls of a few pure constructors (`httpx.Timeout(...)`,
/// `os.environ.get(...)`, `os.getenv(...)`).
fn repeatable(source: &Source, node: tree_sitter::Node) -> bool {
    const PURE: &[&str] = &[
        "httpx.Timeout",
        "os.environ.get",
        "os.getenv",
        "str",
        "int",
        "float",
        "dict",
    ];
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(
            n.ty(),
            "call" | "await" | "yield" | "named_expression" | "lambda"
        ) {
            let pure = n.ty() == "call"
                && n.field("function")
                    .is_some_and(|f| PURE.contains(&source.str(f).as_str()));
            if !pure {
                return false;
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    true
}
