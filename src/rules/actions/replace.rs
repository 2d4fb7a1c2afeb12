//! Actions that replace a part of the match by a template.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::template::expand;
use crate::diagnostic::{Edit, ImportNeed};
use crate::syntax::Source;

/// `x.aread()` → `x.read()`, keeping the receiver as it is.
pub fn rename_method(cx: &mut Context, to: &str) -> Result<Vec<Edit>, String> {
    let callee = cx.call()?.callee;
    let attr = callee
        .field("attribute")
        .ok_or("internal: the callee is not a method")?;
    Ok(vec![Edit::replace(attr.start_byte(), attr.end_byte(), to)])
}

pub fn replace_callee(cx: &mut Context, template: &str) -> Result<Vec<Edit>, String> {
    let callee = cx.call()?.callee;
    let text = expand(cx, template, None)?;
    Ok(vec![Edit::replace(
        callee.start_byte(),
        callee.end_byte(),
        text,
    )])
}

pub fn replace_node(cx: &mut Context, template: &str) -> Result<Vec<Edit>, String> {
    let node = cx.node;
    let text = expand(cx, template, None)?;
    let text = inside_fstring(cx.source, node, text)?;
    Ok(vec![Edit::replace(
        node.start_byte(),
        node.end_byte(),
        text,
    )])
}

/// Replaces positional argument `index` by a template (`{value}` is its text).
pub fn replace_arg(cx: &mut Context, index: usize, template: &str) -> Result<Vec<Edit>, String> {
    let Some(arg) = cx.call()?.positional.get(index).copied() else {
        return Ok(vec![]);
    };
    let value = cx.source.str(arg);
    let text = expand(cx, template, Some(&value))?;
    Ok(vec![Edit::replace(arg.start_byte(), arg.end_byte(), text)])
}

/// Replaces the whole expression statement holding the (possibly awaited) call.
pub fn replace_statement(cx: &mut Context, template: &str) -> Result<Vec<Edit>, String> {
    let mut node = cx.node;
    if let Some(p) = node.parent().filter(|p| p.ty() == "await") {
        node = p;
    }
    let statement = node
        .parent()
        .filter(|p| p.ty() == "expression_statement")
        .ok_or("the call is not a statement of its own")?;
    // Rebinding a name that is global or from an enclosing function would make it local to
    // this one, and the read of `.id` an UnboundLocalError.
    if let Some(object) = cx.call.as_ref().and_then(|c| c.callee.field("object")) {
        if object.ty() == "identifier" && !cx.model.is_local(object) {
            return Err(format!(
                "`{}` is not assigned in this function, so it cannot be rebound here",
                cx.source.str(object)
            ));
        }
    }
    let text = expand(cx, template, None)?;
    Ok(vec![Edit::replace(
        statement.start_byte(),
        statement.end_byte(),
        text,
    )])
}

/// Replaces the callee by a helper function that the fix adds to the file (`rules::helpers`).
pub fn call_helper(cx: &mut Context, helper: &str) -> Result<Vec<Edit>, String> {
    let callee = cx.call()?.callee;
    cx.imports.push(ImportNeed::Helper(helper.to_string()));
    Ok(vec![Edit::replace(
        callee.start_byte(),
        callee.end_byte(),
        helper,
    )])
}

pub fn add_module_import(cx: &mut Context, module: &str) -> Result<Vec<Edit>, String> {
    cx.imports.push(ImportNeed::Module(module.to_string()));
    // An empty edit at the reference carries the import and marks the fix's place.
    Ok(vec![Edit::insert(cx.node.start_byte(), "")])
}

/// Text written inside an f-string's `{...}` must not use the f-string's own quote (before
/// Python 3.12 that ends the string): swap it for the other quote, or refuse.
pub fn inside_fstring(source: &Source, node: Node, text: String) -> Result<String, String> {
    let mut p = node.parent();
    let mut in_interpolation = false;
    while let Some(n) = p {
        if n.ty() == "interpolation" {
            in_interpolation = true;
        }
        if n.ty() == "string" && in_interpolation {
            let quote = n
                .named_child(0)
                .filter(|s| s.ty() == "string_start")
                .map(|s| source.str(s))
                .and_then(|s| s.chars().last())
                .unwrap_or('"');
            if !text.contains(quote) {
                return Ok(text);
            }
            let other = if quote == '"' { '\'' } else { '"' };
            if text.contains(other) {
                return Err("the expression is inside an f-string and needs both quotes; rewrite it by hand".into());
            }
            return Ok(text.replace(quote, &other.to_string()));
        }
        p = n.parent();
    }
    Ok(text)
}
