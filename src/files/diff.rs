//! Unified diffs of a file before and after fixing, as `fix --diff` prints them.

use crate::syntax::Source;

pub fn unified_diff(path: &str, old: &Source, new: &Source) -> String {
    let old_text = String::from_utf8_lossy(&old.bytes);
    let new_text = String::from_utf8_lossy(&new.bytes);
    let diff = similar::TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
