//! Narrowing: what a test proves about names in the branch it guards (`x is None`, `isinstance(x, C)`, truthiness).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::binding::{Binding, BindingKind, Narrowing};
use super::{narrowable, Flow, Set};

impl<'m, 't> Flow<'m, 't> {
    /// What `cond` proves about names when it is `truth`.
    pub(super) fn narrowings(&self, cond: Node<'t>, truth: bool) -> Vec<(Node<'t>, Narrowing<'t>)> {
        let source = self.model.source;
        match cond.ty() {
            "parenthesized_expression" => cond
                .named_child(0)
                .map(|c| self.narrowings(c, truth))
                .unwrap_or_default(),
            "not_operator" => cond
                .field("argument")
                .map(|c| self.narrowings(c, !truth))
                .unwrap_or_default(),
            "identifier" if truth => vec![(cond, Narrowing::NotNone)],
            "named_expression" if truth => cond
                .field("name")
                .map(|n| vec![(n, Narrowing::NotNone)])
                .unwrap_or_default(),
            "boolean_operator" => {
                let (Some(left), Some(right), Some(op)) = (
                    cond.field("left"),
                    cond.field("right"),
                    cond.field("operator"),
                ) else {
                    return Vec::new();
                };
                let and = op.ty() == "and";
                // `a and b` true: both; `a or b` false: neither. Otherwise nothing is known.
                if and == truth {
                    let mut out = self.narrowings(left, truth);
                    out.extend(self.narrowings(right, truth));
                    out
                } else {
                    Vec::new()
                }
            }
            "comparison_operator" => {
                let mut cursor = cond.walk();
                let parts: Vec<Node<'t>> = cond.named_children(&mut cursor).collect();
                let mut cursor = cond.walk();
                let ops: Vec<String> = cond
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| {
                        source
                            .str(o)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                let ([subject, other], [op]) = (parts.as_slice(), ops.as_slice()) else {
                    return Vec::new();
                };
                let (subject, other) = if subject.ty() == "none" {
                    (*other, *subject)
                } else {
                    (*subject, *other)
                };
                if other.ty() != "none" {
                    return Vec::new();
                }
                let Some(name) = narrowable(subject) else {
                    return Vec::new();
                };
                let is_none = match op.as_str() {
                    "is" | "==" => truth,
                    "is not" | "!=" => !truth,
                    _ => return Vec::new(),
                };
                vec![(
                    name,
                    if is_none {
                        Narrowing::IsNone
                    } else {
                        Narrowing::NotNone
                    },
                )]
            }
            "call" => {
                let Some(callee) = cond.field("function") else {
                    return Vec::new();
                };
                if callee.ty() != "identifier"
                    || !source.is(callee, "isinstance")
                    || !self.model.is_unbound(callee)
                {
                    return Vec::new();
                }
                let Some(args) = cond.field("arguments") else {
                    return Vec::new();
                };
                let mut cursor = args.walk();
                let args: Vec<Node<'t>> = args
                    .named_children(&mut cursor)
                    .filter(|a| a.ty() != "comment")
                    .collect();
                let [subject, class] = args.as_slice() else {
                    return Vec::new();
                };
                let Some(name) = narrowable(*subject) else {
                    return Vec::new();
                };
                if class.ty() == "tuple" {
                    return Vec::new();
                }
                vec![(
                    name,
                    if truth {
                        Narrowing::IsInstance(*class)
                    } else {
                        Narrowing::NotInstance(*class)
                    },
                )]
            }
            _ => Vec::new(),
        }
    }

    /// From here on, what `cond` being `truth` proves holds.
    pub(super) fn assume(&mut self, cond: Node<'t>, truth: bool) {
        for (name_node, narrowing) in self.narrowings(cond, truth) {
            self.narrow(name_node, narrowing, cond, truth);
        }
    }

    pub(super) fn narrow(
        &mut self,
        name_node: Node<'t>,
        narrowing: Narrowing<'t>,
        test: Node<'t>,
        truth: bool,
    ) {
        let name = self.model.source.str(name_node);
        let top = self.frames.last().expect("a frame");
        if top.escaped.contains(&name) {
            return;
        }
        let Some((scope, _)) = self.model.lookup(&name, top.scope) else {
            return;
        };
        let Some(i) = self.frame_of(scope) else {
            return;
        };
        let base = self.frames[i]
            .state
            .defs
            .get(&name)
            .cloned()
            .unwrap_or_else(|| self.all_bindings(scope, &name));
        if base.is_empty() {
            return;
        }
        let key = (test.id(), truth, base.to_vec());
        let id = match self.narrowed.get(&key) {
            Some(id) => *id,
            None => {
                let id = self.model.bindings.len();
                self.model.bindings.push(Binding {
                    scope,
                    name: name.clone(),
                    narrowed: base.to_vec(),
                    ..Binding::new(BindingKind::Narrowed(narrowing), None)
                });
                self.narrowed.insert(key, id);
                id
            }
        };
        self.frames[i].state.defs.insert(name, Set::from(vec![id]));
    }
}
