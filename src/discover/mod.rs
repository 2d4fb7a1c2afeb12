//! Discover stage: which files to look at and what kind of document each is, and a cheap byte
//! test that skips the ones that never mention `replicate`.
//!
//! Nothing found is dropped quietly: a directory that cannot be read, a named path that is not a
//! file or directory (`/dev/stdin`, a FIFO) and a named file of a kind the tool does not read
//! (`notes.txt`) come back beside the files, for the run to report.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::document::Kind;

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
    #[error("{path}: symlink loop")]
    SymlinkLoop { path: String },
}

/// Decides which paths a walk leaves out; `is_dir` says whether the path is a directory (whose
/// whole tree is then skipped). Paths are as the walk yields them (`./src/app.py` under `.`).
pub trait Exclude: Send + Sync {
    fn excluded(&self, path: &Path, is_dir: bool) -> bool;
}

/// The built-in excludes (`DEFAULT_EXCLUDES`) and glob patterns, matched against the path, the
/// path without a leading `./`, and the file name.
pub struct Globs {
    defaults: bool,
    set: GlobSet,
}

impl Globs {
    /// `defaults`: whether `DEFAULT_EXCLUDES` apply beside `patterns`.
    pub fn new(patterns: &[String], defaults: bool) -> Result<Globs, DiscoverError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern).map_err(|e| DiscoverError::BadGlob {
                pattern: pattern.clone(),
                message: e.kind().to_string(),
            })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| DiscoverError::BadGlob {
            pattern: patterns.join(" "),
            message: e.to_string(),
        })?;
        Ok(Globs { defaults, set })
    }

    pub fn is_match(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Walking `.` yields `./src/app.py`; patterns are written as `src/app.py`.
        let relative = path.strip_prefix(".").unwrap_or(path);
        (self.defaults && DEFAULT_EXCLUDES.contains(&name))
            || self.set.is_match(path)
            || self.set.is_match(relative)
            || self.set.is_match(name)
    }
}

impl Exclude for Globs {
    fn excluded(&self, path: &Path, _is_dir: bool) -> bool {
        self.is_match(path)
    }
}

/// A file to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub kind: Kind,
    /// Named on the command line (rather than found by walking a directory).
    pub named: bool,
}

/// A path that could not be searched, or a named file the tool does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// A directory (or a named path) that could not be read; the reason in a user's words.
    Unreadable(String),
    /// A named file of no kind the tool reads (`notes.txt`): skipped, and said so.
    Unsupported,
}

/// Everything a walk found, sorted by path.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Candidate>,
    pub problems: Vec<Problem>,
    /// Named files left out by an exclude (with `force-exclude`): skipped, and said so with `-v`.
    pub excluded: Vec<PathBuf>,
}

/// How to walk.
pub struct Walk {
    pub exclude: Arc<dyn Exclude>,
    /// Excludes apply to files named on the command line too (ruff's `force-exclude`, which
    /// pre-commit hooks want: they name every staged file).
    pub force_exclude: bool,
}

/// Finds the files under `paths`. Files named explicitly are included unless `force_exclude`;
/// each file is listed once however often it is named.
pub fn discover(paths: &[PathBuf], walk: &Walk) -> Result<Discovery, DiscoverError> {
    let mut found = Discovery::default();
    let mut links: Vec<Candidate> = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root);
        match &meta {
            Err(e) if e.raw_os_error() == Some(ELOOP) => {
                return Err(DiscoverError::SymlinkLoop {
                    path: root.display().to_string(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DiscoverError::Missing {
                    path: root.display().to_string(),
                })
            }
            Err(e) => {
                found.problems.push(Problem {
                    path: root.clone(),
                    kind: ProblemKind::Unreadable(io_reason(e)),
                });
                continue;
            }
            Ok(m) if m.is_file() => {
                if walk.force_exclude && walk.exclude.excluded(root, false) {
                    found.excluded.push(root.clone());
                    continue;
                }
                match Kind::of_named(root) {
                    Some(kind) => found.files.push(Candidate {
                        path: root.clone(),
                        kind,
                        named: true,
                    }),
                    None => found.problems.push(Problem {
                        path: root.clone(),
                        kind: ProblemKind::Unsupported,
                    }),
                }
                continue;
            }
            Ok(m) if !m.is_dir() => {
                found.problems.push(Problem {
                    path: root.clone(),
                    kind: ProblemKind::Unreadable(
                        "not a regular file or directory (to read standard input, pass `-`)".into(),
                    ),
                });
                continue;
            }
            Ok(_) => {}
        }
        if walk.force_exclude && walk.exclude.excluded(root, true) {
            found.excluded.push(root.clone());
            continue;
        }
        let exclude = Arc::clone(&walk.exclude);
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || !exclude
                        .excluded(entry.path(), entry.file_type().is_some_and(|t| t.is_dir()))
            })
            .build_parallel();
        // Directories are read in parallel, as ripgrep does; the results are sorted below.
        let walked: Mutex<(Vec<Candidate>, Vec<Candidate>, Vec<Problem>)> = Mutex::default();
        walker.run(|| {
            let walked = &walked;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        if let Some(problem) = walk_problem(&e, root) {
                            walked.lock().expect("not poisoned").2.push(problem);
                        }
                        return WalkState::Continue;
                    }
                };
                let (Some(file_type), Some(kind)) = (entry.file_type(), Kind::of(entry.path()))
                else {
                    return WalkState::Continue;
                };
                let candidate = Candidate {
                    path: entry.path().to_path_buf(),
                    kind,
                    named: false,
                };
                if file_type.is_file() {
                    walked.lock().expect("not poisoned").0.push(candidate);
                } else if file_type.is_symlink() && entry.path().is_file() {
                    // Symbolic links met in the walk are followed to a file (read and written).
                    walked.lock().expect("not poisoned").1.push(candidate);
                }
                WalkState::Continue
            })
        });
        let (files, walked_links, problems) = walked.into_inner().expect("not poisoned");
        if found.files.is_empty() {
            found.files = files;
        } else {
            found.files.extend(files);
        }
        links.extend(walked_links);
        found.problems.extend(problems);
    }
    add_links(&mut found.files, links);
    // `Path`'s order, from keys built once: comparing components showed in a big tree's run.
    found.files.sort_by_cached_key(|c| path_order_key(&c.path));
    found.files.dedup_by(|a, b| a.path == b.path);
    if paths.len() > 1 {
        // `check app.py ./app.py src src/app.py`: one file, processed once.
        let mut seen = HashSet::new();
        found.files.retain(|c| {
            let key = std::fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone());
            seen.insert(key)
        });
    }
    found.problems.sort_by(|a, b| a.path.cmp(&b.path));
    found.problems.dedup();
    Ok(found)
}

