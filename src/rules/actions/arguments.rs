//! Actions on the matched call's arguments.

use super::super::context::Context;
use super::super::template::expand;
use crate::diagnostic::Edit;
use crate::syntax::string_literal;
use crate::syntax::NodeExt;

/// `f(x)` → `f(name=x)`.
pub fn keyword_for_positional(
    cx: &mut Context,
    index: usize,
    name: &str,
) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let Some(arg) = cx.call()?.positional.get(index).copied() else {
        return Ok(vec![]);
    };
    // `f(x := v)` must become `f(name=(x := v))`: a bare walrus is not a keyword value.
    Ok(vec![if arg.ty() == "named_expression" {
        Edit::replace(
            arg.start_byte(),
            arg.end_byte(),
            format!("{name}=({})", source.str(arg)),
        )
    } else {
        Edit::insert(arg.start_byte(), format!("{name}="))
    }])
}

pub fn rename_keyword(cx: &mut Context, from: &str, to: &str) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    let Some((kw, _)) = info.keyword(from) else {
        return Ok(vec![]);
    };
    if info.has_keyword(to) {
        return Err(format!("both `{from}=` and `{to}=` are given"));
    }
    let name = kw.field("name").expect("keyword has a name");
    Ok(vec![Edit::replace(name.start_byte(), name.end_byte(), to)])
}

/// Appends `name=value` unless the call already has `name=`.
pub fn add_keyword(cx: &mut Context, name: &str, value: &str) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    if info.has_keyword(name) {
        return Ok(vec![]);
    }
    let (at, sep) = info.append_point();
    Ok(vec![Edit::insert(at, format!("{sep}{name}={value}"))])
}

pub fn remove_keyword(cx: &mut Context, name: &str) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    Ok(match info.keyword(name) {
        Some((kw, _)) => {
            let (s, e) = info.removal_range(cx.source, kw);
            vec![Edit::delete(s, e)]
        }
        None => vec![],
    })
}

/// Inserts arguments (a template) before the call's first argument.
pub fn insert_arguments(cx: &mut Context, text: &str) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    let at = info.args.start_byte() + 1;
    // Before a line break, no trailing space.
    let breaks = matches!(cx.source.bytes.get(at), Some(b'\n' | b'\r'));
    let sep = match (info.all.is_empty(), breaks) {
        (true, _) => "",
        (false, true) => ",",
        (false, false) => ", ",
    };
    let text = expand(cx, text, None)?;
    Ok(vec![Edit::insert(at, format!("{text}{sep}"))])
}

/// Strips a trailing `/` from a string literal keyword value and appends `suffix`.
pub fn literal_suffix(cx: &mut Context, keyword: &str, suffix: &str) -> Result<Vec<Edit>, String> {
    let Some((_, value)) = cx.call()?.keyword(keyword) else {
        return Ok(vec![]);
    };
    let literal = string_literal(cx.source, value)
        .ok_or_else(|| format!("`{keyword}=` is not a plain string literal"))?;
    if literal.content.is_empty() {
        return Err(format!(
            "an empty `{keyword}=` meant the default in v1; remove the argument"
        ));
    }
    let content = literal.content.trim_end_matches('/');
    Ok(vec![Edit::replace(
        value.start_byte(),
        value.end_byte(),
        literal.with_content(&format!("{content}{suffix}")),
    )])
}

/// Keeps only what follows the last `/` of a string literal keyword value.
pub fn literal_basename(cx: &mut Context, keyword: &str) -> Result<Vec<Edit>, String> {
    let Some((_, value)) = cx.call()?.keyword(keyword) else {
        return Ok(vec![]);
    };
    let literal = string_literal(cx.source, value)
        .ok_or_else(|| format!("`{keyword}=` is not a plain string literal"))?;
    let Some((_, base)) = literal.content.rsplit_once('/') else {
        return Ok(vec![]);
    };
    Ok(vec![Edit::replace(
        value.start_byte(),
        value.end_byte(),
        literal.with_content(base),
    )])
}

/// Replaces a keyword's value by a template over `{value}`.
pub fn wrap_keyword(cx: &mut Context, name: &str, template: &str) -> Result<Vec<Edit>, String> {
    let Some((_, value)) = cx.call()?.keyword(name) else {
        return Ok(vec![]);
    };
    let value_text = cx.source.str(value);
    let text = expand(cx, template, Some(&value_text))?;
    Ok(vec![Edit::replace(
        value.start_byte(),
        value.end_byte(),
        text,
    )])
}
