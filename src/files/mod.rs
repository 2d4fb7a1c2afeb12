//! The user's files: reading them, writing a fixed file back atomically with its permissions,
//! and unified diffs of what a fix changes.

mod diff;
mod write;

pub use diff::unified_diff;
pub use write::write_atomically;

use std::path::Path;

/// Why a file could not be read or written, in the words a user expects.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

/// A path as reports show it: relative paths without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
