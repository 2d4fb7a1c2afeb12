//! Predictions: `wait=` on create, and v1's async object methods.

use super::super::context::Context;
use super::super::template::expand;
use crate::diagnostic::Edit;
use crate::semantic::{ObjectKind, Resolved, SdkKind};

/// `wait=True` → `prefer="wait"`, `wait=N` → `prefer="wait=N"`, `wait=False` → dropped (P09).
pub(super) fn wait_to_prefer(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call()?;
    let Some((kw, value)) = info.keyword("wait") else {
        return Ok(vec![]);
    };
    if info.keyword("prefer").is_some() {
        return Err("both `wait=` and `prefer=` are given".into());
    }
    let text = source.str(value);
    let replacement = match text.as_str() {
        "True" => "prefer=\"wait\"".to_string(),
        "False" => {
            let (s, e) = info.removal_range(source, kw);
            return Ok(vec![Edit::delete(s, e)]);
        }
        t if value.kind() == "integer" && t.chars().all(|c| c.is_ascii_digit()) => {
            format!("prefer=\"wait={t}\"")
        }
        // A name: decide at run time as v1 did (True -> "wait", N -> "wait=N", falsy -> none).
        _ if matches!(value.kind(), "identifier" | "attribute") => {
            cx.assumes = true;
            format!(
                "**({{\"prefer\": \"wait\" if {text} is True else f\"wait={{{text}}}\"}} if {text} else {{}})"
            )
        }
        _ => {
            return Err(format!(
            "`wait={text}` is not a literal; pass `prefer=\"wait\"` or `prefer=\"wait=N\"` by hand"
        ))
        }
    };
    Ok(vec![Edit::replace(
        kw.start_byte(),
        kw.end_byte(),
        replacement,
    )])
}

/// `await p.async_wait()` → `p = await replicate.AsyncReplicate().predictions.wait(p.id)`, and the
/// same for `async_reload` (`get`) and `async_cancel` on predictions and trainings.
pub(super) fn async_object_method(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let (namespace, id) = if cx.path.ends_with("wait")
        || cx.path.ends_with("reload")
        || cx.path.ends_with("cancel")
    {
        let kind = cx
            .call
            .as_ref()
            .and_then(|c| c.callee.child_by_field_name("object"))
            .map(|o| cx.model.resolve(o));
        match kind {
            Some(Resolved::Member { value, .. })
                if value.kind == SdkKind::Object(ObjectKind::Training) =>
            {
                ("trainings", "training_id")
            }
            _ => ("predictions", "prediction_id"),
        }
    } else {
        return Err("internal: not an async object method".into());
    };
    let call = match cx.path.trim_start_matches("async_") {
        "wait" if namespace == "predictions" => "wait({receiver}.id)".to_string(),
        "wait" => return Err("v2 has no `trainings.wait`; poll `trainings.get` in a loop".into()),
        "reload" => format!("get({id}={{receiver}}.id)"),
        _ => format!("cancel({id}={{receiver}}.id)"),
    };
    let template = format!("{{receiver}} = await {{async_client}}.{namespace}.{call}");
    let mut node = cx.node;
    if let Some(p) = node.parent().filter(|p| p.kind() == "await") {
        node = p;
    }
    let statement = node
        .parent()
        .filter(|p| p.kind() == "expression_statement")
        .ok_or("the call is not a statement of its own")?;
    if let Some(object) = cx
        .call
        .as_ref()
        .and_then(|c| c.callee.child_by_field_name("object"))
    {
        if object.kind() == "identifier" && !cx.model.is_local(object) {
            return Err(
                "the object is not assigned in this function, so it cannot be rebound here".into(),
            );
        }
    }
    let text = expand(cx, &template, None)?;
    Ok(vec![Edit::replace(
        statement.start_byte(),
        statement.end_byte(),
        text,
    )])
}
