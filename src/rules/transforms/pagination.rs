//! Pagination: `replicate.paginate` and `list(cursor=page.next)`.

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::semantic::{client_call_result, Resolved, SdkKind};
use crate::syntax::NodeExt;

/// `replicate.paginate(replicate.predictions.list)` → `replicate.predictions.list().iter_pages()` (M07).
pub(super) fn paginate_iter_pages(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    let [list_method] = info.positional.as_slice() else {
        return Err("`paginate` takes one list method".into());
    };
    let is_list = cx.model.target(*list_method).is_some_and(|t| {
        matches!(t.value.kind, SdkKind::Module | SdkKind::Client)
            && t.path.last().is_some_and(|m| m == "list")
    });
    // `paginate(trainings.list)` with `trainings` a parameter or attribute the file does not
    // type: only an SDK namespace's `list` went to v1's `paginate`, so assume it is one.
    let assumed_list = !is_list
        && list_method.ty() == "attribute"
        && list_method
            .field("attribute")
            .is_some_and(|a| cx.source.str(a) == "list");
    if !(is_list || assumed_list) || !info.keywords.is_empty() {
        return Err(format!(
            "`{}` is not a list method of the SDK; call `.list().iter_pages()` on it by hand",
            cx.source.str(*list_method)
        ));
    }
    let edit = Edit::replace(
        info.call.start_byte(),
        info.call.end_byte(),
        format!("{}().iter_pages()", cx.source.str(*list_method)),
    );
    cx.assumes |= assumed_list;
    Ok(vec![edit])
}

/// `replicate.predictions.list(cursor=page.next)` → `page.get_next_page()` (PG07): v2 pages
/// fetch the next page themselves.
pub(super) fn cursor_to_next_page(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    let Some((_, cursor)) = info.keyword("cursor") else {
        return Err("no `cursor=`".into());
    };
    let page = (cursor.ty() == "attribute")
        .then(|| {
            let attr = cursor.field("attribute")?;
            (cx.source.str(attr) == "next").then_some(())?;
            cursor.field("object")
        })
        .flatten();
    // The page must come from the same listing (`trainings.list` does not continue a page of
    // predictions) of the same client (another client may hold another token).
    let listed = client_call_result(&cx.path.split('.').map(str::to_string).collect::<Vec<_>>());
    let is_page = page.is_some_and(|p| {
        matches!(cx.model.resolve(p), Resolved::Member { value, path, .. }
            if path.is_empty()
                && matches!(value.kind, SdkKind::Page(_))
                && Some(value.kind) == listed
                && value.client.is_some()
                && value.client == cx.client)
    });
    let (Some(page), true) = (page, is_page) else {
        return Err(
            "the cursor is not `page.next` of a page of this listing from this client; keep the page and call `page.get_next_page()`"
                .into(),
        );
    };
    if info.all.len() != 1 {
        return Err("`list` has other arguments besides `cursor=`".into());
    }
    Ok(vec![Edit::replace(
        info.call.start_byte(),
        info.call.end_byte(),
        format!("{}.get_next_page()", cx.source.str(page)),
    )])
}
