//! `run()` keywords v1 ignored and v2 rejects.

use super::super::context::Context;
use crate::diagnostic::Edit;

/// Keywords v1's `run` forwarded to `predictions.create` and that reached the request or the
/// call; anything else v1 dropped.
const RUN_KEYWORDS: &[&str] = &[
    "ref",
    "input",
    "use_file_output",
    "file_encoding_strategy",
    "wait",
    "stream",
    "webhook",
    "webhook_events_filter",
    "webhook_completed",
    "cancel_after",
    "prefer",
];

pub(super) fn drop_unknown_run_keywords(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    let mut edits = Vec::new();
    for kw in &info.keywords {
        if !RUN_KEYWORDS.iter().any(|k| k.as_bytes() == kw.name) {
            let (s, e) = info.removal_range(cx.source, kw.node);
            edits.push(Edit::delete(s, e));
        }
    }
    Ok(edits)
}
