//! Predictions: `wait=` and a missing `input=` on create, and the pydantic-v1 serialisers of
//! the objects.

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::syntax::NodeExt;

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
        t if value.ty() == "integer" && t.chars().all(|c| c.is_ascii_digit()) => {
            format!("prefer=\"wait={t}\"")
        }
        // A name: decide at run time as v1 did (True -> "wait", N -> "wait=N", falsy -> none).
        _ if matches!(value.ty(), "identifier" | "attribute") => {
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

/// Keywords v1's pydantic `dict()` / `json()` share with pydantic 2's `model_dump` /
/// `model_dump_json`, with the same meaning (`indent` only for `json`).
const DUMP_KEYWORDS: &[&str] = &[
    "include",
    "exclude",
    "by_alias",
    "exclude_unset",
    "exclude_defaults",
    "exclude_none",
];

/// `p.dict(...)` → `p.model_dump(mode="json", ...)` and `p.json(...)` → `p.model_dump_json(...)`
/// (PO17): v1's predictions, trainings, files, deployments (and the rest) held their timestamps as
/// strings, so only the JSON mode keeps the dict's values as they were; v2's deprecated `dict()`
/// would give `datetime`s. A v1 version's `created_at` was already a `datetime`, so models,
/// versions and collections (which hold them) keep the Python mode: `model_dump()`.
pub(super) fn model_dump(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call()?;
    let method = info
        .callee
        .field("attribute")
        .ok_or("internal: the callee is not an attribute")?;
    let json = source.str(method) == "json";
    for kw in &info.keywords {
        let name = kw.name_str();
        if !(DUMP_KEYWORDS.contains(&name.as_ref()) || (json && name == "indent")) {
            return Err(format!(
                "`{name}=` has no `model_dump{}` counterpart",
                if json { "_json" } else { "" }
            ));
        }
    }
    if info.unpacking || !info.positional.is_empty() {
        return Err("the call's arguments cannot be carried over".into());
    }
    let mut edits = vec![Edit::replace(
        method.start_byte(),
        method.end_byte(),
        if json {
            "model_dump_json"
        } else {
            "model_dump"
        },
    )];
    let holds_versions = matches!(cx.on, "model" | "version" | "collection");
    if !json && !holds_versions {
        let open = info.args.start_byte() + 1;
        let text = if info.all.is_empty() {
            "mode=\"json\""
        } else {
            "mode=\"json\", "
        };
        edits.push(Edit::insert(open, text));
    }
    Ok(edits)
}

/// `predictions.create(...)` without an input → `input={}` (P06). Exact on the `model=` and
/// `deployment=` forms, where v1 sent `input: {}` itself; on the `version=` form v1 sent no
/// `input` key at all, which v2 cannot do, so the request changes and the fix is unsafe.
pub(super) fn empty_input(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    if info.has_keyword("input") {
        return Ok(vec![]);
    }
    let exact = info.has_keyword("model") || info.has_keyword("deployment");
    let (at, sep) = info.append_point();
    let edit = Edit::insert(at, format!("{sep}input={{}}"));
    if !exact {
        cx.assumes = true;
    }
    Ok(vec![edit])
}
