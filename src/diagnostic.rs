//! The data every stage hands on: findings (`Diagnostic`), and the byte edits that fix them.

use serde::Serialize;

pub use crate::rules::schema::{Applicability, Severity};

/// Replace `start..end` of the original bytes by `content` (an insertion when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    #[serde(serialize_with = "lossy")]
    pub content: Vec<u8>,
}

fn lossy<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(bytes))
}

impl Edit {
    pub fn replace(start: usize, end: usize, content: impl Into<Vec<u8>>) -> Self {
        Edit {
            start,
            end,
            content: content.into(),
        }
    }
    pub fn insert(at: usize, content: impl Into<Vec<u8>>) -> Self {
        Edit::replace(at, at, content)
    }
    pub fn delete(start: usize, end: usize) -> Self {
        Edit::replace(start, end, Vec::new())
    }
}

/// An import a fix needs, added once per file however many fixes need it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ImportNeed {
    /// `from replicate import NAME`
    FromReplicate(String),
    /// `import NAME` (a standard-library module)
    Module(String),
    /// A module-level helper function the fix calls, by name (see `fix::helpers`).
    Helper(String),
}

/// A set of edits that together fix one finding, with how safe it is to apply.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    pub imports: Vec<ImportNeed>,
    /// See `FixSpec::defer_while_unfixed`.
    #[serde(skip)]
    pub defer_while_unfixed: bool,
}

impl Fix {
    pub fn start(&self) -> usize {
        self.edits.iter().map(|e| e.start).min().unwrap_or(0)
    }
    pub fn end(&self) -> usize {
        self.edits.iter().map(|e| e.end).max().unwrap_or(0)
    }
}

/// One finding in one file.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub name: String,
    pub message: String,
    pub severity: Severity,
    /// Byte range in the file's contents (without BOM).
    pub start: usize,
    pub end: usize,
    pub fix: Option<Fix>,
    /// Why there is no fix, or what to do by hand.
    pub help: Option<String>,
    /// The guide section or mapping row.
    pub url: Option<String>,
}

impl Diagnostic {
    pub fn fixable(&self, unsafe_fixes: bool) -> bool {
        match &self.fix {
            Some(f) => match f.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => unsafe_fixes,
                Applicability::DisplayOnly => false,
            },
            None => false,
        }
    }
}
