//! Discover stage: which files to look at, and a cheap byte test that skips the ones that
//! never mention `replicate`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

/// Directories never searched unless named on the command line.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".venv",
    "venv",
    "site-packages",
    "build",
    "dist",
    ".git",
    "__pypackages__",
    "node_modules",
];

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("invalid --exclude pattern `{pattern}`: {message}")]
    BadGlob { pattern: String, message: String },
    #[error("{path}: no such file or directory")]
    Missing { path: String },
}

/// Finds the Python files under `paths`, sorted. Files named explicitly are always included.
pub fn python_files(paths: &[PathBuf], excludes: &[String]) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in excludes {
        let glob = Glob::new(pattern).map_err(|e| DiscoverError::BadGlob {
            pattern: pattern.clone(),
            message: e.to_string(),
        })?;
        builder.add(glob);
    }
    let user_excludes = builder.build().map_err(|e| DiscoverError::BadGlob {
        pattern: excludes.join(" "),
        message: e.to_string(),
    })?;
    let mut files = Vec::new();
    // Symbolic links met in the walk are followed to a file (which is then read and written).
    let mut links = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        if !root.exists() {
            return Err(DiscoverError::Missing {
                path: root.display().to_string(),
            });
        }
        let excludes = user_excludes.clone();
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .filter_entry(move |entry| !excluded(entry.path(), entry.depth(), &excludes))
            .build();
        for entry in walker.flatten() {
            let path = entry.path();
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            if !is_python(path) {
                continue;
            }
            if file_type.is_file() {
                files.push(path.to_path_buf());
            } else if file_type.is_symlink() && path.is_file() {
                links.push(path.to_path_buf());
            }
        }
    }
    add_links(&mut files, links);
    files.sort();
    files.dedup();
    Ok(files)
}

/// Adds the walked links whose target is not already a file of the run (a file reached twice
/// would be fixed twice at once).
fn add_links(files: &mut Vec<PathBuf>, links: Vec<PathBuf>) {
    if links.is_empty() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let id = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        let mut seen: std::collections::HashSet<(u64, u64)> =
            files.iter().filter_map(|p| id(p)).collect();
        for link in links {
            if id(&link).is_some_and(|target| seen.insert(target)) {
                files.push(link);
            }
        }
    }
    #[cfg(not(unix))]
    files.extend(links);
}

fn excluded(path: &Path, depth: usize, user: &GlobSet) -> bool {
    if depth == 0 {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Walking `.` yields `./src/app.py`; patterns are written as `src/app.py`.
    let relative = path.strip_prefix(".").unwrap_or(path);
    DEFAULT_EXCLUDES.contains(&name)
        || user.is_match(path)
        || user.is_match(relative)
        || user.is_match(name)
}

fn is_python(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("py" | "pyi")
    )
}

/// Files that never contain the bytes `replicate` cannot use the SDK; they are not parsed.
pub fn mentions_sdk(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"replicate").is_some()
}
