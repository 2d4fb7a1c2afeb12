//! Predictions: `wait=` on create.

use super::super::context::Context;
use crate::diagnostic::Edit;

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
