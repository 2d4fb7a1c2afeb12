//! Resolution: what an expression refers to (a name inside the SDK, a v1 value of a known kind,
//! a function, class or instance of this file), by node kind:
//!
//! - `names`: a name, through the bindings that reach it;
//! - `attributes`: `x.attr` on the module, a v1 value, `self` or an instance of the file's class;
//! - `calls`: what a call returns (SDK calls, the file's functions and methods);
//! - `params`: what a parameter holds (annotations, call sites);
//! - `containers`: lists and dicts of v1 objects, and their elements.

mod attributes;
mod calls;
mod containers;
mod names;
mod namespaces;
mod params;

pub(in crate::semantic) use calls::{is_gather, Caller};

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::kinds::{SdkKind, SdkValue};
use super::SemanticModel;
use crate::syntax::unsplat;

/// How deep inference may recurse through assignments and returns (guards cycles like `a = b; b = a`).
pub(in crate::semantic) const MAX_DEPTH: usize = 24;

/// What an expression refers to.
#[derive(Debug, Clone)]
pub enum Resolved<'t> {
    Unknown,
    /// A name inside the SDK, e.g. `[replicate, predictions, get]`. `module_node` is the identifier
    /// that names the module when the chain starts at `import replicate [as r]`.
    Sdk {
        path: Vec<String>,
        module_node: Option<Node<'t>>,
    },
    /// A value of known kind held by `base`, followed by attribute names (maybe none).
    Member {
        value: SdkValue,
        base: Node<'t>,
        path: Vec<String>,
    },
    /// A function defined in this file.
    Function(Node<'t>),
    /// A class defined in this file.
    Class(Node<'t>),
    /// An instance of a class defined in this file, held by `base`.
    Instance {
        class: Node<'t>,
        base: Node<'t>,
    },
    /// A method of such an instance: (the method, the instance's node).
    Method {
        def: Node<'t>,
        receiver: Node<'t>,
    },
}

/// The receiver and attribute path of a call's callee.
///
/// Ex) `self.client.predictions.get(...)`: the receiver is the `Client` value `self.client`, the
/// path `["predictions", "get"]`. `replicate.run(...)`: the module, path `["run"]`.
#[derive(Debug, Clone)]
pub struct Target<'t> {
    pub value: SdkValue,
    /// The receiver's node; for the module, the identifier naming it (absent after
    /// `from replicate import run`).
    pub base: Option<Node<'t>>,
    pub path: Vec<String>,
}

impl<'t> SemanticModel<'t> {
    /// The v1 value an expression holds itself (not an attribute path below one), if proven.
    pub fn value(&self, node: Node<'t>) -> Option<SdkValue> {
        self.value_of(node, 0)
    }

    pub fn resolve(&self, node: Node<'t>) -> Resolved<'t> {
        self.resolve_depth(node, 0)
    }

    pub(in crate::semantic) fn resolve_depth(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        if depth > MAX_DEPTH || self.fuel.get() == 0 {
            self.truncated.set(true);
            return Resolved::Unknown;
        }
        self.fuel.set(self.fuel.get() - 1);
        match node.ty() {
            "identifier" => self.resolve_name(node, depth),
            "attribute" => self.resolve_attribute(node, depth),
            "call" => self.resolve_call(node, depth),
            "subscript" => self.resolve_subscript(node, depth),
            "conditional_expression" | "boolean_operator" => self.resolve_either(node, depth),
            "list_comprehension" | "list" => self.resolve_list(node, depth),
            "await" | "parenthesized_expression" => self.resolve_wrapped(node, depth),
            "tuple" | "expression_list" => self.resolve_pair(node, depth),
            _ => Resolved::Unknown,
        }
    }

    /// `Client(...) if headers else replicate`, `client or replicate`: both v1 clients (the module
    /// behaves as its default client), so a client either way.
    pub(in crate::semantic) fn resolve_either(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        let mut cursor = node.walk();
        let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        let branches: Vec<Node<'t>> = if node.ty() == "conditional_expression" {
            match parts.as_slice() {
                [a, _, b] => vec![*a, *b],
                _ => return Resolved::Unknown,
            }
        } else {
            if let Some(field) = self.field_or_empty(node, &parts, depth) {
                return field;
            }
            parts
        };
        // `None` branches, and `client=None` parameters tried first (`client or get_client()`),
        // add nothing; the other branches must agree.
        let mut result: Option<Resolved<'t>> = None;
        let mut skipped = false;
        for branch in &branches {
            if branch.ty() == "none" || self.is_neutral_name(*branch) {
                skipped = true;
                continue;
            }
            let this = match self.resolve_depth(*branch, depth + 1) {
                Resolved::Member { value, path, .. } if path.is_empty() => Resolved::Member {
                    value,
                    base: node,
                    path: vec![],
                },
                Resolved::Sdk { path, module_node } if path.len() == 1 => {
                    Resolved::Sdk { path, module_node }
                }
                _ => return Resolved::Unknown,
            };
            result = match result {
                None => Some(this),
                Some(prev) => match names::join(prev, this) {
                    Some(joined) => Some(joined),
                    None => return Resolved::Unknown,
                },
            };
        }
        match result {
            // `Client(...) if headers else replicate`: both v1 clients, so a client either way.
            Some(Resolved::Sdk { .. }) if branches.len() > 1 && !skipped => Resolved::Member {
                value: SdkValue {
                    kind: SdkKind::Client,
                    client: None,
                    assumed: false,
                    v2: self.file_is_v2,
                },
                base: node,
                path: vec![],
            },
            Some(Resolved::Member {
                mut value, path, ..
            }) => {
                if value.kind == SdkKind::Client {
                    value.client = None;
                }
                value.assumed |= skipped && value.kind == SdkKind::Client;
                Resolved::Member {
                    value,
                    base: node,
                    path,
                }
            }
            Some(other) => other,
            None => Resolved::Unknown,
        }
    }

