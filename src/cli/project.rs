//! Which files belong to a project that requires replicate v2.
//!
//! A file's project is the nearest directory at or above it whose dependency manifests
//! (`requirements*.txt` and the files they include, `pyproject.toml`, `setup.cfg`, `setup.py`,
//! `Pipfile`, `environment.yml`, lock files) state a `replicate` requirement; the walk stops at
//! a repository root (a directory holding `.git` or `.hg`). The project requires v2 when every
//! requirement found there admits no 1.x (`replicate>=2`, `>=2.0.0b4,<3`, `==2.0.0b4`, a lock of
//! 2.0.0b4).
//!
//! In such a project the module-level API is taken as v2's, as in a file that names `Replicate`:
//! code v2 accepts as written is v2 code, whatever v1 did with it, and gets no finding; code that
//! fails on v2 (`predictions.get("id")`, `replicate.async_run`) is still reported, since the
//! project installs v2. The run says so (a note, and `--verbose` names the manifests).
//!
//! A run that writes (`fix`, `--add-noqa`) reads the manifests once, before any file is
//! processed, so a fix that rewrites a pin in the same run does not change how the run's Python
//! files are read. A run that writes nothing reads a directory's manifests when a file there
//! first needs them (a file that mentions the SDK): in a big tree, most directories never do.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::document::manifest::{self, ManifestKind};

/// A directory whose manifests state a `replicate` requirement.
#[derive(Debug)]
pub struct Project {
    /// The manifests that name replicate, as found (the directory joined with their names).
    pub manifests: Vec<PathBuf>,
    /// Every requirement there admits no 1.x.
    pub requires_v2: bool,
}

/// The projects of the directories met in a run, resolved up front (`resolve`) or on first
/// need (`on_demand`).
#[derive(Default)]
pub struct Projects {
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Project>>>>,
}

impl Projects {
    /// Nothing resolved yet: each directory's project is found when a file there asks.
    pub fn on_demand() -> Projects {
        Projects::default()
    }

    /// Resolves the project of every file in `files` (relative paths are taken from the
    /// current directory).
    pub fn resolve<'a>(files: impl IntoIterator<Item = &'a Path>) -> Projects {
        let projects = Projects::default();
        // The walk lists a directory's files together: each directory is resolved once.
        let mut last_parent: Option<&Path> = None;
        for file in files {
            if last_parent.is_some() && file.parent() == last_parent {
                continue;
            }
            last_parent = file.parent();
            let dir = absolute(file)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            projects.resolve_dir(&dir);
        }
        projects
    }

    /// The project of `file`, if a manifest above it names replicate.
    pub fn of(&self, file: &Path) -> Option<Arc<Project>> {
        let dir = absolute(file).parent().map(Path::to_path_buf)?;
        self.resolve_dir(&dir)
    }

    /// Whether `file` belongs to a project that requires v2.
    pub fn requires_v2(&self, file: &Path) -> bool {
        self.of(file).is_some_and(|p| p.requires_v2)
    }

    fn resolve_dir(&self, start: &Path) -> Option<Arc<Project>> {
        // Held while the manifests are read: two workers never read one directory twice.
        let mut by_dir = self.by_dir.lock().expect("not poisoned");
        let mut walked = Vec::new();
        let mut found = None;
        let mut dir = Some(start);
        while let Some(d) = dir {
            if let Some(known) = by_dir.get(d) {
                found = known.clone();
                break;
            }
            walked.push(d.to_path_buf());
            if let Some(project) = project_in(d) {
                found = Some(Arc::new(project));
                break;
            }
            if d.join(".git").exists() || d.join(".hg").exists() {
                break;
            }
            dir = d.parent();
        }
        for d in walked {
            by_dir.insert(d, found.clone());
        }
        found
    }
}

fn absolute(path: &Path) -> PathBuf {
    crate::files::absolute(path)
}

/// The manifests of `dir` that state a replicate requirement, if any.
fn project_in(dir: &Path) -> Option<Project> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| manifest::kind_of(p).is_some() && p.is_file())
        .collect();
    names.sort();
    let mut manifests = Vec::new();
    let mut requires_v2 = true;
    let mut seen = BTreeSet::new();
    for path in names {
        let Some(kind) = manifest::kind_of(&path) else {
            continue;
        };
        let mut pins = Vec::new();
        read_pins(&path, kind, &mut seen, &mut pins);
        if pins.is_empty() {
            continue;
        }
        requires_v2 &= pins.iter().all(|p| p.excludes_v1);
        manifests.push(path);
    }
    (!manifests.is_empty()).then_some(Project {
        manifests,
        requires_v2,
    })
}

/// The replicate requirements of one manifest and of the requirements files it includes.
fn read_pins(
    path: &Path,
    kind: ManifestKind,
    seen: &mut BTreeSet<PathBuf>,
    pins: &mut Vec<manifest::Pin>,
) {
    if !seen.insert(absolute(path)) {
        return;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return;
    };
    let Ok(checked) = manifest::check(kind, &bytes) else {
        return;
    };
    pins.extend(checked.pins);
    let base = path.parent().unwrap_or(Path::new(""));
    for include in checked.includes {
        read_pins(&base.join(&include.path), include.kind, seen, pins);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn the_nearest_manifest_naming_replicate_decides() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        write(root, ".git/HEAD", "ref: refs/heads/main\n");
        write(root, "requirements.txt", "-r requirements/base.txt\n");
        write(root, "requirements/base.txt", "replicate>=2.0.0b4,<3\n");
        write(root, "app/main.py", "import replicate\n");
        // A subproject pinning v1, and one whose pyproject does not name replicate.
        write(
            root,
            "legacy/setup.cfg",
            "[options]\ninstall_requires =\n    replicate==1.0.7\n",
        );
        write(root, "legacy/job.py", "import replicate\n");
        write(
            root,
            "tools/pyproject.toml",
            "[project]\nname = \"t\"\ndependencies = [\"httpx\"]\n",
        );
        write(root, "tools/x.py", "import replicate\n");
        let files = ["app/main.py", "legacy/job.py", "tools/x.py", "main.py"].map(|f| root.join(f));
        let projects = Projects::resolve(files.iter().map(PathBuf::as_path));
        assert!(
            projects.requires_v2(&files[0]),
            "included requirements count"
        );
        assert!(
            !projects.requires_v2(&files[1]),
            "the nearest manifest wins"
        );
        assert!(
            projects.requires_v2(&files[2]),
            "a manifest without replicate is passed by"
        );
        assert!(projects.requires_v2(&files[3]));
        let project = projects.of(&files[0]).unwrap();
        assert_eq!(project.manifests, [root.join("requirements.txt")]);
        // Resolved on first need (a run that writes nothing), each file gets the same answer.
        let on_demand = Projects::on_demand();
        for file in files.iter().rev() {
            assert_eq!(
                on_demand.requires_v2(file),
                projects.requires_v2(file),
                "{file:?}"
            );
            assert_eq!(
                on_demand.of(file).map(|p| p.manifests.clone()),
                projects.of(file).map(|p| p.manifests.clone())
            );
        }
    }

    #[test]
    fn the_walk_stops_at_the_repository_root() {
        let outer = tempfile::tempdir().unwrap();
        write(outer.path(), "requirements.txt", "replicate>=2\n");
        write(outer.path(), "repo/.git/HEAD", "ref: refs/heads/main\n");
        write(outer.path(), "repo/app.py", "import replicate\n");
        let file = outer.path().join("repo/app.py");
        let projects = Projects::resolve([file.as_path()]);
        assert!(projects.of(&file).is_none());
    }
}
