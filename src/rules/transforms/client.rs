//! Client construction and settings: httpx options that v1's `Client` forwarded to httpx, and
//! the token assigned to a client after it was made.

use super::super::context::Context;
use super::super::template::symbol;
use crate::diagnostic::Edit;
use crate::syntax::NodeExt;

/// Keyword arguments `replicate.Client` understood itself (v1) or that `Replicate` takes (v2).
/// Anything else went to `httpx.Client` in v1.
const CLIENT_KEYWORDS: &[&str] = &[
    "api_token",
    "bearer_token",
    "base_url",
    "timeout",
    "headers",
    "default_headers",
    "default_query",
    "max_retries",
    "http_client",
];

/// `Client(verify=False, proxy=p)` → `Replicate(http_client=DefaultHttpxClient(verify=False, proxy=p))`.
/// Deletes each moved argument separately, so other fixes on the same call apply in the same pass.
pub(super) fn httpx_kwargs_to_http_client(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    if info.keyword("http_client").is_some() {
        return Err(
            "`http_client=` is already given; move the httpx options into it by hand".into(),
        );
    }
    let source = cx.source;
    let all = info.all.clone();
    let moved: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, arg)| {
            arg.ty() == "keyword_argument"
                && arg
                    .field("name")
                    .is_some_and(|n| !CLIENT_KEYWORDS.contains(&source.str(n).as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    let texts: Vec<String> = moved.iter().map(|i| source.str(all[*i])).collect();
    let factory = symbol(cx, "DefaultHttpxClient")?;
    let new_arg = format!("http_client={factory}({})", texts.join(", "));
    let last = all.len() - 1;
    let mut edits = Vec::new();
    for &i in &moved {
        if i == last {
            edits.push(Edit::replace(
                all[i].start_byte(),
                all[i].end_byte(),
                new_arg.clone(),
            ));
        } else {
            edits.push(Edit::delete(all[i].start_byte(), all[i + 1].start_byte()));
        }
    }
    if moved.last() != Some(&last) {
        edits.push(Edit::insert(all[last].end_byte(), format!(", {new_arg}")));
    }
    Ok(edits)
}

/// `replicate.default_client.api_token = t` → `replicate.bearer_token = t` (M02: v2 configures
/// its module-level client through module attributes); on a client of the file's own,
/// `client.api_token = t` → `client.bearer_token = t`.
pub(super) fn token_assignment(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let node = cx.node;
    let object = node.field("object").ok_or("internal: not an attribute")?;
    let default_client = match object.ty() {
        "attribute" => object
            .field("attribute")
            .is_some_and(|a| cx.source.str(a) == "default_client")
            .then(|| object.field("object"))
            .flatten()
            .filter(|m| cx.model.is_module_name(&cx.source.str(*m), node))
            .map(|m| cx.source.str(m)),
        _ => None,
    };
    let owner = match default_client {
        Some(module) => module,
        None if object.ty() == "identifier" && cx.source.str(object) == "default_client" => cx
            .model
            .module_alias_in_scope(node)
            .ok_or("`default_client` comes from `from replicate import ...`; set `replicate.bearer_token` after `import replicate`")?,
        None => cx
            .receiver
            .clone()
            .ok_or("the client is not a plain name; set its `bearer_token` by hand")?,
    };
    Ok(vec![Edit::replace(
        node.start_byte(),
        node.end_byte(),
        format!("{owner}.bearer_token"),
    )])
}