    /// `p.metrics or {}`: a field of a v1 value, or an empty literal where the field is `None`
    /// (or empty). Read as the field, with the whole expression as the base: what follows
    /// (`.get(key)`) is the field's use, and a fix rewrites around the whole expression, which
    /// keeps the fallback.
    fn field_or_empty(
        &self,
        node: Node<'t>,
        parts: &[Node<'t>],
        depth: usize,
    ) -> Option<Resolved<'t>> {
        let [field, fallback] = parts else {
            return None;
        };
        let or = node.field("operator").is_some_and(|o| o.ty() == "or");
        let empty =
            matches!(fallback.ty(), "dictionary" | "list") && fallback.named_child_count() == 0;
        if !or || !empty || field.ty() != "attribute" {
            return None;
        }
        match self.resolve_depth(*field, depth + 1) {
            Resolved::Member { value, path, .. } if path.len() == 1 => Some(Resolved::Member {
                value,
                base: node,
                path,
            }),
            _ => None,
        }
    }

    /// `await x`, `(x)`: what `x` is, with the outer node as the base so fixes use the whole
    /// expression.
    pub(in crate::semantic) fn resolve_wrapped(
        &self,
        node: Node<'t>,
        depth: usize,
    ) -> Resolved<'t> {
        match node.named_child(0) {
            Some(inner) => match self.resolve_depth(inner, depth + 1) {
                // Keep the outer node as the base so fixes use the whole expression.
                Resolved::Member { value, path, base } if path.is_empty() && base == inner => {
                    Resolved::Member {
                        value,
                        base: node,
                        path,
                    }
                }
                other => other,
            },
            None => Resolved::Unknown,
        }
    }

    pub(in crate::semantic) fn value_of(&self, node: Node<'t>, depth: usize) -> Option<SdkValue> {
        match self.resolve_depth(node, depth) {
            Resolved::Member { value, path, .. } if path.is_empty() => Some(value),
            _ => None,
        }
    }

    /// The callee of a call as receiver + path, when the receiver is SDK-typed.
    pub fn target(&self, callee: Node<'t>) -> Option<Target<'t>> {
        self.target_depth(unsplat(callee), 0)
    }

    pub(in crate::semantic) fn target_depth(
        &self,
        callee: Node<'t>,
        depth: usize,
    ) -> Option<Target<'t>> {
        self.target_of(self.resolve_depth(callee, depth))
    }

    /// The call target a resolved callee names, if it is the SDK's.
    pub(in crate::semantic) fn target_of(&self, resolved: Resolved<'t>) -> Option<Target<'t>> {
        match resolved {
            Resolved::Sdk { path, module_node } => Some(Target {
                value: SdkValue {
                    kind: SdkKind::Module,
                    client: module_node.map(|n| self.source.str(n)),
                    assumed: false,
                    v2: self.file_is_v2,
                },
                base: module_node,
                path: path[1..].to_vec(),
            }),
            Resolved::Member { value, base, path } => Some(Target {
                value,
                base: Some(base),
                path,
            }),
            _ => None,
        }
    }

    /// A cached resolution, re-anchored at this use of the name.
    pub(in crate::semantic) fn rebase(&self, cached: &Cached, node: Node<'t>) -> Resolved<'t> {
        match cached {
            Cached::Unknown => Resolved::Unknown,
            Cached::Sdk { path, module } => Resolved::Sdk {
                path: path.clone(),
                module_node: module.then_some(node),
            },
            Cached::Member { value, path } => Resolved::Member {
                value: value.clone(),
                base: node,
                path: path.clone(),
            },
            Cached::Function(start, end) => self
                .root
                .descendant_for_byte_range(*start, *end)
                .filter(|n| matches!(n.ty(), "function_definition" | "lambda"))
                .map_or(Resolved::Unknown, Resolved::Function),
            Cached::Class(start, end) => self
                .root
                .descendant_for_byte_range(*start, *end)
                .filter(|n| n.ty() == "class_definition")
                .map_or(Resolved::Unknown, Resolved::Class),
            Cached::Instance(start, end) => self
                .root
                .descendant_for_byte_range(*start, *end)
                .filter(|n| n.ty() == "class_definition")
                .map_or(Resolved::Unknown, |class| Resolved::Instance {
                    class,
                    base: node,
                }),
        }
    }
}

/// A name's resolution without its nodes (a function by its byte range).
#[derive(Debug, Clone)]
pub(in crate::semantic) enum Cached {
    Unknown,
    Sdk { path: Vec<String>, module: bool },
    Member { value: SdkValue, path: Vec<String> },
    Function(usize, usize),
    Class(usize, usize),
    Instance(usize, usize),
}

impl Cached {
    pub(in crate::semantic) fn of(resolved: &Resolved) -> Cached {
        match resolved {
            Resolved::Unknown => Cached::Unknown,
            Resolved::Sdk { path, module_node } => Cached::Sdk {
                path: path.clone(),
                module: module_node.is_some(),
            },
            Resolved::Member { value, path, .. } => Cached::Member {
                value: value.clone(),
                path: path.clone(),
            },
            Resolved::Function(def) => Cached::Function(def.start_byte(), def.end_byte()),
            Resolved::Class(c) => Cached::Class(c.start_byte(), c.end_byte()),
            Resolved::Instance { class, .. } => {
                Cached::Instance(class.start_byte(), class.end_byte())
            }
            // Methods are attribute results, never a name's.
            Resolved::Method { .. } => Cached::Unknown,
        }
    }
}

pub(in crate::semantic) fn same_resolution(a: &Resolved, b: &Resolved) -> bool {
    match (a, b) {
        (Resolved::Sdk { path: p1, .. }, Resolved::Sdk { path: p2, .. }) => p1 == p2,
        (
            Resolved::Member {
                value: v1,
                path: p1,
                ..
            },
            Resolved::Member {
                value: v2,
                path: p2,
                ..
            },
        ) => v1 == v2 && p1 == p2,
        (Resolved::Function(f1), Resolved::Function(f2)) => f1 == f2,
        (Resolved::Class(c1), Resolved::Class(c2)) => c1 == c2,
        (Resolved::Instance { class: c1, .. }, Resolved::Instance { class: c2, .. }) => c1 == c2,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::describe_at;

    #[test]
    fn a_field_or_an_empty_literal_is_the_field() {
        let code = "import replicate\np = replicate.predictions.get('x')\n(p.metrics or {}).get('predict_time')\n";
        assert_eq!(
            describe_at(code, "(p.metrics or {}).get"),
            "prediction.metrics.get"
        );
        assert_eq!(
            describe_at(&code.replace("or {}", "or []"), "(p.metrics or []).get"),
            "prediction.metrics.get"
        );
        // Decoys: `and`, a fallback that is not empty, a value of no SDK kind, and a name
        // (not a field) or'ed with `{}`.
        assert_eq!(
            describe_at(&code.replace("or {}", "and {}"), "(p.metrics and {}).get"),
            "unknown"
        );
        assert_eq!(
            describe_at(
                &code.replace("or {}", "or {'a': 1}"),
                "(p.metrics or {'a': 1}).get"
            ),
            "unknown"
        );
        let local = "import replicate\nclass P:\n    metrics = None\np = P()\n(p.metrics or {}).get('predict_time')\n";
        assert_eq!(describe_at(local, "(p.metrics or {}).get"), "unknown");
        let name = "import replicate\nm = replicate.predictions.get('x')\n(m or {}).get('id')\n";
        assert_eq!(describe_at(name, "(m or {}).get"), "unknown");
    }
}
