//! The files that requirements files pull in (`-r`, `-c`, setup.cfg's `file:`), added to the
//! run transitively.

use std::path::{Path, PathBuf};

use crate::discover::Candidate;
use crate::document::Kind;

/// The files that requirements files pull in (`-r base.txt`, `-c constraints.txt`, setup.cfg's
/// `file:`), added to the run under the kind the including file gives them, transitively.
pub(super) fn with_includes(mut files: Vec<Candidate>) -> Vec<Candidate> {
    let key = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut queue: Vec<Candidate> = files
        .iter()
        .filter(|c| matches!(c.kind, Kind::Manifest(_)))
        .cloned()
        .collect();
    if queue.is_empty() {
        return files;
    }
    // The run's files resolved only once an include is met: resolving every path costs a
    // readlink per component, and most runs include nothing.
    let mut seen: Option<std::collections::HashSet<PathBuf>> = None;
    while let Some(c) = queue.pop() {
        let Kind::Manifest(kind) = c.kind else {
            continue;
        };
        let Ok(raw) = std::fs::read(&c.path) else {
            continue;
        };
        let Ok(checked) = crate::document::manifest::check(kind, &raw) else {
            continue;
        };
        let dir = c.path.parent().unwrap_or(Path::new("."));
        for include in checked.includes {
            let path = dir.join(&include.path);
            if !path.is_file() {
                continue;
            }
            let seen = seen.get_or_insert_with(|| files.iter().map(|c| key(&c.path)).collect());
            if !seen.insert(key(&path)) {
                continue;
            }
            let candidate = Candidate {
                path,
                kind: Kind::Manifest(include.kind),
                named: false,
            };
            queue.push(candidate.clone());
            files.push(candidate);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
