//! Attributes: names of the SDK module read anywhere (`reference = "default_client"`), and
//! fields of v1 objects (`field = "id"` on a model).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::index::lookup;
use super::conditions::{used_as_string, used_as_text};
use super::{name, Checker};
use crate::semantic::{Resolved, SdkKind, SemanticModel};
use crate::syntax::{simple_receiver, Source};

/// `replicate.default_client`, `r.exceptions.ReplicateError`: a path inside the SDK module.
pub fn reference<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let (Some(object), Some(attr)) = (node.field("object"), node.field("attribute")) else {
        return;
    };
    let Some(attr_name) = name(checker.source, attr) else {
        return;
    };
    let rules = checker.rules;
    let ids = lookup(&rules.index.references, attr_name);
    if ids.is_empty() {
        return;
    }
    let (source, model) = (checker.source, checker.model);
    let Resolved::Sdk {
        mut path,
        module_node,
    } = model.resolve(object)
    else {
        return;
    };
    // `replicate.Client(bearer_token=...)`: v2's alias of `Replicate`, building v2's client.
    let builds_v2_client = node.parent().is_some_and(|call| {
        call.ty() == "call"
            && call.field("function") == Some(node)
            && model
                .value(call)
                .is_some_and(|v| v.kind == SdkKind::Client && v.v2)
    });
    if checker.v2_code(node, builds_v2_client) {
        return;
    }
    path.push(attr_name.to_string());
    let resolved = match model.resolve(node) {
        Resolved::Sdk { path, .. } => path,
        _ => path,
    };
    let joined = resolved[1..].join(".");
    let fires = |rule: &crate::rules::schema::Rule, path: &str| {
        let m = &rule.matcher;
        m.reference.as_ref().is_some_and(|s| s.contains(path))
            && !(m.v1_file_only && model.file_is_v2)
            && !m
                .unless_imported
                .as_deref()
                .is_some_and(|module| imports_module(source, node, module))
    };
    // The longest path a rule matches is that rule's: `replicate.prediction.Predictions` inside
    // `replicate.prediction.Predictions.CreatePredictionParams` is not reported on its own.
    let longer = node
        .parent()
        .filter(|p| p.ty() == "attribute" && p.field("object") == Some(node))
        .and_then(|p| p.field("attribute"))
        .and_then(|a| name(source, a));
    if let Some(next) = longer {
        let path = format!("{joined}.{next}");
        if lookup(&rules.index.references, next)
            .iter()
            .any(|&i| fires(&rules.rules[i], &path))
        {
            return;
        }
    }
    for rule in ids.iter().map(|&i| &rules.rules[i]) {
        if !fires(rule, &joined) {
            continue;
        }
        let m = &rule.matcher;
        if m.assigned && !is_assignment_target(node) {
            continue;
        }
        if m.not_called
            && node
                .parent()
                .is_some_and(|p| p.ty() == "call" && p.field("function") == Some(node))
        {
            continue;
        }
        let cx = Context {
            receiver: module_node.map(|n| source.str(n)),
            ..Context::bare(source, model, node)
        };
        checker.report(rule, cx, node);
    }
}

/// `x.attr = value`: the node is the whole left side of a plain assignment.
fn is_assignment_target(node: Node) -> bool {
    node.parent()
        .is_some_and(|p| p.ty() == "assignment" && p.field("left") == Some(node))
}

/// `node.attr`: an attribute of the node's value is read (or called), there or through the
/// name it is assigned to (`example = model.default_example` ... `example.output`).
fn has_attribute_read<'t>(model: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let read = |n: Node| {
        n.parent()
            .is_some_and(|p| p.ty() == "attribute" && p.field("object") == Some(n))
    };
    if read(node) {
        return true;
    }
    let Some(assignment) = node
        .parent()
        .filter(|p| p.ty() == "assignment" && p.field("right") == Some(node))
    else {
        return false;
    };
    let Some(name) = assignment.field("left").filter(|l| l.ty() == "identifier") else {
        return false;
    };
    model.uses_of(name).into_iter().any(read)
}

/// Whether the file imports `module` at the top level (`import replicate.exceptions [as x]`).
fn imports_module(source: &Source, node: Node, module: &str) -> bool {
    let mut root = node;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut cursor = root.walk();
    let found = root.named_children(&mut cursor).any(|s| {
        s.ty() == "import_statement" && {
            let mut c = s.walk();
            let any = s.children_by_field_name("name", &mut c).any(|n| {
                let dotted = match n.ty() {
                    "aliased_import" => n.field("name"),
                    _ => Some(n),
                };
                dotted.is_some_and(|d| source.str(d).replace(' ', "") == module)
            });
            any
        }
    });
    found
}

/// `model.id`, `p.created_at[:10]`: a field read on a v1 object.
pub fn field<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let (Some(object), Some(attr)) = (node.field("object"), node.field("attribute")) else {
        return;
    };
    let Some(attr_name) = name(checker.source, attr) else {
        return;
    };
    let rules = checker.rules;
    let ids = lookup(&rules.index.fields, attr_name);
    if ids.is_empty() {
        return;
    }
    // A call of the attribute is a method, handled by `call` rules; an assignment target is
    // the user's own, unless a rule asks for assignments (`assigned`).
    if node
        .parent()
        .is_some_and(|p| p.ty() == "call" && p.field("function") == Some(node))
    {
        return;
    }
    let target = is_assignment_target(node);
    let (source, model) = (checker.source, checker.model);
    let Some(held) = model.value(object) else {
        return;
    };
    let kind_name = held.kind.rule_name();
    for rule in ids.iter().map(|&i| &rules.rules[i]) {
        let m = &rule.matcher;
        if !m.on.iter().any(|o| o == kind_name)
            || m.assigned != target
            || (m.string_use && !used_as_string(source, node))
            || (m.text_use && (used_as_string(source, node) || !used_as_text(source, model, node)))
            || (m.attribute_use && !has_attribute_read(model, node))
        {
            continue;
        }
        let receiver = simple_receiver(object).then(|| source.str(object));
        let cx = Context::held(source, model, node, receiver, &held);
        checker.report(rule, cx, node);
    }
}
