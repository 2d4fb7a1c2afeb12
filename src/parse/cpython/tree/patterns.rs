//! `match` patterns: the names they bind (each once, the same in every alternative), patterns
//! that make later ones unreachable, and the shapes CPython's pattern compiler rejects. One
//! post-order walk with an explicit stack per case.

use super::{string_is_f, string_prefix, Walker};
use crate::syntax::NodeExt;
use foldhash::{HashSet, HashSetExt};
use tree_sitter::Node;

/// How a node inside a pattern is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Pattern,
    /// An argument of a class pattern: may be `name=pattern`.
    ClassArg,
    /// The class of a class pattern, or a keyword pattern's attribute name.
    Name,
    /// A mapping pattern's key.
    Key,
}

enum Step<'t> {
    Enter(Node<'t>, Role),
    /// Combine the names pushed since `base`; `wildcards` counts `_` alternatives of an or.
    Exit(Node<'t>, usize, usize),
}

/// A mapping key's value, for duplicate keys: `1`, `1.0` and `True` are the same key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Int(i128),
    Float(u64),
    None,
    Str(bool, Vec<u8>),
}

type Names<'a> = Vec<(&'a [u8], usize)>;

impl<'a, 't> Walker<'a, 't, '_> {
    /// Checks a case's patterns (several, or one with a trailing comma, form a sequence) and
    /// returns the names they bind.
    pub(super) fn patterns(&mut self, patterns: &[Node<'t>], open_sequence: bool) -> Names<'a> {
        if open_sequence {
            self.sequence_stars(patterns);
        } else if let [p] = patterns {
            if let Some(inner) = p.named_child(0) {
                if matches!(inner.ty(), "splat_pattern" | "keyword_pattern") {
                    self.err(inner.start_byte(), "invalid syntax");
                }
            }
        }
        let parts: Vec<Names<'a>> = patterns.iter().map(|&p| self.pattern_names(p)).collect();
        self.merge(parts)
    }

    /// The names of sub-patterns matched together: each name once.
    fn merge(&mut self, parts: Vec<Names<'a>>) -> Names<'a> {
        let mut seen: HashSet<&[u8]> = HashSet::new();
        let mut all = Vec::new();
        for (name, at) in parts.into_iter().flatten() {
            if !seen.insert(name) {
                self.err(
                    at,
                    format!(
                        "multiple assignments to name '{}' in pattern",
                        String::from_utf8_lossy(name)
                    ),
                );
            } else {
                all.push((name, at));
            }
        }
        all
    }

    /// At most one `*name` in a sequence pattern.
    fn sequence_stars(&mut self, items: &[Node<'t>]) {
        let stars: Vec<&Node> = items
            .iter()
            .filter(|p| p.named_child(0).is_some_and(|c| c.ty() == "splat_pattern"))
            .collect();
        if stars.len() > 1 {
            self.err(
                stars[1].start_byte(),
                "multiple starred names in sequence pattern",
            );
        }
    }

    fn pattern_names(&mut self, root: Node<'t>) -> Names<'a> {
        let mut steps = vec![Step::Enter(root, Role::Pattern)];
        let mut values: Vec<Names<'a>> = Vec::new();
        while let Some(step) = steps.pop() {
            match step {
                Step::Enter(node, role) => self.enter(node, role, &mut steps, &mut values),
                Step::Exit(node, base, wildcards) => {
                    let parts: Vec<Names<'a>> = values.drain(base..).collect();
                    let merged = if node.ty() == "union_pattern" {
                        self.union_names(node, parts, wildcards)
                    } else {
                        self.merge(parts)
                    };
                    values.push(merged);
                }
            }
        }
        values.pop().unwrap_or_default()
    }

    fn enter(
        &mut self,
        node: Node<'t>,
        role: Role,
        steps: &mut Vec<Step<'t>>,
        values: &mut Vec<Names<'a>>,
    ) {
        let kids = self.kids(node);
        let named: Vec<(Node<'t>, Option<&'static str>)> =
            kids.iter().filter(|(k, _)| k.is_named()).copied().collect();
        match node.ty() {
            "dotted_name" => {
                let mut names = Vec::new();
                if named.len() == 1 {
                    match role {
                        Role::Pattern | Role::ClassArg => {
                            names.push((self.text(named[0].0), node.start_byte()))
                        }
                        Role::Key => self.err(node.start_byte(), "invalid syntax"),
                        Role::Name => {}
                    }
                }
                values.push(names);
                return;
            }
            "identifier" => {
                // an `as` name or a keyword pattern's attribute
                let mut names = Vec::new();
                if role != Role::Name {
                    let text = self.text(node);
                    if text == b"_" {
                        self.err(node.start_byte(), "cannot use '_' as a target");
                    } else {
                        names.push((text, node.start_byte()));
                    }
                }
                values.push(names);
                return;
            }
            "splat_pattern" => {
                let mut names = Vec::new();
                if let Some((name, _)) = named.first() {
                    names.push((self.text(*name), name.start_byte()));
                }
                values.push(names);
                return;
            }
            "string" | "concatenated_string" => {
                if string_is_f(node, self.b) {
                    self.err(
                        node.start_byte(),
                        "patterns may only match literals and attribute lookups",
                    );
                }
                values.push(Vec::new());
                return;
            }
            "complex_pattern" => {
                let numbers: Vec<Node> = named.iter().map(|(n, _)| *n).collect();
                let imaginary = |n: &Node| {
                    self.text(*n)
                        .last()
                        .is_some_and(|c| matches!(c, b'j' | b'J'))
                };
                if let [real, imag] = numbers[..] {
                    if !imaginary(&imag) {
                        self.err(
                            imag.start_byte(),
                            "imaginary number required in complex literal",
                        );
                    } else if imaginary(&real) {
                        self.err(real.start_byte(), "real number required in complex literal");
                    }
                }
                values.push(Vec::new());
                return;
            }
            "case_pattern" => {
                if role != Role::ClassArg
                    && named
                        .first()
                        .is_some_and(|(k, _)| k.ty() == "keyword_pattern")
                {
                    self.err(node.start_byte(), "invalid syntax");
                }
            }
            "class_pattern" => self.class_pattern(&named),
            "dict_pattern" => self.dict_pattern(&kids),
            "list_pattern" | "tuple_pattern" => {
                let items: Vec<Node> = named.iter().map(|(n, _)| *n).collect();
                self.sequence_stars(&items);
            }
            "union_pattern" => self.union_unreachable(&kids),
            "as_pattern" | "keyword_pattern" => {}
            _ => {
                // a literal or anything else: binds nothing
                if named.is_empty() {
                    values.push(Vec::new());
                    return;
                }
            }
        }
        let wildcards = if node.ty() == "union_pattern" {
            kids.iter().filter(|(k, _)| k.ty() == "_").count()
        } else {
            0
        };
        steps.push(Step::Exit(node, values.len(), wildcards));
        for &(child, field) in named.iter().rev() {
            let child_role = match (node.ty(), child.ty(), field) {
                ("class_pattern", "dotted_name", _) => Role::Name,
                ("class_pattern", _, _) => Role::ClassArg,
                ("keyword_pattern", "identifier", _) => Role::Name,
                ("dict_pattern", _, Some("key")) => Role::Key,
                _ => Role::Pattern,
            };
            steps.push(Step::Enter(child, child_role));
        }
    }

    /// An or-pattern: every alternative binds the same names.
    fn union_names(&mut self, node: Node, parts: Vec<Names<'a>>, wildcards: usize) -> Names<'a> {
        let mut sets: Vec<Vec<&[u8]>> = parts
            .iter()
            .map(|p| {
                let mut s: Vec<&[u8]> = p.iter().map(|(n, _)| *n).collect();
                s.sort();
                s
            })
            .collect();
        if wildcards > 0 {
            sets.push(Vec::new());
        }
        if sets.windows(2).any(|w| w[0] != w[1]) {
            self.err(
                node.start_byte(),
                "alternative patterns bind different names",
            );
        }
        parts.into_iter().next().unwrap_or_default()
    }

    /// An irrefutable alternative before the last makes the rest unreachable.
    fn union_unreachable(&mut self, kids: &[(Node<'t>, Option<&'static str>)]) {
        let alternatives: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.is_named() || k.ty() == "_")
            .map(|(k, _)| *k)
            .collect();
        for alt in alternatives
            .iter()
            .take(alternatives.len().saturating_sub(1))
        {
            if let Some(message) = self.irrefutable(*alt) {
                self.err(alt.start_byte(), message);
                return;
            }
        }
    }

    /// A case with no guard, not the last, must not match everything.
    pub(super) fn irrefutable_case(&mut self, case: Node<'t>) {
        let kids = self.kids(case);
        let patterns: Vec<Node> = kids
            .iter()
            .filter(|(k, _)| k.ty() == "case_pattern")
            .map(|(k, _)| *k)
            .collect();
        let comma = kids.iter().any(|(k, _)| k.ty() == ",");
        if let ([p], false) = (&patterns[..], comma) {
            if let Some(message) = self.irrefutable(*p) {
                self.err(p.start_byte(), message);
            }
        }
    }

    /// Why a pattern matches anything: a capture or the wildcard (CPython's message), if it does.
    fn irrefutable(&mut self, pattern: Node<'t>) -> Option<String> {
        let mut todo = vec![pattern];
        while let Some(node) = todo.pop() {
            match node.ty() {
                "_" => return Some("wildcard makes remaining patterns unreachable".into()),
                "case_pattern" => match node.named_child(0) {
                    Some(inner) => todo.push(inner),
                    None if node.child_count() > 0 => {
                        return Some("wildcard makes remaining patterns unreachable".into())
                    }
                    None => {}
                },
                "dotted_name" if node.named_child_count() == 1 => {
                    return Some(format!(
                        "name capture '{}' makes remaining patterns unreachable",
                        String::from_utf8_lossy(self.text(node))
                    ));
                }
                "as_pattern" => todo.extend(node.named_child(0)),
                "tuple_pattern" if node.named_child_count() == 1 && !self.has_comma(node) => {
                    todo.extend(node.named_child(0))
                }
                "union_pattern" => {
                    let kids = self.kids(node);
                    for (k, _) in kids.into_iter().rev() {
                        if k.is_named() || k.ty() == "_" {
                            todo.push(k);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn class_pattern(&mut self, named: &[(Node<'t>, Option<&'static str>)]) {
        let mut seen_keyword = false;
        let mut attrs: HashSet<&[u8]> = HashSet::new();
        for &(arg, _) in named.iter().skip(1) {
            let keyword = arg.named_child(0).filter(|k| k.ty() == "keyword_pattern");
            match keyword {
                Some(kw) => {
                    seen_keyword = true;
                    if let Some(name) = kw.named_child(0) {
                        let text = self.text(name);
                        if !attrs.insert(text) {
                            self.err(
                                name.start_byte(),
                                format!(
                                    "attribute name repeated in class pattern: {}",
                                    String::from_utf8_lossy(text)
                                ),
                            );
                        }
                    }
                }
                None if seen_keyword => self.err(
                    arg.start_byte(),
                    "positional patterns follow keyword patterns",
                ),
                None => {}
            }
        }
    }

    fn dict_pattern(&mut self, kids: &[(Node<'t>, Option<&'static str>)]) {
        let mut keys: HashSet<Key> = HashSet::new();
        let mut i = 0;
        let named: Vec<&(Node, Option<&str>)> = kids.iter().filter(|(k, _)| k.is_named()).collect();
        if let Some(pos) = named.iter().position(|(k, _)| k.ty() == "splat_pattern") {
            let (splat, _) = named[pos];
            if pos + 1 < named.len() {
                self.err(splat.start_byte(), "invalid syntax");
            } else if splat.named_child_count() == 0 {
                self.err(splat.start_byte(), "invalid syntax"); // `**_`
            }
        }
        while i < kids.len() {
            if kids[i].1 != Some("key") {
                i += 1;
                continue;
            }
            let start = i;
            while i < kids.len() && kids[i].1 == Some("key") {
                i += 1;
            }
            let parts: Vec<Node> = kids[start..i].iter().map(|(k, _)| *k).collect();
            if let Some(key) = self.key_value(&parts) {
                if keys.contains(&key) {
                    let at = parts[0].start_byte();
                    let shown = match &key {
                        Key::Str(bytes, s) => format!(
                            "{}'{}'",
                            if *bytes { "b" } else { "" },
                            String::from_utf8_lossy(s)
                        ),
                        _ => parts
                            .iter()
                            .map(|p| String::from_utf8_lossy(self.text(*p)).into_owned())
                            .collect(),
                    };
                    self.err(
                        at,
                        format!("mapping pattern checks duplicate key ({shown})"),
                    );
                } else {
                    keys.insert(key);
                }
            }
        }
    }

    /// The value of a literal mapping key, when it is plain enough to compare.
    fn key_value(&self, parts: &[Node]) -> Option<Key> {
        let (negative, node) = match parts {
            [n] => (false, *n),
            [minus, n] if minus.ty() == "-" => (true, *n),
            _ => return None,
        };
        let sign = |v: i128| if negative { -v } else { v };
        match node.ty() {
            "true" => Some(Key::Int(1)),
            "false" => Some(Key::Int(0)),
            "none" => Some(Key::None),
            "integer" => {
                let text: String = String::from_utf8_lossy(self.text(node)).replace('_', "");
                let lower = text.to_ascii_lowercase();
                let (digits, radix) = match lower.get(..2) {
                    Some("0x") => (&lower[2..], 16),
                    Some("0o") => (&lower[2..], 8),
                    Some("0b") => (&lower[2..], 2),
                    _ => (&lower[..], 10),
                };
                i128::from_str_radix(digits, radix)
                    .ok()
                    .map(|v| Key::Int(sign(v)))
            }
            "float" => {
                let text: String = String::from_utf8_lossy(self.text(node)).replace('_', "");
                if text.ends_with(['j', 'J']) {
                    return None;
                }
                let v: f64 = text.parse().ok()?;
                let v = if negative { -v } else { v };
                if v.fract() == 0.0 && v.abs() < 1e18 {
                    Some(Key::Int(v as i128))
                } else {
                    Some(Key::Float(v.to_bits()))
                }
            }
            "string" | "concatenated_string" if !negative => {
                let strings: Vec<Node> = if node.ty() == "string" {
                    vec![node]
                } else {
                    let mut c = node.walk();
                    node.named_children(&mut c).collect()
                };
                let mut bytes = None;
                let mut value = Vec::new();
                for s in strings {
                    let prefix = string_prefix(s, self.b);
                    let is_bytes = prefix.contains(&b'b');
                    if *bytes.get_or_insert(is_bytes) != is_bytes || prefix.contains(&b'f') {
                        return None;
                    }
                    let (start, end) = (s.child(0)?, s.child(s.child_count().checked_sub(1)?)?);
                    let body = &self.b[start.end_byte()..end.start_byte()];
                    if body.contains(&b'\\') {
                        return None;
                    }
                    value.extend_from_slice(body);
                }
                Some(Key::Str(bytes.unwrap_or(false), value))
            }
            _ => None,
        }
    }
}
