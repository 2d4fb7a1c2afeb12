//! The `conftest.py` files above each file of a run, and the SDK fixtures they define
//! (`semantic::Context`): a test that takes a conftest's `client` or `prediction` fixture holds
//! that fixture's v1 object. They are all read before any file is written, so what a test
//! sees does not depend on whether its conftest was fixed first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::parse;
use crate::semantic::{Context, SemanticModel};
use crate::syntax::Source;

/// A directory with one of these is a project root: pytest does not look above it.
const ROOT_MARKERS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "tox.ini",
    "pytest.ini",
    ".git",
];

/// Contexts by directory (canonical), built on first need.
pub struct Conftests {
    max_file_size: u64,
    /// What the conftest.py files in and above a directory define.
    within: Mutex<HashMap<PathBuf, Arc<Context>>>,
    /// `within`, by the directory as the walk spelled it (saves resolving it per file).
    by_spelling: Mutex<HashMap<PathBuf, Arc<Context>>>,
}

impl Conftests {
    pub fn new(max_file_size: u64) -> Conftests {
        Conftests {
            max_file_size,
            within: Mutex::new(HashMap::new()),
            by_spelling: Mutex::new(HashMap::new()),
        }
    }

    /// What the conftest.py files above the file `path` tell about it: those of its
    /// directory and the directories above, up to the project root; for a conftest.py
    /// itself, only those above it.
    pub fn context_for(&self, path: &Path) -> Arc<Context> {
        let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir.to_path_buf(),
            None => PathBuf::from("."),
        };
        let is_conftest = path.file_name().is_some_and(|n| n == "conftest.py");
        if !is_conftest {
            if let Some(known) = self.by_spelling.lock().expect("not poisoned").get(&dir) {
                return Arc::clone(known);
            }
        }
        let Ok(real) = std::fs::canonicalize(&dir) else {
            return Context::empty();
        };
        if is_conftest {
            return self.above(&real);
        }
        let context = self.within(&real);
        self.by_spelling
            .lock()
            .expect("not poisoned")
            .insert(dir, Arc::clone(&context));
        context
    }

    /// The context the conftest.py files in `dir` and above give.
    fn within(&self, dir: &Path) -> Arc<Context> {
        if let Some(known) = self.within.lock().expect("not poisoned").get(dir) {
            return Arc::clone(known);
        }
        let above = self.above(dir);
        let conftest = dir.join("conftest.py");
        let context = match fixtures_of(&conftest, &above, self.max_file_size) {
            Some(fixtures) if !fixtures.is_empty() => Arc::new(above.below(fixtures)),
            _ => above,
        };
        self.within
            .lock()
            .expect("not poisoned")
            .insert(dir.to_path_buf(), Arc::clone(&context));
        context
    }

    /// The context of the directories above `dir`, none past a project root.
    fn above(&self, dir: &Path) -> Arc<Context> {
        let is_root = ROOT_MARKERS.iter().any(|m| dir.join(m).exists());
        match dir.parent() {
            Some(parent) if !is_root => self.within(parent),
            _ => Context::empty(),
        }
    }
}

/// The SDK fixtures of the conftest.py at `path` (seeing those above it); `None` when there is
/// no such file or it cannot be read or parsed (it is reported when it is part of the run).
fn fixtures_of(
    path: &Path,
    above: &Arc<Context>,
    max_file_size: u64,
) -> Option<Vec<(String, Option<crate::semantic::SdkValue>)>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > max_file_size {
        return None;
    }
    let raw = std::fs::read(path).ok()?;
    if !crate::discover::mentions_sdk(&raw) && above.fixtures.is_empty() {
        return Some(Vec::new());
    }
    let source = Source::from_file(raw).ok()?;
    let tree = parse::parse(&source);
    if parse::first_error(&tree).is_some() || parse::depth(&tree) > parse::MAX_DEPTH {
        return None;
    }
    let model = SemanticModel::build_in(&source, &tree, Arc::clone(above), false);
    Some(model.fixture_values())
}
