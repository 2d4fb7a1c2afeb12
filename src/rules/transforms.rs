//! Fix primitives too particular for the generic actions. Each is named, so a rule file refers
//! to it (`{ op = "transform", name = "wait-to-prefer" }`), and none is keyed on a rule code.

use tree_sitter::Node;

use super::matcher::{string_literal, symbol, Context};
use crate::diagnostic::{Edit, ImportNeed};
use crate::parse::Source;
use crate::semantic::Resolved;
use crate::semantic::SemanticModel;

pub const NAMES: &[&str] = &[
    "httpx-kwargs-to-http-client",
    "wait-to-prefer",
    "subscript-to-attribute",
    "dict-get-to-attribute",
    "files-create",
    "upload-file-inputs",
    "async-object-method",
    "error-body-field",
    "paginate-iter-pages",
    "cursor-to-next-page",
    "stream-via-sse",
    "prediction-stream-via-sse",
    "async-stream-via-sse",
    "drop-unknown-run-keywords",
];

pub fn run(cx: &mut Context, name: &str) -> Result<Vec<Edit>, String> {
    match name {
        "httpx-kwargs-to-http-client" => httpx_kwargs_to_http_client(cx),
        "wait-to-prefer" => wait_to_prefer(cx),
        "subscript-to-attribute" => subscript_to_attribute(cx),
        "dict-get-to-attribute" => dict_get_to_attribute(cx),
        "files-create" => files_create(cx),
        "upload-file-inputs" => upload_file_inputs(cx),
        "async-object-method" => async_object_method(cx),
        "error-body-field" => error_body_field(cx),
        "paginate-iter-pages" => paginate_iter_pages(cx),
        "cursor-to-next-page" => cursor_to_next_page(cx),
        "stream-via-sse" => stream_via_sse(cx),
        "prediction-stream-via-sse" => prediction_stream_via_sse(cx),
        "async-stream-via-sse" => async_stream_via_sse(cx),
        "drop-unknown-run-keywords" => drop_unknown_run_keywords(cx),
        other => Err(format!("internal: unknown transform `{other}`")),
    }
}

/// Keyword arguments `replicate.Client` understood itself (v1) or that `Replicate` takes (v2).
/// Anything else went to `httpx.Client` in v1.
const CLIENT_KEYWORDS: &[&str] = &[
    "api_token",
    "bearer_token",
    "base_url",
    "timeout",
    "headers",
    "default_headers",
    "default_query",
    "max_retries",
    "http_client",
];

