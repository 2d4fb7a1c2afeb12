//! `replicate.version.Versions(client, "owner/name")`: v1's versions namespace bound to one model
//! (mapping row V07). v2's `client.models.versions` takes the model on every call.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::semantic::{Resolved, SdkKind};
use crate::syntax::{simple_receiver, split_model_ref, string_literal, CallArgs};

/// `versions = Versions(client, "acme/sdxl")` → `versions = client.models.versions`, and each
/// `versions.get(id)` / `.delete(id)` / `.list()` it reaches gets `model_owner="acme",
/// model_name="sdxl"` (the id as `version_id=`). `Versions(client, "acme/sdxl").get(id)` becomes
/// one call. Any other use of the namespace, or a model that is not a literal, gets no fix.
pub(super) fn versions_constructor(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = cx.call()?;
    if info.unpacking {
        return Err("the call unpacks its arguments".into());
    }
    let arg = |index: usize, name: &str| {
        info.positional
            .get(index)
            .copied()
            .or_else(|| info.keyword(name).map(|(_, v)| v))
    };
    let (Some(client), Some(model)) = (arg(0, "client"), arg(1, "model")) else {
        return Err("`Versions` needs a client and a model".into());
    };
    if info.all.len() != 2 {
        return Err("`Versions` takes a client and a model only".into());
    }
    let (owner, name) = owner_name(cx, model).ok_or_else(|| {
        format!(
            "`{}` is not an `\"owner/name\"` literal (or a tuple of two)",
            source.str(model)
        )
    })?;
    let (client, assumed) = client_text(cx, client)?;
    let namespace = format!("{client}.models.versions");
    let keywords = format!("model_owner=\"{owner}\", model_name=\"{name}\"");
    let call = info.call;
    let parent = call.parent().ok_or("internal: a call without a parent")?;

    // `Versions(client, "o/n").get(id)`
    if let Some(outer) = method_call(call) {
        let (method, text) = method_arguments(cx, outer, &keywords)?;
        cx.assumes |= assumed;
        return Ok(vec![Edit::replace(
            outer.start_byte(),
            outer.end_byte(),
            format!("{namespace}.{method}({text})"),
        )]);
    }
    // `versions = Versions(client, "o/n")`, then `versions.get(id)` ...
    let target = (parent.ty() == "assignment"
        && parent.field("right") == Some(call))
    .then(|| parent.field("left"))
    .flatten()
    .filter(|l| l.ty() == "identifier")
    .ok_or("the namespace is not assigned to a plain name; call `client.models.versions` with the model's owner and name by hand")?;
    let mut edits = vec![Edit::replace(call.start_byte(), call.end_byte(), namespace)];
    let held = source.str(target);
    for use_ in cx.model.uses_of(target) {
        // Only this binding may reach the use: `versions` rebound on one branch is another value.
        let only_this = cx
            .model
            .assigned_values(use_)
            .is_some_and(|values| values == [call]);
        let outer = method_call(use_).filter(|_| only_this).ok_or_else(|| {
            format!("`{held}` is used other than by its `get`, `list` and `delete` calls")
        })?;
        let (_, text) = method_arguments(cx, outer, &keywords)?;
        let args = outer
            .field("arguments")
            .ok_or("internal: a call without arguments")?;
        edits.push(Edit::replace(
            args.start_byte(),
            args.end_byte(),
            format!("({text})"),
        ));
    }
    cx.assumes |= assumed;
    Ok(edits)
}

