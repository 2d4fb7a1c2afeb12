//! File uploads: `files.create` arguments and file inputs of `run`/`create` that v1 uploaded.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::template::symbol;
use crate::diagnostic::{Edit, ImportNeed};
use crate::semantic::SemanticModel;
use crate::syntax::{side_effect_free_fstring, string_literal, Source};

/// What a v1 `files.create` argument is, as far as the file shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FileArg {
    /// A string literal: a path v1 opened itself.
    PathLiteral,
    /// `open(...)`, or a name only ever bound to `open(...)`.
    Handle,
    /// `pathlib.Path(...)` / `Path(...)`.
    PathLike,
    /// `upload.file` of a FastAPI/Starlette `UploadFile` parameter: a nameless
    /// `SpooledTemporaryFile`, which v1 could not upload (`os.path.basename(None)`).
    UploadStream,
}

fn same(a: FileArg, b: FileArg) -> bool {
    a == b
}

fn classify_file_arg(cx: &Context, node: Node) -> Option<FileArg> {
    classify_file_value(cx.source, cx.model, node)
}

fn classify_file_value(source: &Source, model: &SemanticModel, node: Node) -> Option<FileArg> {
    classify_depth(source, model, node, 0)
}

/// A file annotation: `Path`, or a binary stream type.
fn annotated_file(source: &Source, annotation: Node) -> Option<FileArg> {
    match source.str(annotation).as_str() {
        "pathlib.Path" | "Path" => Some(FileArg::PathLike),
        "BinaryIO" | "typing.BinaryIO" | "IO[bytes]" | "typing.IO[bytes]" => Some(FileArg::Handle),
        _ => None,
    }
}

/// `upload.file` where `upload` is a parameter annotated as FastAPI's or Starlette's
/// `UploadFile` (also `Optional[...]`, `... | None`, `Annotated[..., File()]`), resolved
/// through the file's imports.
fn upload_file_stream(source: &Source, model: &SemanticModel, node: Node) -> bool {
    let Some(object) = (node.ty() == "attribute")
        .then(|| node.field("object"))
        .flatten()
        .filter(|o| o.ty() == "identifier")
    else {
        return false;
    };
    let is_file = node
        .field("attribute")
        .is_some_and(|a| source.str(a) == "file");
    is_file
        && model
            .param_annotation(object)
            .is_some_and(|a| names_upload_file(model, a, 0))
}

const UPLOAD_FILE: &[&[&str]] = &[
    &["fastapi", "UploadFile"],
    &["fastapi", "datastructures", "UploadFile"],
    &["starlette", "datastructures", "UploadFile"],
];

/// Whether an annotation is `UploadFile`, or wraps it in `Optional`, `Annotated` or `| None`.
fn names_upload_file(model: &SemanticModel, annotation: Node, depth: usize) -> bool {
    if depth > 3 {
        return false;
    }
    match annotation.ty() {
        "identifier" | "attribute" => model.imported_path(annotation).is_some_and(|p| {
            UPLOAD_FILE
                .iter()
                .any(|q| p.iter().map(String::as_str).eq(q.iter().copied()))
        }),
        "type" | "type_parameter" => annotation
            .named_child(0)
            .is_some_and(|a| names_upload_file(model, a, depth + 1)),
        // `UploadFile | None`
        "binary_operator" => {
            let side = |f: &'static str| {
                annotation
                    .field(f)
                    .is_some_and(|a| names_upload_file(model, a, depth + 1))
            };
            side("left") || side("right")
        }
        // `Optional[UploadFile]`, `Annotated[UploadFile, File()]`: the first subscript.
        "subscript" | "generic_type" => {
            let wrapper = annotation
                .field("value")
                .or_else(|| annotation.named_child(0))
                .and_then(|v| model.imported_path(v));
            let wraps = wrapper.is_some_and(|p| {
                matches!(
                    p.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
                    ["typing" | "typing_extensions", "Optional" | "Annotated"]
                )
            });
            wraps
                && annotation
                    .field("subscript")
                    .or_else(|| annotation.named_child(1))
                    .is_some_and(|a| names_upload_file(model, a, depth + 1))
        }
        _ => false,
    }
}

