//! What the run says about files of projects that require replicate v2, and paths made
//! relative to the current directory for it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::project;
use crate::files::display_path;

/// What the run says about files of projects that require replicate v2 (none: `None`): how
/// many, which manifests say so, and what that changes; with `verbose`, each file.
pub(super) fn v2_projects_note(
    projects: &project::Projects,
    files: &[PathBuf],
    verbose: bool,
) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let mut manifests: Vec<String> = files
        .iter()
        .filter_map(|f| projects.of(f))
        .flat_map(|p| {
            p.manifests
                .iter()
                .map(|m| display_path(&relative(m)))
                .collect::<Vec<_>>()
        })
        .collect();
    manifests.sort();
    manifests.dedup();
    let n = files.len();
    let mut note = format!(
        "note: {n} {} in {} that {} replicate v2 ({}): code v2 accepts as written is taken as \
         v2 there and not reported; code that fails on v2 still is",
        if n == 1 { "file is" } else { "files are" },
        if manifests.len() == 1 {
            "a project"
        } else {
            "projects"
        },
        if manifests.len() == 1 {
            "requires"
        } else {
            "require"
        },
        manifests.join(", ")
    );
    if verbose {
        let mut names: Vec<String> = files.iter().map(|f| display_path(f)).collect();
        names.sort();
        for name in names {
            let _ = write!(
                note,
                "\ndebug: {name}: taken as v2 (its project requires replicate v2)"
            );
        }
    }
    Some(note)
}

/// `path` relative to the current directory when it is below it.
pub(super) fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
