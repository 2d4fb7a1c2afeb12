//! Fields of v1 objects that changed shape: dicts that became models, HTTP error fields.

use super::super::actions::inside_fstring;
use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::syntax::NodeExt;
use crate::syntax::{is_identifier, string_literal};

/// `p.urls["get"]` → `p.urls.get`: a v1 dict became a v2 model with attributes.
pub(super) fn subscript_to_attribute(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let node = cx.node;
    let key = node
        .field("subscript")
        .ok_or("internal: subscript without key")?;
    let literal = string_literal(cx.source, key)
        .ok_or("the key is not a string literal; use the attribute of the same name")?;
    if !is_identifier(&literal.content) {
        return Err(format!(
            "`{}` is not a valid attribute name",
            literal.content
        ));
    }
    let value = node.field("value").ok_or("internal")?;
    Ok(vec![Edit::replace(
        value.end_byte(),
        node.end_byte(),
        format!(".{}", literal.content),
    )])
}

/// `p.urls.get("stream")` → `p.urls.stream` (v2 `urls.get` is a string field, not `dict.get`).
pub(super) fn dict_get_to_attribute(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    if info.positional.len() != 1 || !info.keywords.is_empty() {
        return Err(
            "`.get()` with a default has no attribute form; use `getattr(urls, key, default)`"
                .into(),
        );
    }
    let literal =
        string_literal(cx.source, info.positional[0]).ok_or("the key is not a string literal")?;
    if !is_identifier(&literal.content) {
        return Err(format!(
            "`{}` is not a valid attribute name",
            literal.content
        ));
    }
    let callee = info.callee;
    let object = callee.field("object").ok_or("internal")?;
    Ok(vec![Edit::replace(
        object.end_byte(),
        info.call.end_byte(),
        format!(".{}", literal.content),
    )])
}

/// `p.metrics.get("predict_time", 0)` → `getattr(p.metrics, "predict_time", 0)`: v2's `Metrics`
/// is a model whose extra keys are attributes; it has no `get`. A missing default is `None`, as
/// `dict.get` gave.
pub(super) fn dict_get_to_getattr(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    if !info.keywords.is_empty() || info.unpacking || !(1..=2).contains(&info.positional.len()) {
        return Err("`.get()` takes a key and an optional default here".into());
    }
    let object = info
        .callee
        .field("object")
        .ok_or("internal: not a method call")?;
    let source = cx.source;
    let key = source.str(info.positional[0]);
    // `total_time` is a declared field of v2's `Metrics`: absent, it reads `None`, not the default.
    if info.positional.len() == 2
        && string_literal(source, info.positional[0]).is_some_and(|l| l.content == "total_time")
    {
        return Err("v2 declares `total_time`, so `getattr` would give `None`, not the default, when it is absent".into());
    }
    let default = info
        .positional
        .get(1)
        .map_or_else(|| "None".to_string(), |d| source.str(*d));
    Ok(vec![Edit::replace(
        info.call.start_byte(),
        info.call.end_byte(),
        format!("getattr({}, {key}, {default})", source.str(object)),
    )])
}

/// `e.detail` → `e.body.get("detail")` (E04).
pub(super) fn error_body_field(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let node = cx.node;
    let attr = node
        .field("attribute")
        .ok_or("internal: not an attribute")?;
    let receiver = cx.receiver.clone().ok_or("the error is not a plain name")?;
    let field = cx.source.str(attr);
    let text = inside_fstring(cx.source, node, format!("{receiver}.body.get(\"{field}\")"))?;
    Ok(vec![Edit::replace(
        node.start_byte(),
        node.end_byte(),
        text,
    )])
}
