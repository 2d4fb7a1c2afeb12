//! The kinds of document the tool reads, told apart by file name, and the modules that read the
//! ones that are not Python source: a Jupyter notebook becomes one virtual Python module
//! (`notebook`); a dependency manifest is checked for `replicate` pins that keep v1
//! (`manifest`). Each kind is decided once, in discover, and carried to the report, which prints
//! `path:line:col`, or `path:cell N:line:col` for a notebook.

pub mod manifest;
pub mod notebook;

use std::path::Path;

/// What a file holds, and so how it is read, checked, written back and located in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `.py`, `.pyi`, or a file named on the command line that is none of the others.
    Python,
    /// `.ipynb`: its code cells are checked and fixed as one module.
    Notebook,
    /// A dependency manifest or lock file (`requirements.txt`, `pyproject.toml`, `poetry.lock`,
    /// ...). `setup.py` is Python, and its `install_requires` is checked beside its code.
    Manifest(manifest::ManifestKind),
}

impl Kind {
    /// The kind of a file by its name, when a directory walk should pick it up.
    pub fn of(path: &Path) -> Option<Kind> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("py" | "pyi") => Some(Kind::Python),
            Some("ipynb") => Some(Kind::Notebook),
            _ => manifest::kind_of(path).map(Kind::Manifest),
        }
    }

    /// The kind of a file named on the command line (or `--stdin-filename`): by its name, and
    /// otherwise Python when it has no extension (a script such as `bin/tool`), as ruff reads
    /// it. `None`: a file of another kind (`notes.txt`), which the caller reports as skipped.
    pub fn of_named(path: &Path) -> Option<Kind> {
        match Kind::of(path) {
            Some(kind) => Some(kind),
            None if path.extension().is_none() => Some(Kind::Python),
            None => None,
        }
    }

    /// How reports name the kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Python => "Python",
            Kind::Notebook => "notebook",
            Kind::Manifest(_) => "dependency manifest",
        }
    }
}
