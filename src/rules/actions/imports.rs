//! Actions on import statements of v1 modules and names: renaming what is imported, rewriting
//! the module it comes from, and dropping imports v2 has no module for.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::semantic::{Resolved, SemanticModel};
use crate::syntax::Source;

/// `from replicate[.client] import Client [as C]` → `from replicate import Replicate [as C]`;
/// without an alias every use of `Client` in the file is renamed too.
pub fn rename_import(cx: &mut Context, to: &str) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let statement = name_node
        .parent()
        .ok_or("internal: import name without statement")?;
    let module = statement
        .field("module_name")
        .ok_or("internal: import without module")?;
    let mut cursor = statement.walk();
    let names: Vec<Node> = statement
        .children_by_field_name("name", &mut cursor)
        .collect();
    let (imported, alias) = match name_node.ty() {
        "aliased_import" => (
            name_node.field("name").ok_or("internal")?,
            name_node.field("alias"),
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
            stmt.ty() == "import_from_statement"
                && stmt
                    .field("module_name")
                    .is_some_and(|m| s.str(m) == "replicate")
                && {
                    let mut c = stmt.walk();
                    let found = stmt
                        .children_by_field_name("name", &mut c)
                        .any(|n| n.ty() == "dotted_name" && s.str(n) == to);
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
    for &node in cx.model.named_nodes() {
        if node.ty() == "identifier" && source.is(node, local) {
            let in_import = {
                let mut p = node.parent();
                let mut found = false;
                while let Some(n) = p {
                    if matches!(n.ty(), "import_from_statement" | "import_statement") {
                        found = true;
                        break;
                    }
                    p = n.parent();
                }
                found
            };
            let is_attr_name = node
                .parent()
                .is_some_and(|p| p.ty() == "attribute" && p.field("attribute") == Some(node));
            let is_kw_name = node
                .parent()
                .is_some_and(|p| p.ty() == "keyword_argument" && p.field("name") == Some(node));
            if !in_import && !is_attr_name && !is_kw_name {
                if let Resolved::Sdk { path, .. } = cx.model.resolve(node) {
                    if path.len() == 2 && path[1] == "Client" {
                        edits.push(Edit::replace(node.start_byte(), node.end_byte(), to));
                    }
                }
            }
        }
    }
}

/// Deletes a whole simple statement with its line when it stands alone on it.
pub fn delete_statement(source: &Source, statement: Node) -> Edit {
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
            .filter(|n| n.ty() != "comment")
            .count();
        p.ty() == "block" && count == 1
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
    if name_node.ty() == "aliased_import" {
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
        stmt.ty() == "import_statement" && {
            let mut c = stmt.walk();
            let found = stmt.children_by_field_name("name", &mut c).any(|n| {
                let text = s.str(n);
                n.ty() == "dotted_name" && (text == with || text.starts_with(&format!("{with}.")))
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
    test: impl Fn(&Source, Node) -> bool,
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

/// `from replicate.prediction import Prediction as P` → `from replicate.types import Prediction as P`.
pub fn rewrite_from_import(
    cx: &mut Context,
    module: &str,
    name: &str,
    unless_called: bool,
) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let statement = name_node
        .parent()
        .ok_or("internal: import name without statement")?;
    let mut cursor = statement.walk();
    let names: Vec<Node> = statement
        .children_by_field_name("name", &mut cursor)
        .collect();
    let (imported, alias) = match name_node.ty() {
        "aliased_import" => (
            name_node.field("name").ok_or("internal")?,
            name_node.field("alias"),
        ),
        _ => (name_node, None),
    };
    let local = source.str(alias.unwrap_or(imported));
    if unless_called && called_in_file(source, cx.model, &local) {
        return Err(format!(
            "`{local}(...)` is constructed in this file, and v2's `{name}` takes other arguments"
        ));
    }
    let text = if local == name {
        format!("from {module} import {name}")
    } else {
        format!("from {module} import {name} as {local}")
    };
    if names.len() == 1 {
        return Ok(vec![Edit::replace(
            statement.start_byte(),
            statement.end_byte(),
            text,
        )]);
    }
    // `from replicate.training import Training, Trainings`: this name leaves the list for an
    // import of its own on the next line (the others' rules take theirs on later passes).
    let at = names
        .iter()
        .position(|n| n.id() == name_node.id())
        .ok_or("internal: the name is not in its statement")?;
    let removed = match names.get(at + 1) {
        Some(next) => Edit::delete(name_node.start_byte(), next.start_byte()),
        None => Edit::delete(names[at - 1].end_byte(), name_node.end_byte()),
    };
    let indent = String::from_utf8_lossy(&source.indent_at(statement.start_byte())).into_owned();
    let newline = String::from_utf8_lossy(source.newline()).into_owned();
    let line_end = crate::syntax::after_trailing_comment(&source.bytes, statement.end_byte());
    Ok(vec![
        removed,
        Edit::insert(line_end, format!("{newline}{indent}{text}")),
    ])
}

/// `from replicate.exceptions import ReplicateError` → `... import APIStatusError as ReplicateError`:
/// the file's uses keep their name and now mean the v2 class.
pub fn rename_imported_name(cx: &mut Context, to: &str) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let name_node = cx.node;
    let (imported, alias) = match name_node.ty() {
        "aliased_import" => (
            name_node.field("name").ok_or("internal")?,
            name_node.field("alias"),
        ),
        _ => (name_node, None),
    };
    let local = source.str(alias.unwrap_or(imported));
    // Raising it (`raise ReplicateError(...)`) needs the v2 constructor's arguments.
    if called_in_file(source, cx.model, &local) {
        return Err(format!(
            "`{local}(...)` is constructed in this file; v2's class takes other arguments"
        ));
    }
    Ok(vec![Edit::replace(
        name_node.start_byte(),
        name_node.end_byte(),
        format!("{to} as {local}"),
    )])
}

/// Whether the file calls the plain name `local` anywhere (`local(...)`).
fn called_in_file(source: &Source, model: &SemanticModel, local: &str) -> bool {
    model.named_nodes().iter().any(|node| {
        node.ty() == "call"
            && node
                .field("function")
                .is_some_and(|f| f.ty() == "identifier" && source.is(f, local))
    })
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
    let local = match name_node.ty() {
        "aliased_import" => name_node.field("alias"),
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
        if node.ty() != "identifier" || source.str(node) != local {
            continue;
        }
        let in_import = {
            let mut p = node.parent();
            let mut found = false;
            while let Some(n) = p {
                if matches!(n.ty(), "import_from_statement" | "import_statement") {
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
            attr.ty() == "attribute"
                && attr.field("object") == Some(node)
                && attr
                    .field("attribute")
                    .is_some_and(|a| only.iter().any(|o| *o == source.str(a)))
                && attr
                    .parent()
                    .is_some_and(|c| c.ty() == "call" && c.field("function") == Some(attr))
        });
        if !allowed {
            return Err(if only.is_empty() {
                format!("`{local}` is still used, and v2 has no such name")
            } else {
                format!(
                    "`{local}` is used for more than `.{}(...)`, and v2 has no such class",
                    only.join("/")
                )
            });
        }
    }
    Ok(vec![delete_statement(source, statement)])
}