/// `"owner/name"` or `("owner", "name")`, as plain literals, or a name only ever bound to one
/// such literal (`MODEL = "acme/sdxl"`).
fn owner_name(cx: &Context, model: Node) -> Option<(String, String)> {
    let source = cx.source;
    if model.ty() == "identifier" {
        return match cx.model.assigned_values(model)?.as_slice() {
            [value] if value.ty() != "identifier" => owner_name(cx, *value),
            _ => None,
        };
    }
    if let Some(literal) = string_literal(source, model) {
        let parts = split_model_ref(&literal.content, 2)?;
        return Some((parts[0].to_string(), parts[1].to_string()));
    }
    if model.ty() == "tuple" {
        let mut cursor = model.walk();
        let items: Vec<Node> = model.named_children(&mut cursor).collect();
        if let [owner, name] = items.as_slice() {
            let owner = string_literal(source, *owner)?.content;
            let name = string_literal(source, *name)?.content;
            let plain = |s: &str| !s.is_empty() && !s.contains(['"', '\\', '/']);
            return (plain(&owner) && plain(&name)).then_some((owner, name));
        }
    }
    None
}

/// The text that names the client in v2: the client itself, or the module for v1's
/// `replicate.default_client` (v2's module has the same namespaces).
fn client_text(cx: &Context, client: Node) -> Result<(String, bool), String> {
    let source = cx.source;
    if !simple_receiver(client) {
        return Err(format!(
            "assign the client `{}` to a name first",
            source.str(client)
        ));
    }
    if client.ty() == "attribute"
        && client
            .field("attribute")
            .is_some_and(|a| source.str(a) == "default_client")
    {
        let object = client.field("object").ok_or("internal")?;
        if matches!(cx.model.resolve(object), Resolved::Sdk { ref path, .. } if path.len() == 1)
            || matches!(cx.model.resolve(object), Resolved::Member { value, path, .. }
                if path.is_empty() && value.kind == SdkKind::Module)
        {
            return Ok((source.str(object), false));
        }
    }
    let assumed = match cx.model.resolve(client) {
        Resolved::Member { value, path, .. }
            if path.is_empty() && matches!(value.kind, SdkKind::Client | SdkKind::Module) =>
        {
            value.assumed
        }
        // A name the file does not type: v1's `Versions` took a client, so assume it is one.
        _ => true,
    };
    Ok((source.str(client), assumed))
}

/// The call `node.method(...)` around `node`.
fn method_call(node: Node) -> Option<Node> {
    let attribute = node
        .parent()
        .filter(|p| p.ty() == "attribute" && p.field("object") == Some(node))?;
    attribute
        .parent()
        .filter(|p| p.ty() == "call" && p.field("function") == Some(attribute))
}

/// The method `call` calls and its v2 arguments, for `get(id)`, `delete(id)` or `list()`.
fn method_arguments(cx: &Context, call: Node, keywords: &str) -> Result<(String, String), String> {
    let source = cx.source;
    let method = source.str(
        call.field("function")
            .and_then(|f| f.field("attribute"))
            .ok_or("internal: a method call without a name")?,
    );
    let args = CallArgs::new(source, call).ok_or("the call's arguments cannot be read")?;
    if args.unpacking {
        return Err(format!("`{method}` unpacks its arguments"));
    }
    match method.as_str() {
        "get" | "delete" => {
            let id = match (args.positional.as_slice(), args.keywords.as_slice()) {
                ([id], []) => *id,
                ([], [k]) if k.name_str() == "id" => k.value,
                _ => return Err(format!("`{method}` takes one version id")),
            };
            // v1's `delete` returned `True`, v2's returns `None`: only a statement keeps its meaning.
            let statement = call
                .parent()
                .is_some_and(|p| p.ty() == "expression_statement");
            if method == "delete" && !statement {
                return Err(
                    "v1's `delete` returned `True` and v2's returns `None`; the result is used"
                        .into(),
                );
            }
            Ok((method, format!("{keywords}, version_id={}", source.str(id))))
        }
        "list" if args.all.is_empty() => Ok((method, keywords.to_string())),
        "list" => Err("`list` takes no arguments in v1".into()),
        other => Err(format!(
            "`{other}` has no fix here (the `async_` methods need an `AsyncReplicate`)"
        )),
    }
}