fn classify_depth(
    source: &Source,
    model: &SemanticModel,
    node: Node,
    depth: usize,
) -> Option<FileArg> {
    if depth > 4 {
        return None;
    }
    // `upload.file`: an attribute of an instance of the file's own class, annotated as a file
    // (a dataclass field) or only ever assigned files (`self.file = open(path, "rb")`).
    if upload_file_stream(source, model, node) {
        return Some(FileArg::UploadStream);
    }
    if node.ty() == "attribute" {
        let (annotation, values) = model.instance_attribute_sources(node)?;
        if let Some(annotation) = annotation {
            return annotated_file(source, annotation);
        }
        let kinds: Option<Vec<FileArg>> = values
            .iter()
            .map(|v| match classify_depth(source, model, *v, depth + 1) {
                Some(k @ (FileArg::Handle | FileArg::PathLike)) => Some(k),
                _ => None,
            })
            .collect();
        return match kinds?.as_slice() {
            [first, rest @ ..] if rest.iter().all(|k| same(*k, *first)) => Some(*first),
            _ => None,
        };
    }
    if string_literal(source, node).is_some() {
        return Some(FileArg::PathLiteral);
    }
    let is_call_of = |n: Node, names: &[&str]| -> bool {
        n.ty() == "call"
            && n.field("function").is_some_and(|f| {
                let text = source.str(f);
                names.contains(&text.as_str())
                    && (f.ty() != "identifier" || text == "Path" || model.is_unbound(f))
            })
    };
    if is_call_of(node, &["open"]) {
        return Some(FileArg::Handle);
    }
    if is_call_of(node, &["pathlib.Path", "Path"]) {
        return Some(FileArg::PathLike);
    }
    // `os.path.join(...)` builds a `str` path, which v1 opened itself.
    if is_call_of(
        node,
        &["os.path.join", "os.path.abspath", "os.path.expanduser"],
    ) {
        return Some(FileArg::PathLiteral);
    }
    if node.ty() == "identifier" {
        if let Some(annotation) = model.param_annotation(node) {
            return annotated_file(source, annotation);
        }
        let values = model.assigned_values(node)?;
        if !values.is_empty()
            && values.iter().all(|v| {
                is_call_of(
                    *v,
                    &["os.path.join", "os.path.abspath", "os.path.expanduser"],
                )
            })
        {
            return Some(FileArg::PathLiteral);
        }
        if !values.is_empty() && values.iter().all(|v| is_call_of(*v, &["open"])) {
            return Some(FileArg::Handle);
        }
        if !values.is_empty()
            && values
                .iter()
                .all(|v| is_call_of(*v, &["pathlib.Path", "Path"]))
        {
            return Some(FileArg::PathLike);
        }
    }
    None
}

/// `files.create(file=fh, filename="x.jpg", content_type=t, metadata=m)` →
/// `files.create(content=("x.jpg", fh), filename="x.jpg", type=t, metadata=json.dumps(m))` (F01 and
/// the corrections in mapping §0b: v1 took the type from `filename` and sent metadata as JSON).
pub(super) fn files_create(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call()?;
    let (replace_node, value) = match info.positional.first() {
        Some(p) => (*p, *p),
        None => match info.keyword("file") {
            Some((kw, v)) => (kw, v),
            None => return Err("no `file` argument".into()),
        },
    };
    let filename = info.keyword("filename").map(|(_, v)| v);
    let content_type = info.keyword("content_type").map(|(kw, _)| kw);
    let metadata = info.keyword("metadata").map(|(_, v)| v);
    let value_text = source.str(value);
    let kind = classify_file_arg(cx, value)
        .ok_or_else(|| format!("cannot tell whether `{value_text}` is a path or an open file"))?;
    if kind == FileArg::UploadStream {
        return Err(format!(
            "`{value_text}` is an `UploadFile`'s nameless stream, which v1 could not upload; pass `content=(upload.filename, {value_text})` by hand"
        ));
    }
    // v1 named a path's upload after the file and ignored `filename=`; v2 would send it.
    let filename_removal = match (kind, info.keyword("filename")) {
        (FileArg::PathLiteral | FileArg::PathLike, Some((kw, _))) => {
            Some(info.removal_range(source, kw))
        }
        _ => None,
    };
    let content = match (kind, filename) {
        (FileArg::PathLiteral, _) => format!("{}({value_text})", symbol(cx, "pathlib.Path")?),
        (FileArg::Handle, Some(name))
            if string_literal(source, name).is_some()
                || name.ty() == "identifier"
                || side_effect_free_fstring(name) =>
        {
            format!("({}, {value_text})", source.str(name))
        }
        (FileArg::Handle, Some(_)) => {
            return Err(
                "`filename=` is an expression; pass `content=(filename, handle)` by hand".into(),
            )
        }
        (FileArg::Handle | FileArg::PathLike | FileArg::UploadStream, None)
        | (FileArg::PathLike | FileArg::UploadStream, Some(_)) => value_text,
    };
    let mut edits = vec![Edit::replace(
        replace_node.start_byte(),
        replace_node.end_byte(),
        format!("content={content}"),
    )];
    if let Some((s, e)) = filename_removal {
        edits.push(Edit::delete(s, e));
    }
    if let Some(kw) = content_type {
        let name = kw.field("name").ok_or("internal")?;
        edits.push(Edit::replace(name.start_byte(), name.end_byte(), "type"));
    }
    if let Some(m) = metadata {
        let dumps = symbol(cx, "json.dumps")?;
        edits.push(Edit::replace(
            m.start_byte(),
            m.end_byte(),
            format!("{dumps}({})", source.str(m)),
        ));
    }
    Ok(edits)
}

