//! Namespaces of a client held by something other than the client: a `@property` that returns
//! one (`return self.client.predictions`, read as `self.predictions`), and a parameter annotated
//! with a v1 namespace class (`models: Models`).

use tree_sitter::Node;

use super::super::kinds::SdkKind;
use super::super::SemanticModel;
use super::attributes::MethodKind;
use super::calls::collect_returns;
use super::{same_resolution, Resolved};
use crate::syntax::{simple_receiver, NodeExt};

/// The namespaces of a v1 client (`client.predictions`, ...).
const NAMESPACES: [&str; 8] = [
    "accounts",
    "collections",
    "deployments",
    "files",
    "hardware",
    "models",
    "predictions",
    "trainings",
];

/// The client namespace an instance of a v1 namespace class is (`replicate.model.Models` is
/// what `client.models` returns).
fn namespace_of_class(path: &[String]) -> Option<&'static str> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    Some(match path.as_slice() {
        ["replicate", "account", "Accounts"] => "accounts",
        ["replicate", "collection", "Collections"] => "collections",
        ["replicate", "deployment", "Deployments"] => "deployments",
        ["replicate", "file", "Files"] => "files",
        ["replicate", "hardware", "HardwareNamespace"] => "hardware",
        ["replicate", "model", "Models"] => "models",
        ["replicate", "prediction", "Predictions"] => "predictions",
        ["replicate", "training", "Trainings"] => "trainings",
        _ => return None,
    })
}

impl<'t> SemanticModel<'t> {
    /// `self.predictions` in a method of a class whose `predictions` is a `@property` (or
    /// `cached_property`) every `return` of which is the same namespace of the same client:
    /// `return self.client.predictions` (with the same name for `self`: the client is then
    /// `self.client` here too), or `return replicate.predictions` (the module, when that name
    /// is the module here too). The receiver is the client's expression in the property, so
    /// `self.predictions.get(...)` reads as `self.client.predictions.get(...)`.
    pub(in crate::semantic) fn namespace_property(
        &self,
        node: Node<'t>,
        object: Node<'t>,
        attr: Node<'t>,
        depth: usize,
    ) -> Option<Resolved<'t>> {
        if object.ty() != "identifier" || depth > super::MAX_DEPTH {
            return None;
        }
        let (self_name, class_scope) = self.method_scope(self.scope_at(object))?;
        if !self.source.is(object, &self_name) {
            return None;
        }
        let class = self.scope_node(class_scope)?;
        let def = self.method_of(class, &self.source.str(attr))?;
        if !self
            .method_kind(def)
            .is_some_and(|(_, k)| k == MethodKind::Property)
        {
            return None;
        }
        let body = def.field("body")?;
        let (mut returns, mut yields) = (Vec::new(), Vec::new());
        collect_returns(body, &mut returns, &mut yields);
        if !yields.is_empty() || returns.is_empty() {
            return None;
        }
        let mut agreed: Option<(Resolved<'t>, String)> = None;
        for ret in returns {
            let this = self.returned_namespace(ret.named_child(0)?, &self_name, node, depth)?;
            agreed = match agreed {
                None => Some(this),
                Some(prev) if same_resolution(&prev.0, &this.0) && prev.1 == this.1 => Some(prev),
                Some(_) => return None,
            };
        }
        agreed.map(|(resolved, _)| resolved)
    }

    /// What a property's `return EXPR` gives, if EXPR is a namespace of a client that can be
    /// named the same way at `use_site`: with the client's text.
    fn returned_namespace(
        &self,
        expr: Node<'t>,
        self_name: &str,
        use_site: Node<'t>,
        depth: usize,
    ) -> Option<(Resolved<'t>, String)> {
        if expr.ty() != "attribute" {
            return None;
        }
        let namespace = self.source.str(expr.field("attribute")?);
        if !NAMESPACES.contains(&namespace.as_str()) {
            return None;
        }
        let holder = expr.field("object")?;
        if !simple_receiver(holder) {
            return None;
        }
        let text = self.source.str(holder);
        // The property's `self` is the method's own first parameter: the same name at the use.
        let (inner_self, _) = self.method_scope(self.scope_at(expr))?;
        match self.resolve_depth(expr, depth + 1) {
            Resolved::Member {
                mut value, path, ..
            } if value.kind == SdkKind::Client && path == [namespace.clone()] => {
                let root = text.split('.').next().unwrap_or(&text);
                if root != inner_self || inner_self != self_name || text == inner_self {
                    return None;
                }
                value.client = Some(text.clone());
                Some((
                    Resolved::Member {
                        value,
                        base: holder,
                        path,
                    },
                    text,
                ))
            }
            Resolved::Sdk {
                path,
                module_node: Some(module),
            } if path.len() == 2
                && path[1] == namespace
                && holder == module
                && self.is_module_name(&text, use_site) =>
            {
                Some((
                    Resolved::Sdk {
                        path,
                        module_node: Some(module),
                    },
                    text,
                ))
            }
            _ => None,
        }
    }

    /// A parameter annotated with a v1 namespace class (`models: Models` after `from
    /// replicate.model import Models`): that namespace, of a client the function cannot name
    /// (as after `from replicate import models`: fixes that must name the client are left by
    /// hand).
    pub(in crate::semantic) fn annotated_namespace(
        &self,
        annotation: Node<'t>,
        depth: usize,
    ) -> Option<Resolved<'t>> {
        let annotation = match annotation.ty() {
            "type" => annotation.named_child(0)?,
            _ => annotation,
        };
        if !matches!(annotation.ty(), "identifier" | "attribute") {
            return None;
        }
        let Resolved::Sdk { path, .. } = self.resolve_depth(annotation, depth + 1) else {
            return None;
        };
        let namespace = namespace_of_class(&super::super::normalize(path))?;
        Some(Resolved::Sdk {
            path: vec!["replicate".to_string(), namespace.to_string()],
            module_node: None,
        })
    }
}

#[cfg(test)]
#[path = "namespaces_tests.rs"]
mod tests;
