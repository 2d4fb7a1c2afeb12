//! Named transforms: fix primitives too particular for the generic actions, by topic. A rule
//! file names one (`{ op = "transform", name = "wait-to-prefer" }`); none is keyed on a rule
//! code. `REGISTRY` is the one list of them: the loader checks names against it, and
//! `rules/README.md` documents each.

mod client;
mod errors;
mod fields;
mod files;
mod pagination;
mod predictions;
mod references;
mod run;
mod streaming;
mod versions;

pub use files::{file_inputs, upload_stream_inputs};

use super::context::Context;
use crate::diagnostic::Edit;

/// A transform: its name in rule files, what it does, and its code.
pub struct Transform {
    pub name: &'static str,
    pub summary: &'static str,
    pub apply: fn(&mut Context) -> Result<Vec<Edit>, String>,
}

pub const REGISTRY: &[Transform] = &[
    Transform {
        name: "httpx-kwargs-to-http-client",
        summary: "`Client(verify=False)` → `Replicate(http_client=DefaultHttpxClient(verify=False))`",
        apply: client::httpx_kwargs_to_http_client,
    },
    Transform {
        name: "token-assignment",
        summary: "`replicate.default_client.api_token = t` → `replicate.bearer_token = t`; `client.api_token = t` → `client.bearer_token = t`",
        apply: client::token_assignment,
    },
    Transform {
        name: "wait-to-prefer",
        summary: "`wait=True` → `prefer=\"wait\"`, `wait=N` → `prefer=\"wait=N\"`, `wait=False` dropped",
        apply: predictions::wait_to_prefer,
    },
    Transform {
        name: "empty-input",
        summary: "`predictions.create(...)` without an input gets `input={}`; unsafe on the `version=` form, where v1 sent no input",
        apply: predictions::empty_input,
    },
    Transform {
        name: "model-dump",
        summary: "`p.dict()` → `p.model_dump(mode=\"json\")`, `p.json()` → `p.model_dump_json()`",
        apply: predictions::model_dump,
    },
    Transform {
        name: "subscript-to-attribute",
        summary: "`p.urls[\"get\"]` → `p.urls.get`",
        apply: fields::subscript_to_attribute,
    },
    Transform {
        name: "dict-get-to-attribute",
        summary: "`p.urls.get(\"stream\")` → `p.urls.stream`",
        apply: fields::dict_get_to_attribute,
    },
    Transform {
        name: "files-create",
        summary: "`files.create(file, filename=, content_type=, metadata=)` → `files.create(content=, type=, metadata=json.dumps(...))`",
        apply: files::files_create,
    },
    Transform {
        name: "upload-file-inputs",
        summary: "file inputs of `input={...}` uploaded with `files.create` first, as v1 did; an input held in a name through the `_replicate_upload_files` helper",
        apply: files::upload_file_inputs,
    },
    Transform {
        name: "httpx-error-to-sdk",
        summary: "`except httpx.TimeoutException` around SDK calls → `except replicate.APITimeoutError` (kept beside it when the `try` also calls other code)",
        apply: errors::httpx_error_to_sdk,
    },
    Transform {
        name: "catch-missing-token",
        summary: "`except ReplicateError` whose `try` builds a v1 client → `except (ReplicateError, replicate.ReplicateError)`, so the handler still catches v2's missing-token error",
        apply: errors::catch_missing_token,
    },
    Transform {
        name: "dict-get-to-getattr",
        summary: "`p.metrics.get(key, default)` → `getattr(p.metrics, key, default)` (`None` when no default)",
        apply: fields::dict_get_to_getattr,
    },
    Transform {
        name: "error-body-field",
        summary: "`e.detail` → `e.body.get(\"detail\")`",
        apply: fields::error_body_field,
    },
    Transform {
        name: "paginate-iter-pages",
        summary: "`replicate.paginate(X.list)` → `X.list().iter_pages()`",
        apply: pagination::paginate_iter_pages,
    },
    Transform {
        name: "cursor-to-next-page",
        summary: "`X.list(cursor=page.next)` → `page.get_next_page()`",
        apply: pagination::cursor_to_next_page,
    },
    Transform {
        name: "stream-via-sse",
        summary: "`replicate.stream(...)`, `await replicate.async_stream(...)` → create with `stream=True` and read its server-sent events; `prediction.stream()` → read `prediction.urls.stream`",
        apply: streaming::stream_via_sse,
    },
    Transform {
        name: "object-reference",
        summary: "`run(model)` → `run(f\"{model.owner}/{model.name}\")`; a `Version` → `f\"{m.owner}/{m.name}:{v.id}\"` with its model",
        apply: references::object_reference,
    },
    Transform {
        name: "add-async-file-output",
        summary: "`isinstance(x, FileOutput)` → `isinstance(x, (FileOutput, AsyncFileOutput))`",
        apply: run::add_async_file_output,
    },
    Transform {
        name: "file-output-guard",
        summary: "no edit: the fix is unsafe where the file uses v1's async run API and checks `isinstance(x, FileOutput)` on a value not known to come from it",
        apply: run::file_output_guard,
    },
    Transform {
        name: "versions-constructor",
        summary: "`v = Versions(client, \"o/n\")` → `v = client.models.versions`, and `v.get(id)` → `v.get(model_owner=\"o\", model_name=\"n\", version_id=id)` (also `list()`, `delete(id)`)",
        apply: versions::versions_constructor,
    },
    Transform {
        name: "drop-unknown-run-keywords",
        summary: "keywords v1's `run()` ignored are removed",
        apply: run::drop_unknown_run_keywords,
    },
];

pub fn find(name: &str) -> Option<&'static Transform> {
    REGISTRY.iter().find(|t| t.name == name)
}

pub fn run(cx: &mut Context, name: &str) -> Result<Vec<Edit>, String> {
    match find(name) {
        Some(t) => (t.apply)(cx),
        None => Err(format!("internal: unknown transform `{name}`")),
    }
}
