//! String literals: plain ones a fix may rewrite, and f-strings it may split.

use super::NodeExt;
use tree_sitter::Node;

use super::names::simple_receiver;
use super::Source;

/// The content of a plain string literal (no f-string, no bytes, no escapes), with its quotes.
pub struct StringLiteral {
    pub prefix_quote: String,
    pub content: String,
    pub end_quote: String,
}

impl StringLiteral {
    /// The same literal with other content.
    pub fn with_content(&self, content: &str) -> String {
        format!("{}{}{}", self.prefix_quote, content, self.end_quote)
    }
}

pub fn string_literal(source: &Source, node: Node) -> Option<StringLiteral> {
    if node.ty() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let mut start = None;
    let mut end = None;
    for child in node.named_children(&mut cursor) {
        match child.ty() {
            "string_start" => start = Some(child),
            "string_end" => end = Some(child),
            "string_content" => {}
            _ => return None,
        }
    }
    let (start, end) = (start?, end?);
    let prefix_quote = source.str(start);
    if prefix_quote
        .chars()
        .any(|c| matches!(c.to_ascii_lowercase(), 'f' | 'b'))
    {
        return None;
    }
    let content = std::str::from_utf8(&source.bytes[start.end_byte()..end.start_byte()]).ok()?;
    if content.contains('\\') || content.contains('\n') {
        return None;
    }
    Some(StringLiteral {
        prefix_quote,
        content: content.to_string(),
        end_quote: source.str(end),
    })
}

/// `f"avatar-{uid}.jpg"`: an f-string whose interpolations are plain names or attributes, so
/// writing it twice evaluates nothing twice that could differ.
pub fn side_effect_free_fstring(node: Node) -> bool {
    if node.ty() != "string" {
        return false;
    }
    let mut cursor = node.walk();
    let all = node.named_children(&mut cursor).all(|c| match c.ty() {
        "string_start" | "string_end" | "string_content" => true,
        "interpolation" => c.field("expression").is_some_and(|e| {
            e.ty() == "identifier"
                || (e.ty() == "attribute"
                    && e.field("object").is_some_and(|o| o.ty() == "identifier"))
        }),
        _ => false,
    });
    all
}

/// Splits `owner/name` (2 parts) or `owner/name:version` (3 parts). Anything else is malformed.
pub fn split_model_ref(text: &str, parts: usize) -> Option<Vec<&str>> {
    let (owner, rest) = text.split_once('/')?;
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !valid(owner) {
        return None;
    }
    match parts {
        2 => valid(rest).then(|| vec![owner, rest]),
        3 => {
            let (name, version) = rest.split_once(':')?;
            (valid(name) && valid(version)).then(|| vec![owner, name, version])
        }
        _ => None,
    }
}

/// Splits `f"{owner}/{name}"` (or `f"acme/{name}"`, `f"{o}/{n}:{v}"`) into one expression per
/// part, when every part is a whole interpolation of a plain name or attribute, or plain text.
pub fn fstring_parts(source: &Source, node: Node, parts: usize) -> Option<Vec<String>> {
    if node.ty() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    let start = children.iter().find(|c| c.ty() == "string_start")?;
    let prefix = source.str(*start);
    if !prefix.to_ascii_lowercase().contains('f') || prefix.to_ascii_lowercase().contains('b') {
        return None;
    }
    let quote = prefix.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    // Tokens: text runs and interpolated expressions, in order.
    enum Tok {
        Text(String),
        Expr(String),
    }
    let mut toks = Vec::new();
    for child in &children {
        match child.ty() {
            "string_start" | "string_end" => {}
            "string_content" => {
                let text = source.str(*child);
                if text.contains(['\\', '{', '}']) {
                    return None;
                }
                toks.push(Tok::Text(text));
            }
            "interpolation" => {
                let expr = child.field("expression")?;
                let simple = child.named_child_count() == 1 && simple_receiver(expr);
                if !simple {
                    return None;
                }
                toks.push(Tok::Expr(source.str(expr)));
            }
            _ => return None,
        }
    }
    // Cut at the separators: `/` then (for three parts) `:`.
    let separators: &[char] = if parts == 3 { &['/', ':'] } else { &['/'] };
    let mut segments: Vec<Vec<Tok>> = vec![Vec::new()];
    let mut next_sep = 0;
    for tok in toks {
        match tok {
            Tok::Expr(e) => segments.last_mut()?.push(Tok::Expr(e)),
            Tok::Text(text) => {
                let mut rest = text.as_str();
                while next_sep < separators.len() {
                    let Some(i) = rest.find(separators[next_sep]) else {
                        break;
                    };
                    if i > 0 {
                        segments.last_mut()?.push(Tok::Text(rest[..i].to_string()));
                    }
                    segments.push(Vec::new());
                    rest = &rest[i + 1..];
                    next_sep += 1;
                }
                if !rest.is_empty() {
                    segments.last_mut()?.push(Tok::Text(rest.to_string()));
                }
            }
        }
    }
    if segments.len() != parts {
        return None;
    }
    segments
        .into_iter()
        .map(|segment| match segment.as_slice() {
            [Tok::Expr(e)] => Some(e.clone()),
            [Tok::Text(t)] if !t.is_empty() && !t.contains(['/', ':', '"', '\'']) => {
                Some(format!("{quote}{t}{quote}"))
            }
            _ => None,
        })
        .collect()
}