/// `Client(verify=False, proxy=p)` → `Replicate(http_client=DefaultHttpxClient(verify=False, proxy=p))`.
/// Deletes each moved argument separately, so other fixes on the same call apply in the same pass.
fn httpx_kwargs_to_http_client(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
    if info.keyword("http_client").is_some() {
        return Err(
            "`http_client=` is already given; move the httpx options into it by hand".into(),
        );
    }
    let source = cx.source;
    let all = info.all.clone();
    let moved: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, arg)| {
            arg.kind() == "keyword_argument"
                && arg
                    .child_by_field_name("name")
                    .is_some_and(|n| !CLIENT_KEYWORDS.contains(&source.str(n).as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    let texts: Vec<String> = moved.iter().map(|i| source.str(all[*i])).collect();
    let factory = symbol(cx, "DefaultHttpxClient")?;
    let new_arg = format!("http_client={factory}({})", texts.join(", "));
    let last = all.len() - 1;
    let mut edits = Vec::new();
    for &i in &moved {
        if i == last {
            edits.push(Edit::replace(
                all[i].start_byte(),
                all[i].end_byte(),
                new_arg.clone(),
            ));
        } else {
            edits.push(Edit::delete(all[i].start_byte(), all[i + 1].start_byte()));
        }
    }
    if moved.last() != Some(&last) {
        edits.push(Edit::insert(all[last].end_byte(), format!(", {new_arg}")));
    }
    Ok(edits)
}

/// `wait=True` → `prefer="wait"`, `wait=N` → `prefer="wait=N"`, `wait=False` → dropped (P09).
fn wait_to_prefer(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
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

/// `p.urls["get"]` → `p.urls.get`: a v1 dict became a v2 model with attributes.
fn subscript_to_attribute(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let node = cx.node;
    let key = node
        .child_by_field_name("subscript")
        .ok_or("internal: subscript without key")?;
    let literal = string_literal(cx.source, key)
        .ok_or("the key is not a string literal; use the attribute of the same name")?;
    if !is_identifier(&literal.content) {
        return Err(format!(
            "`{}` is not a valid attribute name",
            literal.content
        ));
    }
    let value = node.child_by_field_name("value").ok_or("internal")?;
    Ok(vec![Edit::replace(
        value.end_byte(),
        node.end_byte(),
        format!(".{}", literal.content),
    )])
}

/// `p.urls.get("stream")` → `p.urls.stream` (v2 `urls.get` is a string field, not `dict.get`).
fn dict_get_to_attribute(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
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
    let object = callee.child_by_field_name("object").ok_or("internal")?;
    Ok(vec![Edit::replace(
        object.end_byte(),
        info.call.end_byte(),
        format!(".{}", literal.content),
    )])
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `from replicate[.client] import Client [as C]` → `from replicate import Replicate [as C]`;
/// without an alias every use of `Client` in the file is renamed too.
pub fn rename_import(cx: &mut Context, to: &str) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let statement = name_node
        .parent()
        .ok_or("internal: import name without statement")?;
    let module = statement
        .child_by_field_name("module_name")
        .ok_or("internal: import without module")?;
    let mut cursor = statement.walk();
    let names: Vec<Node> = statement
        .children_by_field_name("name", &mut cursor)
        .collect();
    let (imported, alias) = match name_node.kind() {
        "aliased_import" => (
            name_node.child_by_field_name("name").ok_or("internal")?,
            name_node.child_by_field_name("alias"),
        ),
        _ => (name_node, None),
    };
    let local = source.str(alias.unwrap_or(imported));
    let module_text = source.str(module).replace(' ', "");
    let mut edits = Vec::new();
    if module_text != "replicate" {
        if names.len() > 1 {
            return Err(format!(
                "`{module_text}` does not exist in v2 and this import names several things; split it and import `{to}` from `replicate`"
            ));
        }
        edits.push(Edit::replace(
            module.start_byte(),
            module.end_byte(),
            "replicate",
        ));
    }
    // `Client` bound to something else too (`except ImportError: Client = None`, `Client =
    // wrap(Client)`): keep the local name, so every use still finds it.
    if alias.is_none() && !cx.model.only_imported(&local) {
        edits.push(Edit::replace(
            imported.start_byte(),
            imported.end_byte(),
            format!("{to} as {local}"),
        ));
        return Ok(edits);
    }
    let already = alias.is_none()
        && cx
            .model
            .symbol_in_scope(name_node, &["replicate", to])
            .is_some()
        && earlier_top_level_import(cx, statement, |s, stmt| {
            stmt.kind() == "import_from_statement"
                && stmt
                    .child_by_field_name("module_name")
                    .is_some_and(|m| s.str(m) == "replicate")
                && {
                    let mut c = stmt.walk();
                    let found = stmt
                        .children_by_field_name("name", &mut c)
                        .any(|n| n.kind() == "dotted_name" && s.str(n) == to);
                    found
                }
        });
    if already {
        if names.len() > 1 {
            let i = names.iter().position(|n| *n == name_node).unwrap_or(0);
            let (s, e) = if i + 1 < names.len() {
                (name_node.start_byte(), names[i + 1].start_byte())
            } else {
                (names[i - 1].end_byte(), name_node.end_byte())
            };
            edits.retain(|e| e.start != module.start_byte());
            edits.push(Edit::delete(s, e));
        } else {
            edits = vec![delete_statement(source, statement)];
        }
    } else {
        if alias.is_none() && local != to && cx.model.bound_to_other(to, &["replicate", to]) {
            return Err(format!("`{to}` already names something else in this file"));
        }
        edits.push(Edit::replace(
            imported.start_byte(),
            imported.end_byte(),
            to,
        ));
    }
    if alias.is_none() && local != to {
        rename_uses(cx, &local, to, &mut edits);
    }
    Ok(edits)
}

/// Renames every use of the SDK name `local` (bound by a from-import) to `to`.
fn rename_uses(cx: &Context, local: &str, to: &str, edits: &mut Vec<Edit>) {
    let source = cx.source;
    let mut root = cx.node;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier" && source.str(node) == local {
            let in_import = {
                let mut p = node.parent();
                let mut found = false;
                while let Some(n) = p {
                    if matches!(n.kind(), "import_from_statement" | "import_statement") {
                        found = true;
                        break;
                    }
                    p = n.parent();
                }
                found
            };
            let is_attr_name = node.parent().is_some_and(|p| {
                p.kind() == "attribute" && p.child_by_field_name("attribute") == Some(node)
            });
            let is_kw_name = node.parent().is_some_and(|p| {
                p.kind() == "keyword_argument" && p.child_by_field_name("name") == Some(node)
            });
            if !in_import && !is_attr_name && !is_kw_name {
                if let Resolved::Sdk { path, .. } = cx.model.resolve(node) {
                    if path.len() == 2 && path[1] == "Client" {
                        edits.push(Edit::replace(node.start_byte(), node.end_byte(), to));
                    }
                }
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
}

/// Deletes a whole simple statement with its line when it stands alone on it.
fn delete_statement(source: &crate::parse::Source, statement: Node) -> Edit {
    let bytes = &source.bytes;
    let line_start = memchr::memrchr(b'\n', &bytes[..statement.start_byte()]).map_or(0, |i| i + 1);
    let only_indent = bytes[line_start..statement.start_byte()]
        .iter()
        .all(|b| *b == b' ' || *b == b'\t');
    // The only statement of a block cannot go: the block would be empty.
    let alone_in_block = statement.parent().is_some_and(|p| {
        let mut cursor = p.walk();
        let count = p
            .named_children(&mut cursor)
            .filter(|n| n.kind() != "comment")
            .count();
        p.kind() == "block" && count == 1
    });
    if alone_in_block {
        return Edit::replace(statement.start_byte(), statement.end_byte(), "pass");
    }
    let mut end = statement.end_byte();
    let rest = &bytes[end..];
    let line_end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
    let trailing_blank = rest[..line_end].iter().all(|b| b.is_ascii_whitespace());
    if only_indent && trailing_blank {
        end += line_end;
        Edit::delete(line_start, end)
    } else {
        Edit::replace(statement.start_byte(), statement.end_byte(), "pass")
    }
}

/// `import replicate.client` → `import replicate`, or nothing when `replicate` is imported already.
pub fn replace_import_module(cx: &mut Context, with: &str) -> Result<Vec<Edit>, String> {
    let name_node = cx.node;
    if name_node.kind() == "aliased_import" {
        return Err(format!(
            "`{}` does not exist in v2; import `{with}` and use `{with}.Replicate`",
            cx.source.str(name_node)
        ));
    }
    let statement = name_node.parent().ok_or("internal")?;
    let mut cursor = statement.walk();
    let names: Vec<Node> = statement
        .children_by_field_name("name", &mut cursor)
        .collect();
    // An earlier `import replicate`, or an earlier `import replicate.x` that becomes one.
    let other_import = earlier_top_level_import(cx, statement, |s, stmt| {
        stmt.kind() == "import_statement" && {
            let mut c = stmt.walk();
            let found = stmt.children_by_field_name("name", &mut c).any(|n| {
                let text = s.str(n);
                n.kind() == "dotted_name" && (text == with || text.starts_with(&format!("{with}.")))
            });
            found
        }
    });
    if other_import && names.len() == 1 {
        return Ok(vec![delete_statement(cx.source, statement)]);
    }
    Ok(vec![Edit::replace(
        name_node.start_byte(),
        name_node.end_byte(),
        with,
    )])
}

/// Whether a module-level statement before `statement` satisfies `test`: only an import that
/// runs first makes a later one redundant.
fn earlier_top_level_import(
    cx: &Context,
    statement: Node,
    test: impl Fn(&crate::parse::Source, Node) -> bool,
) -> bool {
    let mut root = statement;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut cursor = root.walk();
    let found = root
        .named_children(&mut cursor)
        .take_while(|s| s.end_byte() <= statement.start_byte())
        .any(|s| test(cx.source, s));
    found
}

/// `f"avatar-{uid}.jpg"`: an f-string whose interpolations are plain names or attributes, so
/// writing it twice evaluates nothing twice that could differ.
fn side_effect_free_fstring(_source: &Source, node: Node) -> bool {
    if node.kind() != "string" {
        return false;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    children.iter().all(|c| match c.kind() {
        "string_start" | "string_end" | "string_content" => true,
        "interpolation" => c.child_by_field_name("expression").is_some_and(|e| {
            e.kind() == "identifier"
                || (e.kind() == "attribute"
                    && e.child_by_field_name("object")
                        .is_some_and(|o| o.kind() == "identifier"))
        }),
        _ => false,
    })
}

/// What a v1 `files.create` argument is, as far as the file shows.
#[derive(Clone, Copy)]
enum FileArg {
    /// A string literal: a path v1 opened itself.
    PathLiteral,
    /// `open(...)`, or a name only ever bound to `open(...)`.
    Handle,
    /// `pathlib.Path(...)` / `Path(...)`.
    PathLike,
}

fn classify_file_arg(cx: &Context, node: Node) -> Option<FileArg> {
    classify_file_value(cx.source, cx.model, node)
}

fn classify_file_value(source: &Source, model: &SemanticModel, node: Node) -> Option<FileArg> {
    if string_literal(source, node).is_some() {
        return Some(FileArg::PathLiteral);
    }
    let is_call_of = |n: Node, names: &[&str]| -> bool {
        n.kind() == "call"
            && n.child_by_field_name("function").is_some_and(|f| {
                let text = source.str(f);
                names.contains(&text.as_str())
                    && (f.kind() != "identifier" || text == "Path" || model.is_unbound(f))
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
    if node.kind() == "identifier" {
        if let Some(annotation) = model.param_annotation(node) {
            return match source.str(annotation).as_str() {
                "pathlib.Path" | "Path" => Some(FileArg::PathLike),
                "BinaryIO" | "typing.BinaryIO" | "IO[bytes]" | "typing.IO[bytes]" => {
                    Some(FileArg::Handle)
                }
                _ => None,
            };
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
fn files_create(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
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
                || name.kind() == "identifier"
                || side_effect_free_fstring(source, name) =>
        {
            format!("({}, {value_text})", source.str(name))
        }
        (FileArg::Handle, Some(_)) => {
            return Err(
                "`filename=` is an expression; pass `content=(filename, handle)` by hand".into(),
            )
        }
        (FileArg::Handle | FileArg::PathLike, None) | (FileArg::PathLike, Some(_)) => value_text,
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
        let name = kw.child_by_field_name("name").ok_or("internal")?;
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

/// `from replicate.prediction import Prediction as P` → `from replicate.types import Prediction as P`.
pub fn rewrite_from_import(
    cx: &mut Context,
    module: &str,
    name: &str,
) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let statement = name_node
        .parent()
        .ok_or("internal: import name without statement")?;
    let mut cursor = statement.walk();
    let names = statement
        .children_by_field_name("name", &mut cursor)
        .count();
    if names != 1 {
        return Err(format!(
            "this import names several things; import `{name}` from `{module}` on a line of its own"
        ));
    }
    let (imported, alias) = match name_node.kind() {
        "aliased_import" => (
            name_node.child_by_field_name("name").ok_or("internal")?,
            name_node.child_by_field_name("alias"),
        ),
        _ => (name_node, None),
    };
    let local = source.str(alias.unwrap_or(imported));
    let text = if local == name {
        format!("from {module} import {name}")
    } else {
        format!("from {module} import {name} as {local}")
    };
    Ok(vec![Edit::replace(
        statement.start_byte(),
        statement.end_byte(),
        text,
    )])
}

/// The values of an `input={...}` dict literal (one level into list values) that are open files
/// or `Path`s, which v1 uploaded with `files.create` before creating the prediction.
pub fn file_inputs<'t>(
    source: &Source,
    model: &SemanticModel<'t>,
    input: Node<'t>,
) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    if input.kind() != "dictionary" {
        return out;
    }
    let mut cursor = input.walk();
    for pair in input.named_children(&mut cursor) {
        let Some(value) = pair.child_by_field_name("value") else {
            continue;
        };
        let candidates: Vec<Node<'t>> = if value.kind() == "list" {
            let mut c = value.walk();
            value.named_children(&mut c).collect()
        } else {
            vec![value]
        };
        // A name bound only to `[open(p, "rb") for p in paths]`: a list of handles.
        if value.kind() == "identifier" && handle_list(source, model, value) {
            out.push(value);
            continue;
        }
        for v in candidates {
            if matches!(
                classify_file_value(source, model, v),
                Some(FileArg::Handle | FileArg::PathLike)
            ) {
                out.push(v);
            }
        }
    }
    out
}

fn handle_list(source: &Source, model: &SemanticModel, name: Node) -> bool {
    model.assigned_values(name).is_some_and(|values| {
        !values.is_empty()
            && values.iter().all(|v| {
                v.kind() == "list_comprehension"
                    && v.child_by_field_name("body").is_some_and(|b| {
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
fn upload_file_inputs(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
    let Some((_, input)) = info.keyword("input") else {
        return Ok(vec![]);
    };
    let values = file_inputs(source, cx.model, input);
    // On an async client (`await client.run(...)`) the upload is a coroutine too.
    let awaited = info.call.parent().is_some_and(|p| p.kind() == "await");
    let client = cx.receiver.clone().ok_or(
        "the fix must name the client, and this call has no receiver; upload with `files.create` by hand",
    )?;
    Ok(values
        .into_iter()
        .map(|v| {
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

/// `await p.async_wait()` → `p = await replicate.AsyncReplicate().predictions.wait(p.id)`, and the
/// same for `async_reload` (`get`) and `async_cancel` on predictions and trainings.
fn async_object_method(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let (namespace, id) = if cx.path.ends_with("wait")
        || cx.path.ends_with("reload")
        || cx.path.ends_with("cancel")
    {
        let kind = cx
            .call
            .as_ref()
            .and_then(|c| c.callee.child_by_field_name("object"))
            .map(|o| cx.model.resolve(o));
        match kind {
            Some(crate::semantic::Resolved::Member { value, .. })
                if value.kind
                    == crate::semantic::SdkKind::Object(crate::semantic::ObjectKind::Training) =>
            {
                ("trainings", "training_id")
            }
            _ => ("predictions", "prediction_id"),
        }
    } else {
        return Err("internal: not an async object method".into());
    };
    let call = match cx.path.trim_start_matches("async_") {
        "wait" if namespace == "predictions" => "wait({receiver}.id)".to_string(),
        "wait" => return Err("v2 has no `trainings.wait`; poll `trainings.get` in a loop".into()),
        "reload" => format!("get({id}={{receiver}}.id)"),
        _ => format!("cancel({id}={{receiver}}.id)"),
    };
    let template = format!("{{receiver}} = await {{async_client}}.{namespace}.{call}");
    let mut node = cx.node;
    if let Some(p) = node.parent().filter(|p| p.kind() == "await") {
        node = p;
    }
    let statement = node
        .parent()
        .filter(|p| p.kind() == "expression_statement")
        .ok_or("the call is not a statement of its own")?;
    if let Some(object) = cx
        .call
        .as_ref()
        .and_then(|c| c.callee.child_by_field_name("object"))
    {
        if object.kind() == "identifier" && !cx.model.is_local(object) {
            return Err(
                "the object is not assigned in this function, so it cannot be rebound here".into(),
            );
        }
    }
    let text = super::matcher::expand(cx, &template, None)?;
    Ok(vec![Edit::replace(
        statement.start_byte(),
        statement.end_byte(),
        text,
    )])
}

/// `from replicate.exceptions import ReplicateError` → `... import APIStatusError as ReplicateError`:
/// the file's uses keep their name and now mean the v2 class.
pub fn rename_imported_name(cx: &mut Context, to: &str) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let (imported, alias) = match name_node.kind() {
        "aliased_import" => (
            name_node.child_by_field_name("name").ok_or("internal")?,
            name_node.child_by_field_name("alias"),
        ),
        _ => (name_node, None),
    };
    let local = source.str(alias.unwrap_or(imported));
    // Raising it (`raise ReplicateError(...)`) needs the v2 constructor's arguments.
    let mut root = name_node;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "call" {
            if let Some(f) = node.child_by_field_name("function") {
                if f.kind() == "identifier" && source.str(f) == local {
                    return Err(format!(
                        "`{local}(...)` is constructed in this file; v2's class takes other arguments"
                    ));
                }
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    Ok(vec![Edit::replace(
        name_node.start_byte(),
        name_node.end_byte(),
        format!("{to} as {local}"),
    )])
}

/// `e.detail` → `e.body.get("detail")` (E04).
fn error_body_field(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let node = cx.node;
    let attr = node
        .child_by_field_name("attribute")
        .ok_or("internal: not an attribute")?;
    let receiver = cx.receiver.clone().ok_or("the error is not a plain name")?;
    let field = cx.source.str(attr);
    let text = format!("{receiver}.body.get(\"{field}\")");
    let mut p = node.parent();
    while let Some(n) = p {
        if n.kind() == "interpolation" {
            return Err("the field is read inside an f-string; rewrite it by hand".into());
        }
        p = n.parent();
    }
    Ok(vec![Edit::replace(
        node.start_byte(),
        node.end_byte(),
        text,
    )])
}

/// `replicate.paginate(replicate.predictions.list)` → `replicate.predictions.list().iter_pages()` (M07).
fn paginate_iter_pages(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
    let [list_method] = info.positional.as_slice() else {
        return Err("`paginate` takes one list method".into());
    };
    let is_list = cx.model.target(*list_method).is_some_and(|t| {
        matches!(
            t.value.kind,
            crate::semantic::SdkKind::Module | crate::semantic::SdkKind::Client
        ) && t.path.last().is_some_and(|m| m == "list")
    });
    if !is_list || !info.keywords.is_empty() {
        return Err(format!(
            "`{}` is not a list method of the SDK; call `.list().iter_pages()` on it by hand",
            cx.source.str(*list_method)
        ));
    }
    Ok(vec![Edit::replace(
        info.call.start_byte(),
        info.call.end_byte(),
        format!("{}().iter_pages()", cx.source.str(*list_method)),
    )])
}

/// `replicate.predictions.list(cursor=page.next)` → `page.get_next_page()` (PG07): v2 pages
/// fetch the next page themselves.
fn cursor_to_next_page(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
    let Some((_, cursor)) = info.keyword("cursor") else {
        return Err("no `cursor=`".into());
    };
    let page = (cursor.kind() == "attribute")
        .then(|| {
            let attr = cursor.child_by_field_name("attribute")?;
            (cx.source.str(attr) == "next").then_some(())?;
            cursor.child_by_field_name("object")
        })
        .flatten();
    let is_page = page.is_some_and(|p| {
        matches!(cx.model.resolve(p), crate::semantic::Resolved::Member { value, path, .. }
            if path.is_empty() && matches!(value.kind, crate::semantic::SdkKind::Page(_)))
    });
    let (Some(page), true) = (page, is_page) else {
        return Err(
            "the cursor is not `page.next` of a known page; keep the page and call `page.get_next_page()`"
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

/// The token expression for `_replicate_stream_events`: the v2 client's own, or the
/// environment's for the module-level API (v1's default client read it there too).
fn stream_token(cx: &mut Context, client: &str) -> Result<String, String> {
    if cx.model.is_module_name(client, cx.node) {
        let environ = symbol(cx, "os.environ")?;
        Ok(format!("{environ}.get(\"REPLICATE_API_TOKEN\")"))
    } else {
        Ok(format!("{client}.bearer_token"))
    }
}

/// The create call v1's `stream()` made: `stream=True`, the reference split, `input={}` when none.
fn streaming_create(cx: &Context, client: &str) -> Result<String, String> {
    let source = cx.source;
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
    if info.unpacking {
        return Err("the call passes `*args` or `**kwargs`; rewrite it by hand".into());
    }
    let [reference] = info.positional.as_slice() else {
        return Err("`stream` takes the model reference as its only positional argument".into());
    };
    let literal =
        string_literal(source, *reference).ok_or("the model reference is not a string literal")?;
    let mut keywords = Vec::new();
    let mut has_input = false;
    for (name, kw, _) in &info.keywords {
        match name.as_str() {
            // v1's default; files in the output are not expected on a text stream.
            "use_file_output" => {}
            "input" => {
                has_input = true;
                keywords.push(source.str(*kw));
            }
            _ => keywords.push(source.str(*kw)),
        }
    }
    if !has_input {
        keywords.push("input={}".to_string());
    }
    keywords.push("stream=True".to_string());
    if let Some(parts) = super::matcher::split_model_ref(&literal.content, 3) {
        Ok(format!(
            "{client}.predictions.create(version={}, {})",
            literal.with_content(parts[2]),
            keywords.join(", ")
        ))
    } else if let Some(parts) = super::matcher::split_model_ref(&literal.content, 2) {
        Ok(format!(
            "{client}.models.predictions.create(model_owner={}, model_name={}, {})",
            literal.with_content(parts[0]),
            literal.with_content(parts[1]),
            keywords.join(", ")
        ))
    } else {
        Err(format!(
            "`{}` is not of the form \"owner/name[:version]\"",
            literal.content
        ))
    }
}

/// `replicate.stream("o/n", input=x)` → create the prediction with `stream=True` and read its
/// server-sent events as v1 did (v2's `stream()` polls instead and yields other objects).
fn stream_via_sse(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let client = cx
        .receiver
        .clone()
        .ok_or("this `stream` has no receiver to name; use `import replicate`")?;
    let create = streaming_create(cx, &client)?;
    let token = stream_token(cx, &client)?;
    cx.imports
        .push(ImportNeed::Helper("_replicate_stream_events".into()));
    let call = cx.call.as_ref().ok_or("internal")?.call;
    Ok(vec![Edit::replace(
        call.start_byte(),
        call.end_byte(),
        format!("_replicate_stream_events({create}.urls.stream, {token})"),
    )])
}

/// `await replicate.async_stream("o/n", input=x)` → the async twin, over an `AsyncReplicate`.
fn async_stream_via_sse(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let module = cx
        .receiver
        .clone()
        .ok_or("this `async_stream` has no receiver to name; use `import replicate`")?;
    let create = streaming_create(cx, &format!("{module}.AsyncReplicate()"))?;
    let token = stream_token(cx, &module)?;
    cx.imports
        .push(ImportNeed::Helper("_replicate_async_stream_events".into()));
    let call = cx.call.as_ref().ok_or("internal")?.call;
    // `await replicate.async_stream(...)` returned the async iterator; the helper is one.
    let node = call
        .parent()
        .filter(|p| p.kind() == "await")
        .unwrap_or(call);
    if node == call {
        return Err("the call is not awaited; await it as v1 required".into());
    }
    Ok(vec![Edit::replace(
        node.start_byte(),
        node.end_byte(),
        format!("_replicate_async_stream_events((await {create}).urls.stream, {token})"),
    )])
}

/// `prediction.stream()` → read `prediction.urls.stream` as v1 did.
fn prediction_stream_via_sse(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let receiver = cx
        .receiver
        .clone()
        .ok_or("the prediction is not a plain name; assign it to a variable first")?;
    let client = cx
        .client
        .clone()
        .ok_or("cannot tell which client made this prediction")?;
    if !cx.model.client_reachable(&client, cx.node) {
        return Err(format!(
            "the client that made this prediction (`{client}`) is not in scope here"
        ));
    }
    let token = stream_token(cx, &client)?;
    cx.imports
        .push(ImportNeed::Helper("_replicate_stream_events".into()));
    let call = cx.call.as_ref().ok_or("internal")?.call;
    Ok(vec![Edit::replace(
        call.start_byte(),
        call.end_byte(),
        format!("_replicate_stream_events({receiver}.urls.stream, {token})"),
    )])
}

/// `from replicate.webhook import Webhooks`, used only as `Webhooks.validate(...)` (which another
/// fix replaces by a helper): the import goes, since `replicate.webhook` does not exist in v2.
pub fn drop_import_if_only(cx: &mut Context, only: &[String]) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let statement = name_node
        .parent()
        .ok_or("internal: import name without statement")?;
    let mut cursor = statement.walk();
    if statement
        .children_by_field_name("name", &mut cursor)
        .count()
        != 1
    {
        return Err("this import names several things; remove what v2 lacks by hand".into());
    }
    let local = match name_node.kind() {
        "aliased_import" => name_node.child_by_field_name("alias"),
        _ => Some(name_node),
    }
    .map(|n| source.str(n))
    .ok_or("internal")?;
    let mut root = statement;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
        if node.kind() != "identifier" || source.str(node) != local {
            continue;
        }
        let in_import = {
            let mut p = node.parent();
            let mut found = false;
            while let Some(n) = p {
                if matches!(n.kind(), "import_from_statement" | "import_statement") {
                    found = true;
                    break;
                }
                p = n.parent();
            }
            found
        };
        if in_import {
            continue;
        }
        let allowed = node.parent().is_some_and(|attr| {
            attr.kind() == "attribute"
                && attr.child_by_field_name("object") == Some(node)
                && attr
                    .child_by_field_name("attribute")
                    .is_some_and(|a| only.iter().any(|o| *o == source.str(a)))
                && attr.parent().is_some_and(|c| {
                    c.kind() == "call" && c.child_by_field_name("function") == Some(attr)
                })
        });
        if !allowed {
            return Err(format!(
                "`{local}` is used for more than `.{}(...)`, and v2 has no such class",
                only.join("/")
            ));
        }
    }
    Ok(vec![delete_statement(source, statement)])
}

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

fn drop_unknown_run_keywords(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call.as_ref().ok_or("internal: needs a call")?;
    let mut edits = Vec::new();
    for (name, kw, _) in &info.keywords {
        if !RUN_KEYWORDS.contains(&name.as_str()) {
            let (s, e) = info.removal_range(cx.source, *kw);
            edits.push(Edit::delete(s, e));
        }
    }
    Ok(edits)
}
