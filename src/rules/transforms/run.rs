//! `run()` keywords v1 ignored and v2 rejects, and the class of the async API's file outputs.

use super::super::context::Context;
use super::super::template::symbol;
use crate::diagnostic::Edit;
use crate::syntax::NodeExt;

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

/// `isinstance(item, FileOutput)` on an async run's output → `isinstance(item, (FileOutput,
/// AsyncFileOutput))`: v1's `FileOutput` was returned by both APIs, v2's async API returns
/// `AsyncFileOutput`, which is not a subclass of `FileOutput`.
pub(super) fn add_async_file_output(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let class = cx.node;
    // `replicate.helpers.FileOutput` / `r.FileOutput`: name the new class through the same module.
    let mut root = class;
    while root.ty() == "attribute" {
        root = root.field("object").ok_or("internal")?;
    }
    let name = if root != class && cx.model.is_module_name(&source.str(root), class) {
        format!("{}.AsyncFileOutput", source.str(root))
    } else {
        symbol(cx, "AsyncFileOutput")?
    };
    let in_tuple = class.parent().is_some_and(|p| p.ty() == "tuple");
    Ok(vec![if in_tuple {
        Edit::insert(class.end_byte(), format!(", {name}"))
    } else {
        Edit::replace(
            class.start_byte(),
            class.end_byte(),
            format!("({}, {name})", source.str(class)),
        )
    }])
}

/// No edit: makes the `FileOutput` import fixes (RM909, RM919) unsafe in a file that calls v1's
/// async run API and checks `isinstance(x, FileOutput)` on a value not known to come from it.
/// Such a value may be an async output, which v2 makes an `AsyncFileOutput` that the rewritten
/// check no longer matches (RM215 fixes the checks the file shows).
pub(super) fn file_output_guard(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let (source, model) = (cx.source, cx.model);
    let mut root = cx.node;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut async_api = false;
    let mut unproven_check = false;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.ty() == "call" {
            if let Some(callee) = node.field("function") {
                let text = source.str(callee);
                let last = text.rsplit('.').next().unwrap_or_default();
                // v1's `async_run`, or what its fixes write (`await AsyncReplicate().run(...)`).
                let awaited = node.parent().is_some_and(|p| p.ty() == "await");
                let runs = matches!(last, "async_run" | "async_stream")
                    || (awaited && matches!(last, "run" | "stream"));
                if runs && model.target(callee).is_some() {
                    async_api = true;
                }
                if text == "isinstance" && model.is_unbound(callee) {
                    unproven_check |= checks_file_output_of_unknown(cx, node);
                }
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    if async_api && unproven_check {
        cx.assumes = true;
    }
    Ok(vec![])
}

/// `isinstance(x, FileOutput)` (or a tuple with it, and without `AsyncFileOutput`) where `x` is
/// not known to be an async run's output (or only assumed to be, from a parameter's callers).
fn checks_file_output_of_unknown(cx: &Context, call: tree_sitter::Node) -> bool {
    let Some(args) = crate::syntax::CallArgs::new(cx.source, call) else {
        return false;
    };
    let [value, class] = args.positional[..] else {
        return false;
    };
    let paths: Vec<Vec<String>> = super::super::checker::handlers::classes(class)
        .into_iter()
        .filter_map(|c| match cx.model.resolve(c) {
            crate::semantic::Resolved::Sdk { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    let named = |last: &str| paths.iter().any(|p| p.last().is_some_and(|l| l == last));
    named("FileOutput")
        && !named("AsyncFileOutput")
        && cx.model.value(value).is_none_or(|v| {
            v.assumed
                || v.kind
                    != crate::semantic::SdkKind::Object(crate::semantic::ObjectKind::AsyncOutput)
        })
}
