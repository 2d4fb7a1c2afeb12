//! Streaming: v1's `stream()` read server-sent events; v2's polls. The fix creates the
//! prediction with `stream=True` and reads its events through a helper added to the file.

use super::super::context::Context;
use super::super::template::symbol;
use crate::diagnostic::{Edit, ImportNeed};
use crate::syntax::NodeExt;
use crate::syntax::{simple_receiver, split_model_ref, string_literal};

/// The token expression for `_replicate_stream_events`: the v2 client's own, or the
/// environment's for the module-level API (v1's default client read it there too).
fn stream_token(cx: &mut Context, client: &str) -> Result<String, String> {
    if cx.model.is_module_name(client, cx.node) {
        let environ = symbol(cx, "os.environ")?;
        Ok(format!("{environ}.get(\"REPLICATE_API_TOKEN\")"))
    } else {
        Ok(format!("{client}.bearer_token"))
    }
}

/// The create call v1's `stream()` made: `stream=True`, the reference split, `input={}` when none.
fn streaming_create(cx: &Context, client: &str) -> Result<String, String> {
    let source = cx.source;
    let info = cx.call()?;
    if info.unpacking {
        return Err("the call passes `*args` or `**kwargs`; rewrite it by hand".into());
    }
    let [reference] = info.positional.as_slice() else {
        return Err("`stream` takes the model reference as its only positional argument".into());
    };
    let reference = *reference;
    let mut keywords = Vec::new();
    let mut has_input = false;
    for kw in &info.keywords {
        match kw.name {
            // v1's default; files in the output are not expected on a text stream.
            b"use_file_output" => {}
            b"input" => {
                has_input = true;
                keywords.push(source.str(kw.node));
            }
            _ => keywords.push(source.str(kw.node)),
        }
    }
    if !has_input {
        keywords.push("input={}".to_string());
    }
    keywords.push("stream=True".to_string());
    let keywords = keywords.join(", ");
    let Some(literal) = string_literal(source, reference) else {
        return split_at_run_time(cx, client, reference, &keywords);
    };
    if let Some(parts) = split_model_ref(&literal.content, 3) {
        Ok(format!(
            "{client}.predictions.create(version={}, {keywords})",
            literal.with_content(parts[2]),
        ))
    } else if let Some(parts) = split_model_ref(&literal.content, 2) {
        Ok(format!(
            "{client}.models.predictions.create(model_owner={}, model_name={}, {keywords})",
            literal.with_content(parts[0]),
            literal.with_content(parts[1]),
        ))
    } else {
        Err(format!(
            "`{}` is not of the form \"owner/name[:version]\"",
            literal.content
        ))
    }
}

/// A reference in a name bound once to a literal (`CHAT_MODEL = "owner/name"`): split when the
/// call runs, as the other reference rewrites do, by the literal's shape (`owner/name` or
/// `owner/name:version`). A reference of unknown shape gets no fix: `owner/name` and
/// `owner/name:version` need different calls.
fn split_at_run_time(
    cx: &Context,
    client: &str,
    reference: tree_sitter::Node,
    keywords: &str,
) -> Result<String, String> {
    let source = cx.source;
    if !simple_receiver(reference) {
        return Err("the model reference is not a string literal".into());
    }
    let shown = source.str(reference);
    let literal_shape = if reference.ty() == "identifier" {
        cx.model
            .assigned_values(reference)
            .and_then(|values| match values.as_slice() {
                [v] => string_literal(source, *v),
                _ => None,
            })
            .map(|l| {
                if split_model_ref(&l.content, 3).is_some() {
                    Some(3)
                } else if split_model_ref(&l.content, 2).is_some() {
                    Some(2)
                } else {
                    None
                }
            })
    } else {
        None
    };
    match literal_shape {
        Some(None) => Err(format!(
            "`{shown}` is not of the form \"owner/name[:version]\""
        )),
        Some(Some(3)) => Ok(format!(
            "{client}.predictions.create(version={shown}.split(\":\", 1)[1], {keywords})"
        )),
        Some(Some(_)) => Ok(format!(
            "{client}.models.predictions.create(model_owner={shown}.split(\"/\", 1)[0], \
             model_name={shown}.split(\"/\", 1)[1], {keywords})"
        )),
        // Kept as before: the help the rule adds reads on from this.
        None => Err("the model reference is not a string literal".into()),
    }
}

/// Reads server-sent events as v1 did: `replicate.stream(...)` and `await
/// replicate.async_stream(...)` create the prediction with `stream=True` first;
/// `prediction.stream()` reads the prediction's own stream.
pub(super) fn stream_via_sse(cx: &mut Context) -> Result<Vec<Edit>, String> {
    match (cx.on, cx.path.as_str()) {
        ("prediction", _) => prediction_stream(cx),
        (_, "async_stream") => async_stream(cx),
        _ => stream(cx),
    }
}

/// `replicate.stream("o/n", input=x)` → create the prediction with `stream=True` and read its
/// server-sent events (v2's `stream()` polls instead and yields other objects).
fn stream(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let client = cx
        .receiver
        .clone()
        .ok_or("this `stream` has no receiver to name; use `import replicate`")?;
    let create = streaming_create(cx, &client)?;
    let token = stream_token(cx, &client)?;
    cx.imports
        .push(ImportNeed::Helper("_replicate_stream_events".into()));
    let call = cx.call.as_ref().ok_or("internal")?.call;
    Ok(vec![Edit::replace(
        call.start_byte(),
        call.end_byte(),
        format!("_replicate_stream_events({create}.urls.stream, {token})"),
    )])
}

/// `await replicate.async_stream("o/n", input=x)` → the async twin, over an `AsyncReplicate`
/// (for a v1 client, its `AsyncReplicate` twin with the same settings).
fn async_stream(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let receiver = cx
        .receiver
        .clone()
        .ok_or("this `async_stream` has no receiver to name; use `import replicate`")?;
    let async_client = if cx.model.is_module_name(&receiver, cx.node) {
        format!("{receiver}.AsyncReplicate()")
    } else {
        crate::rules::async_twin::async_client(cx)?
    };
    let create = streaming_create(cx, &async_client)?;
    let token = stream_token(cx, &receiver)?;
    cx.imports
        .push(ImportNeed::Helper("_replicate_async_stream_events".into()));
    let call = cx.call.as_ref().ok_or("internal")?.call;
    // `await replicate.async_stream(...)` returned the async iterator; the helper is one.
    let node = call.parent().filter(|p| p.ty() == "await").unwrap_or(call);
    if node == call {
        return Err("the call is not awaited; await it as v1 required".into());
    }
    Ok(vec![Edit::replace(
        node.start_byte(),
        node.end_byte(),
        format!("_replicate_async_stream_events((await {create}).urls.stream, {token})"),
    )])
}

/// `prediction.stream()` → read `prediction.urls.stream` as v1 did.
fn prediction_stream(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let receiver = cx
        .receiver
        .clone()
        .ok_or("the prediction is not a plain name; assign it to a variable first")?;
    let client = cx
        .client
        .clone()
        .ok_or("cannot tell which client made this prediction")?;
    if !cx.model.client_reachable(&client, cx.node) {
        return Err(format!(
            "the client that made this prediction (`{client}`) is not in scope here"
        ));
    }
    let token = stream_token(cx, &client)?;
    cx.imports
        .push(ImportNeed::Helper("_replicate_stream_events".into()));
    let call = cx.call.as_ref().ok_or("internal")?.call;
    Ok(vec![Edit::replace(
        call.start_byte(),
        call.end_byte(),
        format!("_replicate_stream_events({receiver}.urls.stream, {token})"),
    )])
}
