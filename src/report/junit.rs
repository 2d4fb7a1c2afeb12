//! JUnit XML: one test suite per file and one failed test case per finding, as ruff writes it;
//! a run without findings is one passing test case. Text and attributes are escaped for XML 1.0,
//! and characters XML 1.0 cannot hold at all (most control characters) become U+FFFD, so no file
//! name or message can close an element or forge one.

use std::fmt::Write as _;

use super::FileReport;

pub fn render(files: &[FileReport]) -> String {
    let total: usize = files.iter().map(|f| f.diagnostics.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"replicate-migrate\" tests=\"{}\" failures=\"{total}\" errors=\"0\">",
        total.max(1)
    );
    if total == 0 {
        out.push_str("  <testsuite name=\"replicate-migrate\" tests=\"1\" disabled=\"0\" errors=\"0\" failures=\"0\" package=\"org.replicate-migrate\">\n");
        out.push_str("    <testcase name=\"No errors found\"/>\n");
        out.push_str("  </testsuite>\n");
    }
    for file in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let path = escape(&file.path);
        let n = file.diagnostics.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{n}\" disabled=\"0\" errors=\"0\" failures=\"{n}\" package=\"org.replicate-migrate\">"
        );
        for d in &file.diagnostics {
            let at = file.location(d.start);
            let message = escape(&d.message);
            let _ = writeln!(
                out,
                "    <testcase name=\"org.replicate-migrate.{code}\" classname=\"{path}\" line=\"{line}\" column=\"{column}\">",
                code = escape(&d.code),
                line = at.line,
                column = at.column,
            );
            let _ = writeln!(
                out,
                "      <failure message=\"{message}\">{}, {message}</failure>",
                escape(&match at.cell {
                    Some(cell) => format!("cell {cell}, line {}, col {}", at.line, at.column),
                    None => format!("line {}, col {}", at.line, at.column),
                })
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for an XML 1.0 attribute value or element content.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept through attribute-value normalisation only as character references.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_leaves_no_markup_and_no_illegal_character() {
        assert_eq!(
            super::escape("a\"/><x y='1'>&\u{1}\n"),
            "a&quot;/&gt;&lt;x y=&apos;1&apos;&gt;&amp;\u{FFFD}&#10;"
        );
    }
}