/// The file inputs of an `input=` value that v1 uploaded with `files.create` before creating
/// the prediction: the open files and `Path`s among the values of a dict literal or a
/// `dict(...)` call (one level into list values); or the input itself, when it is a name bound
/// to such a dict, or to one the file fills with `name[key] = <file>`.
pub fn file_inputs<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    input: Node<'t>,
) -> Vec<Node<'t>> {
    inputs_where(source, model, input, uploaded)
}

/// The `upload.file` streams of FastAPI/Starlette `UploadFile` parameters among the values of an
/// `input=` value, found as `file_inputs` finds open files: v1 raised `TypeError` on them (a
/// `SpooledTemporaryFile` has no name), v2 uploads them nameless or not at all.
pub fn upload_stream_inputs<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    input: Node<'t>,
) -> Vec<Node<'t>> {
    inputs_where(source, model, input, |k| k == FileArg::UploadStream)
}

/// The kinds v1 uploaded: open files and `Path`s.
fn uploaded(kind: FileArg) -> bool {
    matches!(kind, FileArg::Handle | FileArg::PathLike)
}

fn inputs_where<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    input: Node<'t>,
    want: fn(FileArg) -> bool,
) -> Vec<Node<'t>> {
    if input.ty() == "identifier" {
        return if name_holds_files(source, model, input, want) {
            vec![input]
        } else {
            vec![]
        };
    }
    let Some(values) = mapping_values(source, model, input) else {
        return vec![];
    };
    let mut out = Vec::new();
    for value in values {
        out.extend(file_values(source, model, value, want));
    }
    out
}

/// The values of a dict literal, or of the keywords of a `dict(...)` call (the builtin).
fn mapping_values<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    node: Node<'t>,
) -> Option<Vec<Node<'t>>> {
    match node.ty() {
        "dictionary" => {
            let mut cursor = node.walk();
            let pairs: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            Some(pairs.into_iter().filter_map(|p| p.field("value")).collect())
        }
        "call" => {
            let callee = node.field("function")?;
            if !(callee.ty() == "identifier"
                && source.str(callee) == "dict"
                && model.is_unbound(callee))
            {
                return None;
            }
            let args = crate::syntax::CallArgs::new(source, node)?;
            if !args.positional.is_empty() {
                return None;
            }
            Some(args.keywords.iter().map(|k| k.value).collect())
        }
        _ => None,
    }
}

/// The open files and `Path`s a value is (one level into a list literal), or the value itself
/// when it is a name bound to a list of handles.
fn file_values<'t>(
    source: &Source,
    model: &SemanticModel<'t>,
    value: Node<'t>,
    want: fn(FileArg) -> bool,
) -> Vec<Node<'t>> {
    // A name bound only to `[open(p, "rb") for p in paths]`: a list of handles.
    if want(FileArg::Handle) && value.ty() == "identifier" && handle_list(source, model, value) {
        return vec![value];
    }
    let candidates: Vec<Node<'t>> = if value.ty() == "list" {
        let mut c = value.walk();
        value.named_children(&mut c).collect()
    } else {
        vec![value]
    };
    candidates
        .into_iter()
        .filter(|v| classify_file_value(source, model, *v).is_some_and(want))
        .collect()
}

