//! The user's files: reading them with a snapshot of what they were, writing a fixed file back
//! only while it is unchanged and keeping what it is (see `write.rs`), removing temporary files
//! on SIGINT/SIGTERM (see `signals.rs`), and unified diffs of what a fix changes.

mod diff;
mod read;
mod signals;
mod write;

pub use diff::unified_diff;
pub use read::{read, ReadFile, Snapshot};
pub use signals::guard_signals;
pub use write::{sync_renamed_dirs, write_fixed, WriteError, WriteOptions};

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `path` made absolute (`std::path::absolute`) against the current directory as it was first
/// asked: the process never changes it, and asking the kernel for it once per path was a
/// `getcwd` for every file and directory of a walk. `path` itself when there is no current
/// directory.
pub fn absolute(path: &Path) -> PathBuf {
    static CURRENT_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    let joined;
    let path = if path.is_absolute() {
        path
    } else {
        match CURRENT_DIR.get_or_init(|| std::env::current_dir().ok()) {
            Some(dir) => {
                joined = dir.join(path);
                &joined
            }
            None => return path.to_path_buf(),
        }
    };
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

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

#[cfg(all(test, unix))]
mod tests;
