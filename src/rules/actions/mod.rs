//! The fix actions of the rule language (`op = "..."` in `[rule.fix]`): each names a shape of
//! edit, not a rule. They turn a match (its `Context`) into byte edits.
//!
//! - `arguments`: keywords and positional arguments of the matched call;
//! - `replace`: the callee, the node, an argument or the whole statement, by a template;
//! - `references`: `"owner/name[:version]"` references and v1 objects passed as references;
//! - `imports`: import statements of v1 modules and names.
//!
//! Anything too particular for these is a named transform (`rules::transforms`).

mod arguments;
mod holders;
mod imports;
mod references;
mod replace;

pub use replace::inside_fstring;

use super::context::Context;
use super::schema::Action;
use crate::diagnostic::Edit;

/// The edits of a fix's actions, sorted and merged; an error says why there is no fix.
pub fn edits(cx: &mut Context, actions: &[Action]) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    for action in actions {
        edits.extend(apply(cx, action)?);
    }
    edits.append(&mut cx.extra_edits);
    edits.sort_by_key(|e| (e.start, e.end));
    let edits = merge_deletions(cx, edits);
    for pair in edits.windows(2) {
        if pair[0].end > pair[1].start {
            return Err("internal: the rule's actions overlap".into());
        }
    }
    Ok(edits)
}

/// Two argument removals may share a separator: overlapping deletions merge, and a merged
/// deletion that now ends the argument list takes the comma before it too.
fn merge_deletions(cx: &Context, edits: Vec<Edit>) -> Vec<Edit> {
    let mut merged: Vec<Edit> = Vec::new();
    for edit in edits {
        match merged.last_mut() {
            Some(last)
                if last.content.is_empty() && edit.content.is_empty() && edit.start < last.end =>
            {
                last.end = last.end.max(edit.end);
            }
            _ => merged.push(edit),
        }
    }
    let bytes = &cx.source.bytes;
    for i in 0..merged.len() {
        if !merged[i].content.is_empty() || merged[i].start == merged[i].end {
            continue;
        }
        let after = bytes[merged[i].end..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if after != Some(&b')') {
            continue;
        }
        let floor = if i > 0 { merged[i - 1].end } else { 0 };
        let mut start = merged[i].start;
        while start > floor && bytes[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        if start > floor && bytes[start - 1] == b',' {
            merged[i].start = start - 1;
        }
    }
    merged
}

/// One action's edits: a dispatch table, one arm per `op`.
fn apply(cx: &mut Context, action: &Action) -> Result<Vec<Edit>, String> {
    match action {
        Action::KeywordForPositional { index, name } => {
            arguments::keyword_for_positional(cx, *index, name)
        }
        Action::RenameKeyword { from, to } => arguments::rename_keyword(cx, from, to),
        Action::AddKeyword { name, value } => arguments::add_keyword(cx, name, value),
        Action::RemoveKeyword { name } => arguments::remove_keyword(cx, name),
        Action::InsertArguments { text } => arguments::insert_arguments(cx, text),
        Action::LiteralSuffix { keyword, suffix } => arguments::literal_suffix(cx, keyword, suffix),
        Action::LiteralBasename { keyword } => arguments::literal_basename(cx, keyword),
        Action::WrapKeyword { name, template } => arguments::wrap_keyword(cx, name, template),
        Action::RenameMethod { to } => replace::rename_method(cx, to),
        Action::ReplaceCallee { template } => replace::replace_callee(cx, template),
        Action::ReplaceNode { template } => replace::replace_node(cx, template),
        Action::ReplaceArg { index, template } => replace::replace_arg(cx, *index, template),
        Action::ReplaceStatement { template } => replace::replace_statement(cx, template),
        Action::CallHelper { helper } => replace::call_helper(cx, helper),
        Action::AddModuleImport { module } => replace::add_module_import(cx, module),
        Action::SplitReference { arg, into } => references::split_reference(cx, arg, into),
        Action::VersionObjectId { arg } => references::version_object_id(cx, arg),
        Action::RenameImport { to } => imports::rename_import(cx, to),
        Action::RenameImportedName { to } => imports::rename_imported_name(cx, to),
        Action::RewriteFromImport {
            module,
            name,
            unless_called,
        } => imports::rewrite_from_import(cx, module, name, *unless_called),
        Action::ReplaceImportModule { with } => imports::replace_import_module(cx, with),
        Action::DropImportIfOnly { only } => imports::drop_import_if_only(cx, only),
        Action::KeepHoldersCurrent => holders::keep_holders_current(cx),
        Action::Transform { name } => super::transforms::run(cx, name),
    }
}
