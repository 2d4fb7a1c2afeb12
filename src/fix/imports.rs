//! Adds the imports fixes need: once per file, next to the existing imports, and never one the
//! file already has.

use crate::syntax::NodeExt;
use tree_sitter::{Node, Tree};

use crate::diagnostic::{Edit, ImportNeed};
use crate::syntax::Source;

pub fn import_edits(source: &Source, tree: &Tree, needs: &[ImportNeed]) -> Vec<Edit> {
    if needs.is_empty() {
        return Vec::new();
    }
    let root = tree.root_node();
    let mut cursor = root.walk();
    let statements: Vec<Node> = root.named_children(&mut cursor).collect();
    let newline = String::from_utf8_lossy(source.newline()).into_owned();

    let mut from_names: Vec<&str> = needs
        .iter()
        .filter_map(|n| match n {
            ImportNeed::FromReplicate(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let modules: Vec<&str> = needs
        .iter()
        .filter_map(|n| match n {
            ImportNeed::Module(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let defined: Vec<String> = statements
        .iter()
        .filter(|s| s.ty() == "function_definition" || s.ty() == "decorated_definition")
        .filter_map(|s| s.field("name").map(|n| source.str(n)))
        .collect();
    let helpers: Vec<&'static str> = needs
        .iter()
        .filter_map(|n| match n {
            ImportNeed::Helper(name) if !defined.contains(name) => {
                crate::rules::helpers::source(name)
            }
            _ => None,
        })
        .collect();

    let mut edits = Vec::new();
    // Extend an existing top-level `from replicate import a, b` (without parentheses).
    let existing_from = statements.iter().find(|s| {
        s.ty() == "import_from_statement"
            && s.field("module_name")
                .is_some_and(|m| source.str(m) == "replicate")
            && !source.str(**s).contains('(')
            && !source.str(**s).contains('\\')
    });
    if let Some(statement) = existing_from {
        let text = source.str(*statement);
        from_names.retain(|n| !text.split([',', ' ']).any(|w| w == *n));
        if !from_names.is_empty() {
            edits.push(Edit::insert(
                statement.end_byte(),
                format!(", {}", from_names.join(", ")),
            ));
        }
        from_names.clear();
    }

    let mut lines = Vec::new();
    for module in modules {
        lines.push(format!("import {module}"));
    }
    if !from_names.is_empty() {
        lines.push(format!("from replicate import {}", from_names.join(", ")));
    }
    if lines.is_empty() && helpers.is_empty() {
        return edits;
    }
    let last_import = statements
        .iter()
        .take_while(|s| {
            !matches!(
                s.ty(),
                "function_definition" | "class_definition" | "decorated_definition"
            )
        })
        .filter(|s| {
            matches!(
                s.ty(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .last();
    // Two blank lines around a top-level definition, as PEP 8 has it: the next helper's own
    // leading blank lines separate two of them, and none is added before code that already
    // follows two blank lines (a helper an earlier pass added).
    // After the last import's trailing comment (`import x  # why`), not between the two.
    let after_import =
        last_import.map(|s| crate::syntax::after_trailing_comment(&source.bytes, s.end_byte()));
    let follows_two_blank_lines = after_import.is_some_and(|at| {
        let nl = source.newline();
        let rest = &source.bytes[at..];
        rest.starts_with(&[nl, nl, nl].concat())
    });
    let count = helpers.len();
    for (i, helper) in helpers.into_iter().enumerate() {
        let code = helper.trim_end().replace('\n', &newline);
        let after = if i + 1 == count && !follows_two_blank_lines {
            newline.as_str()
        } else {
            ""
        };
        lines.push(format!("{newline}{newline}{code}{after}"));
    }
    match after_import {
        Some(at) => {
            let text: String = lines.iter().map(|l| format!("{newline}{l}")).collect();
            edits.push(Edit::insert(at, text));
        }
        None => {
            // After a module docstring, else at the top.
            let at = statements
                .first()
                .filter(|s| {
                    s.ty() == "expression_statement"
                        && s.named_child(0).is_some_and(|c| c.ty() == "string")
                })
                .map(|s| s.end_byte());
            match at {
                Some(at) => {
                    let text: String = lines.iter().map(|l| format!("{newline}{l}")).collect();
                    edits.push(Edit::insert(at, text));
                }
                None => {
                    let text: String = lines.iter().map(|l| format!("{l}{newline}")).collect();
                    edits.push(Edit::insert(first_code_offset(source), text));
                }
            }
        }
    }
    edits
}

/// The offset after leading comment lines (shebang, coding cookie, licence header).
fn first_code_offset(source: &Source) -> usize {
    let mut offset = 0;
    for line in source.bytes.split_inclusive(|b| *b == b'\n') {
        let trimmed = line.iter().find(|b| !b.is_ascii_whitespace());
        match trimmed {
            Some(b'#') => offset += line.len(),
            _ => break,
        }
    }
    offset
}
