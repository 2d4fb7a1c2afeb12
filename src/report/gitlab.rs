//! GitLab Code Quality: a JSON array of issues (GitLab's subset of the Code Climate format,
//! <https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>).
//!
//! A fingerprint must stay the same while the finding does, so that GitLab can tell new findings
//! from old: it hashes the path, the code and the flagged text, never the line number, and counts
//! identical findings in a file so that each has its own.

use std::collections::HashMap;

use super::FileReport;
use crate::diagnostic::Severity;

pub fn render(files: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for file in files {
        let mut seen: HashMap<u128, usize> = HashMap::new();
        for d in &file.diagnostics {
            let start = file.location(d.start);
            let end = file.location(d.end.max(d.start));
            let frame = file.frame(d.start, d.end);
            let flagged = &frame.text[frame.start..frame.end];
            let key = fingerprint(&[&file.path, &d.code, flagged, &d.message]);
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            let fingerprint = fingerprint(&[&format!("{key:032x}"), &n.to_string()]);
            let description = match start.cell {
                Some(cell) => format!("{}: {} (cell {cell})", d.code, d.message),
                None => format!("{}: {}", d.code, d.message),
            };
            issues.push(serde_json::json!({
                "type": "issue",
                "check_name": d.code,
                "description": description,
                "categories": ["Compatibility"],
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                "fingerprint": format!("{fingerprint:032x}"),
                "location": {
                    "path": file.path.strip_prefix("./").unwrap_or(&file.path),
                    "positions": {
                        "begin": {"line": start.line, "column": start.column},
                        "end": {"line": end.line, "column": end.column},
                    },
                },
            }));
        }
    }
    let mut text = serde_json::to_string_pretty(&issues).expect("issues serialize");
    text.push('\n');
    text
}

/// A 128-bit FNV-1a hash of the parts (each ended by a NUL byte): stable across runs, builds
/// and platforms, which `std`'s hashers are not.
fn fingerprint(parts: &[&str]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0u8]) {
            h ^= u128::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_fixed_values() {
        // The published FNV-1a 128 value of the empty string, then a value fixed here: a change
        // of the hash would make GitLab see every finding as new.
        assert_eq!(
            format!("{:032x}", super::fingerprint(&[])),
            "6c62272e07bb014262b821756295c58d"
        );
        assert_ne!(super::fingerprint(&["a", "b"]), super::fingerprint(&["ab"]));
    }
}
