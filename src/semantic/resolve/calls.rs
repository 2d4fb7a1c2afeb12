//! Calls: what an SDK call, a function or a method of this file returns.

use tree_sitter::Node;

use super::super::kinds::{client_call_result, object_call_result, SdkKind, SdkValue};
use super::super::SemanticModel;
use super::Resolved;
use crate::syntax::unsplat;

impl<'t> SemanticModel<'t> {
    /// A call: the v1 value it returns, when proven.
    pub(in crate::semantic) fn resolve_call(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        match self.call_value(node, depth) {
            Some(value) => Resolved::Member {
                value,
                base: node,
                path: vec![],
            },
            None => Resolved::Unknown,
        }
    }

    /// The value a call returns, when the semantic model can prove its kind.
    pub(in crate::semantic) fn call_value(&self, call: Node<'t>, depth: usize) -> Option<SdkValue> {
        let callee = unsplat(call.child_by_field_name("function")?);
        match self.resolve_depth(callee, depth + 1) {
            Resolved::Function(def) => return self.return_value(def, depth + 1),
            Resolved::Method { def, receiver } => {
                let value = self.return_value(def, depth + 1)?;
                return Some(self.through_receiver(value, receiver));
            }
            _ => {}
        }
        let target = self.target_depth(callee, depth + 1)?;
        let path: Vec<&str> = target.path.iter().map(String::as_str).collect();
        match target.value.kind {
            SdkKind::Module => {
                // `AsyncReplicate()` too: its namespaces take the same arguments.
                if matches!(
                    path.as_slice(),
                    ["Client"] | ["Replicate"] | ["AsyncReplicate"]
                ) {
                    // `Client(bearer_token=...)` is v2's alias in use: v2 code.
                    let v2_constructor = path.as_slice() != ["Client"]
                        || call.child_by_field_name("arguments").is_some_and(|args| {
                            let mut cursor = args.walk();
                            let v2 = args.named_children(&mut cursor).any(|a| {
                                a.kind() == "keyword_argument"
                                    && a.child_by_field_name("name").is_some_and(|n| {
                                        matches!(
                                            self.source.str(n).as_str(),
                                            "bearer_token" | "default_headers" | "http_client"
                                        )
                                    })
                            });
                            v2
                        });
                    return Some(SdkValue {
                        kind: SdkKind::Client,
                        client: None,
                        assumed: false,
                        v2: v2_constructor,
                    });
                }
                if path.as_slice() == ["paginate"] {
                    // `replicate.paginate(X.list)` yields the pages of `X.list()`.
                    let args = call.child_by_field_name("arguments")?;
                    let list = self.target_depth(args.named_child(0)?, depth + 1)?;
                    let SdkKind::Page(o) = client_call_result(&list.path)? else {
                        return None;
                    };
                    return Some(SdkValue {
                        kind: SdkKind::Pages(o),
                        client: target.value.client,
                        assumed: target.value.assumed,
                        v2: target.value.v2,
                    });
                }
                let kind = client_call_result(&target.path)?;
                Some(SdkValue {
                    kind,
                    client: target.value.client,
                    assumed: target.value.assumed,
                    v2: target.value.v2 || self.file_is_v2,
                })
            }
            SdkKind::Client => Some(SdkValue {
                kind: client_call_result(&target.path)?,
                client: target.base.map(|b| self.source.str(b)),
                assumed: target.value.assumed,
                v2: target.value.v2,
            }),
            kind => Some(SdkValue {
                kind: object_call_result(kind, &target.path)?,
                client: target.value.client,
                assumed: target.value.assumed,
                v2: target.value.v2,
            }),
        }
    }

    /// What calling `def` (a function, method or lambda of this file) returns: the join of its
    /// `return`s (a bare `return` or `return None` adds nothing: `Optional[...]`), or for a
    /// generator a list of what it yields, or else what its return annotation names.
    pub(in crate::semantic) fn return_value(
        &self,
        def: Node<'t>,
        depth: usize,
    ) -> Option<SdkValue> {
        if depth > super::MAX_DEPTH {
            return None;
        }
        if def.kind() == "lambda" {
            return self.value_of(def.child_by_field_name("body")?, depth + 1);
        }
        let body = def.child_by_field_name("body")?;
        let mut returns = Vec::new();
        let mut yields = Vec::new();
        collect_returns(body, &mut returns, &mut yields);
        let is_method = self.method_class(def).is_some();
        let mut agreed: Option<SdkValue> = None;
        let values: Vec<Node<'t>> = if yields.is_empty() {
            returns
        } else {
            yields.clone()
        };
        let mut any = false;
        let mut unknown = false;
        for ret in values {
            let Some(expr) = ret.named_child(0).filter(|e| e.kind() != "none") else {
                continue;
            };
            any = true;
            let Some(value) = self.value_of(expr, depth + 1) else {
                unknown = true;
                break;
            };
            // A client reached through a name local to the function is not reachable outside;
            // a method's `self.client` is, through the instance (see `through_receiver`).
            let value = SdkValue {
                client: value.client.filter(|c| {
                    let root = c.split('.').next().unwrap_or(c);
                    (is_method && root == "self")
                        || (self.lookup(root, 0).is_some()
                            && self.lookup(root, self.scope_at(ret)).map(|(s, _)| s) == Some(0))
                }),
                ..value
            };
            agreed = match agreed {
                None => Some(value),
                Some(a) if a == value => Some(a),
                Some(mut a)
                    if a.kind == value.kind && (a.kind != SdkKind::Client || a.v2 == value.v2) =>
                {
                    if a.client != value.client {
                        a.client = None;
                    }
                    a.assumed |= value.assumed;
                    Some(a)
                }
                Some(_) => {
                    unknown = true;
                    break;
                }
            };
        }
        if any && !unknown {
            let value = agreed?;
            if yields.is_empty() {
                return Some(value);
            }
            let SdkKind::Object(o) = value.kind else {
                return None;
            };
            return Some(SdkValue {
                kind: SdkKind::List(o),
                ..value
            });
        }
        // `def start() -> Prediction:` / `-> Optional["Prediction"]`: what the annotation says.
        let annotation = def.child_by_field_name("return_type")?;
        let (kind, v2) = self.annotation_value(annotation, depth + 1)?;
        Some(SdkValue {
            kind,
            client: None,
            assumed: true,
            v2,
        })
    }

    /// `make = lambda c: c.predictions.create(...)`: a name bound to a lambda is a function.
    pub(in crate::semantic) fn callable_value(
        &self,
        value: Node<'t>,
        _depth: usize,
    ) -> Resolved<'t> {
        match value.kind() {
            "lambda" => Resolved::Function(value),
            _ => Resolved::Unknown,
        }
    }
}

/// The `return` statements and `yield` expressions of a function body, not of functions,
/// classes or lambdas nested in it.
pub(in crate::semantic) fn collect_returns<'t>(
    node: Node<'t>,
    returns: &mut Vec<Node<'t>>,
    yields: &mut Vec<Node<'t>>,
) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "return_statement" => returns.push(child),
                "yield" => {
                    // `yield from gen` delegates: its items are not known here.
                    let mut c = child.walk();
                    if !child.children(&mut c).any(|t| t.kind() == "from") {
                        yields.push(child);
                    }
                }
                "function_definition" | "class_definition" | "lambda" => {}
                _ => stack.push(child),
            }
        }
    }
}