/// A name bound only to dict literals (or `dict(...)` calls) whose values, or the values the file
/// stores into it with `name[key] = value`, include open files or `Path`s.
fn name_holds_files<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    name: Node<'t>,
    want: fn(FileArg) -> bool,
) -> bool {
    let Some(bound) = model.assigned_values(name) else {
        return false;
    };
    let mut literal_values = Vec::new();
    for value in &bound {
        match mapping_values(source, model, *value) {
            Some(values) => literal_values.extend(values),
            None => return false,
        }
    }
    let values: Vec<Node<'t>> = literal_values
        .into_iter()
        .chain(model.stored_values(name))
        .collect();
    // A dict the code fills with its own uploads (`d["image"] = client.files.create(...).urls.get`)
    // is migrated already.
    let uploads_itself = values.iter().any(|v| uploads(model, *v));
    !bound.is_empty()
        && !uploads_itself
        && values
            .iter()
            .any(|v| !file_values(source, model, *v, want).is_empty())
}

/// Whether an expression calls the SDK's `files.create`.
fn uploads<'t>(model: &SemanticModel<'t>, value: Node<'t>) -> bool {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        if node.ty() == "call" {
            let target = node.field("function").and_then(|f| model.target(f));
            if target.is_some_and(|t| {
                t.path.iter().map(String::as_str).eq(["files", "create"])
                    || t.path
                        .iter()
                        .map(String::as_str)
                        .eq(["files", "async_create"])
            }) {
                return true;
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

fn handle_list(source: &Source, model: &SemanticModel, name: Node) -> bool {
    model.assigned_values(name).is_some_and(|values| {
        !values.is_empty()
            && values.iter().all(|v| {
                v.ty() == "list_comprehension"
                    && v.field("body").is_some_and(|b| {
                        matches!(
                            classify_file_value(source, model, b),
                            Some(FileArg::Handle | FileArg::PathLike)
                        )
                    })
            })
    })
}

/// `input={"image": fh}` → `input={"image": client.files.create(content=fh).urls.get}`: v1 uploaded
/// file inputs with the file's name and type; v2's `run` uploads nameless bytes, and its
/// deployments and trainings routes do not upload at all (mapping §0b.5, guide pair 20).
pub(super) fn upload_file_inputs(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call()?;
    let Some((_, input)) = info.keyword("input") else {
        return Ok(vec![]);
    };
    let values = file_inputs(source, cx.model, input);
    // On an async client (`await client.run(...)`) the upload is a coroutine too.
    let awaited = info.call.parent().is_some_and(|p| p.ty() == "await");
    let client = cx.receiver.clone().ok_or(
        "the fix must name the client, and this call has no receiver; upload with `files.create` by hand",
    )?;
    Ok(values
        .into_iter()
        .map(|v| {
            // A name holding the input dict: upload its files at the call, as v1 did.
            if v == input {
                let text = if awaited {
                    cx.imports
                        .push(ImportNeed::Helper("_replicate_async_upload_files".into()));
                    format!(
                        "await _replicate_async_upload_files({client}, {})",
                        source.str(v)
                    )
                } else {
                    cx.imports
                        .push(ImportNeed::Helper("_replicate_upload_files".into()));
                    format!("_replicate_upload_files({client}, {})", source.str(v))
                };
                return Edit::replace(v.start_byte(), v.end_byte(), text);
            }
            let upload = |content: &str| {
                if awaited {
                    format!("(await {client}.files.create(content={content})).urls.get")
                } else {
                    format!("{client}.files.create(content={content}).urls.get")
                }
            };
            let text = if handle_list(source, cx.model, v) {
                format!("[{} for _file in {}]", upload("_file"), source.str(v))
            } else {
                upload(&source.str(v))
            };
            Edit::replace(v.start_byte(), v.end_byte(), text)
        })
        .collect())
}
