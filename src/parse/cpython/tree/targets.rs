//! Targets: what may stand left of `=`, `for ... in`, an augmented assignment, an annotation,
//! or after `del`.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{expr_name, Walker};

impl<'a, 't, 'e> Walker<'a, 't, 'e> {
    /// The target of `=`, `for` and a comprehension's `for` (tree-sitter patterns): starred
    /// names only inside a sequence, at most one per sequence.
    pub(super) fn check_pattern_target(&mut self, target: Node<'t>) {
        if target.ty() == "list_splat_pattern" {
            self.err(
                target.start_byte(),
                "starred assignment target must be in a list or tuple",
            );
            return;
        }
        let mut todo = vec![target];
        while let Some(node) = todo.pop() {
            if !matches!(node.ty(), "pattern_list" | "tuple_pattern" | "list_pattern") {
                continue;
            }
            let kids = self.named_kids(node);
            let stars: Vec<&Node> = kids
                .iter()
                .filter(|k| k.ty() == "list_splat_pattern")
                .collect();
            if stars.len() > 1 {
                self.err(
                    stars[1].start_byte(),
                    "multiple starred expressions in assignment",
                );
            } else if stars.len() == 1
                && kids.len() == 1
                && node.ty() == "tuple_pattern"
                && !self.has_comma(node)
            {
                self.err(stars[0].start_byte(), "cannot use starred expression here");
            } else if let Some(star) = stars.first() {
                self.star_unpack_limit(&kids, **star);
            }
            todo.extend(kids);
        }
    }

    /// CPython unpacks `a, b, *c = x` with one instruction that counts at most 255 names before
    /// the star.
    pub(super) fn star_unpack_limit(&mut self, items: &[Node<'t>], star: Node<'t>) {
        let before = items.iter().position(|k| *k == star).unwrap_or(0);
        if before >= 256 {
            self.err(
                star.start_byte(),
                "too many expressions in star-unpacking assignment",
            );
        }
    }

    /// The target of `with ... as` (any expression in tree-sitter) or `del`.
    pub(super) fn check_expr_target(&mut self, target: Node<'t>, del: bool) {
        let verb = if del { "delete" } else { "assign to" };
        let mut todo = vec![(target, true)];
        while let Some((node, top)) = todo.pop() {
            match node.ty() {
                "identifier" | "attribute" | "subscript" | "ERROR" => {}
                "tuple"
                | "list"
                | "expression_list"
                | "parenthesized_expression"
                | "pattern_list"
                | "tuple_pattern"
                | "list_pattern" => {
                    let kids = self.named_kids(node);
                    let sequence = node.ty() != "parenthesized_expression";
                    let stars: Vec<&Node> = kids
                        .iter()
                        .filter(|k| matches!(k.ty(), "list_splat" | "list_splat_pattern"))
                        .collect();
                    if !del && sequence && stars.len() > 1 {
                        self.err(
                            stars[1].start_byte(),
                            "multiple starred expressions in assignment",
                        );
                    } else if let (false, true, Some(star)) = (del, sequence, stars.first()) {
                        self.star_unpack_limit(&kids, **star);
                    }
                    for k in kids {
                        let star = matches!(k.ty(), "list_splat" | "list_splat_pattern");
                        if star && !del && sequence {
                            if let Some(inner) = k.named_child(0) {
                                todo.push((inner, false));
                            }
                            continue;
                        }
                        todo.push((k, !sequence && top));
                    }
                }
                "list_splat" | "list_splat_pattern" => {
                    if del {
                        self.err(node.start_byte(), "cannot delete starred");
                    } else {
                        self.err(
                            node.start_byte(),
                            "starred assignment target must be in a list or tuple",
                        );
                    }
                }
                _ => {
                    let what = expr_name(node, self.b);
                    self.err(node.start_byte(), format!("cannot {verb} {what}"));
                }
            }
        }
    }

    /// The target of `+=` and friends: a name, attribute or subscript.
    pub(super) fn check_aug_target(&mut self, target: Node<'t>) {
        let mut node = target;
        loop {
            match node.ty() {
                "identifier" | "attribute" | "subscript" => return,
                "tuple_pattern" if !self.has_comma(node) && node.named_child_count() == 1 => {
                    match node.named_child(0) {
                        Some(inner) => node = inner,
                        None => return,
                    }
                }
                _ => {
                    let what = expr_name(node, self.b);
                    self.err(
                        node.start_byte(),
                        format!("'{what}' is an illegal expression for augmented assignment"),
                    );
                    return;
                }
            }
        }
    }

    /// The target of an annotation: one name, attribute or subscript. Returns whether it is.
    pub(super) fn check_ann_target(&mut self, target: Node<'t>) -> bool {
        let mut node = target;
        loop {
            match node.ty() {
                "identifier" | "attribute" | "subscript" => return true,
                "tuple_pattern" if !self.has_comma(node) && node.named_child_count() == 1 => {
                    match node.named_child(0) {
                        Some(inner) => node = inner,
                        None => return true,
                    }
                }
                "list_pattern" => {
                    self.err(
                        node.start_byte(),
                        "only single target (not list) can be annotated",
                    );
                    return false;
                }
                "pattern_list" | "tuple_pattern" => {
                    self.err(
                        node.start_byte(),
                        "only single target (not tuple) can be annotated",
                    );
                    return false;
                }
                _ => {
                    self.err(node.start_byte(), "illegal target for annotation");
                    return false;
                }
            }
        }
    }

    /// The offset of the next byte that is not white space, or the last byte.
    pub(super) fn next_token(&self, from: usize) -> usize {
        self.b[from.min(self.b.len())..]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map_or(self.b.len().saturating_sub(1), |i| from + i)
    }

    pub(super) fn has_comma(&mut self, node: Node<'t>) -> bool {
        self.kids(node).iter().any(|(k, _)| k.ty() == ",")
    }
}
