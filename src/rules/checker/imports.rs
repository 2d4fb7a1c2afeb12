//! Imports: `from replicate.x import Y` (`import = "x.Y"`) and `import replicate.x`
//! (`import_module = "replicate.x"`).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::index::lookup;
use super::Checker;
use crate::semantic::SdkKind;

pub fn from_import<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let (source, model, rules) = (checker.source, checker.model, checker.rules);
    let Some(module) = node
        .field("module_name")
        .filter(|m| m.ty() == "dotted_name")
    else {
        return;
    };
    let module = source.str(module).replace(' ', "");
    if module != "replicate" && !module.starts_with("replicate.") {
        return;
    }
    let mut cursor = node.walk();
    let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
    for name_node in names {
        let name = match name_node.ty() {
            "aliased_import" => name_node.field("name"),
            _ => Some(name_node),
        };
        let Some(name) = name else { continue };
        let mut path: Vec<String> = module.split('.').map(str::to_string).collect();
        path.push(source.str(name));
        // `from replicate.client import Client` is v1's other spelling of `replicate.Client`.
        let v1 = if path.len() == 3 && path[1] == "client" && path[2] == "Client" {
            "Client".to_string()
        } else {
            path[1..].join(".")
        };
        // `from replicate import Client` where every call of it builds v2's client (`Client`
        // is an alias of `Replicate` in v2): already v2 code.
        let local = match name_node.ty() {
            "aliased_import" => name_node.field("alias"),
            _ => Some(name),
        };
        let v2_alias = module == "replicate"
            && v1 == "Client"
            && local.is_some_and(|local| {
                let calls = model.calls_named(&source.str(local));
                !calls.is_empty()
                    && calls.iter().all(|c| {
                        model
                            .value(*c)
                            .is_some_and(|v| v.kind == SdkKind::Client && v.v2)
                    })
            });
        if checker.v2_code(name_node, v2_alias) {
            continue;
        }
        for rule in lookup(&rules.index.imports, &v1)
            .iter()
            .map(|&i| &rules.rules[i])
        {
            if rule.matcher.v1_file_only && model.file_is_v2 {
                continue;
            }
            let cx = Context::bare(source, model, name_node);
            checker.report(rule, cx, name_node);
        }
    }
}

pub fn import<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let (source, model, rules) = (checker.source, checker.model, checker.rules);
    let mut cursor = node.walk();
    let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
    for name_node in names {
        let dotted = match name_node.ty() {
            "aliased_import" => name_node.field("name"),
            _ => Some(name_node),
        };
        let Some(dotted) = dotted else { continue };
        let module = source.str(dotted).replace(' ', "");
        for rule in lookup(&rules.index.import_modules, &module)
            .iter()
            .map(|&i| &rules.rules[i])
        {
            let cx = Context::bare(source, model, name_node);
            checker.report(rule, cx, name_node);
        }
    }
}