/// Adds the walked links whose target is not already a file of the run (a file reached twice
/// would be fixed twice at once).
fn add_links(files: &mut Vec<Candidate>, links: Vec<Candidate>) {
    if links.is_empty() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let id = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        let mut seen: HashSet<(u64, u64)> = files.iter().filter_map(|c| id(&c.path)).collect();
        for link in links {
            if id(&link.path).is_some_and(|target| seen.insert(target)) {
                files.push(link);
            }
        }
    }
    #[cfg(not(unix))]
    files.extend(links);
}

/// `ELOOP` on Linux and the BSDs (macOS: 62).
#[cfg(target_os = "macos")]
const ELOOP: i32 = 62;
#[cfg(not(target_os = "macos"))]
const ELOOP: i32 = 40;

/// A walk error worth reporting: a directory (or file) that could not be read. Errors reading
/// an ignore file are not: the walk goes on without it, as ripgrep's does.
fn walk_problem(error: &ignore::Error, root: &Path) -> Option<Problem> {
    let mut path: Option<&Path> = None;
    let mut e = error;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p);
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            ignore::Error::Partial(_) | ignore::Error::Glob { .. } => return None,
            ignore::Error::Loop { child, .. } => {
                return Some(Problem {
                    path: child.clone(),
                    kind: ProblemKind::Unreadable("symlink loop".into()),
                })
            }
            ignore::Error::Io(io) => {
                let path = path.unwrap_or(root);
                if path
                    .file_name()
                    .is_some_and(|n| n == ".gitignore" || n == ".ignore" || n == "exclude")
                {
                    return None;
                }
                return Some(Problem {
                    path: path.to_path_buf(),
                    kind: ProblemKind::Unreadable(io_reason(io)),
                });
            }
            _ => {
                return Some(Problem {
                    path: path.unwrap_or(root).to_path_buf(),
                    kind: ProblemKind::Unreadable(e.to_string()),
                })
            }
        }
    }
}

/// Why a path could not be read, in a user's words (as `files::io_reason`, which this layer
/// cannot import).
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

/// How long `path_order_key` makes the key of a path of these bytes, at most (on Unix).
fn order_key_capacity(path: &[u8]) -> usize {
    let separators = memchr::memchr_iter(std::path::MAIN_SEPARATOR as u8, path).count();
    path.len() + 2 * separators + 2
}

/// A key whose byte order is `Path`'s order: each component as a tag (in `Component`'s variant
/// order) and its bytes, separated by a 0 byte (which no component holds, and which sorts a
/// component before any longer one it begins).
fn path_order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let bytes = path.as_os_str().as_encoded_bytes();
    // Each component adds at most a tag and a separator (one per `/`, and the root's): sized
    // once, the keys of a big tree's paths are not grown to twice their length.
    let mut key = Vec::with_capacity(order_key_capacity(bytes));
    for (i, component) in path.components().enumerate() {
        if i > 0 {
            key.push(0);
        }
        let (tag, text): (u8, &[u8]) = match component {
            Component::Prefix(p) => (1, p.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, b""),
            Component::CurDir => (3, b""),
            Component::ParentDir => (4, b""),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(tag);
        key.extend_from_slice(text);
    }
    key
}

/// Files that never contain the bytes `replicate` cannot use the SDK; they are not parsed.
pub fn mentions_sdk(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"replicate").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATHS: [&str; 26] = [
        "a",
        "a/b",
        "a-b",
        "a.b",
        "a/b/c",
        "a//b",
        "a/./b",
        "./a",
        "../a",
        "-x",
        "..",
        ".",
        "/a",
        "/",
        "a/",
        "ab",
        "a/-",
        "a/..",
        "a/.b",
        "A",
        "a b",
        "é",
        "a/é/b",
        "./-x",
        "/x/y/z/w.py",
        "a/b/c/d/e/f/g/h/i",
    ];

    #[test]
    fn the_order_key_is_built_without_growing() {
        for path in PATHS {
            let key = path_order_key(Path::new(path));
            assert!(
                key.len() <= order_key_capacity(path.as_bytes()),
                "{path:?}: {} bytes",
                key.len()
            );
        }
    }

    #[test]
    fn the_order_key_sorts_as_paths_do() {
        let paths: Vec<PathBuf> = PATHS.iter().map(PathBuf::from).collect();
        for a in &paths {
            for b in &paths {
                assert_eq!(
                    path_order_key(a).cmp(&path_order_key(b)),
                    a.cmp(b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }
}
