//! The data every stage hands on: findings (`Diagnostic`), and the byte edits that fix them.
//!
//! A leaf: it imports no stage, and every stage imports it.

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
}

/// When a fix may be applied, as in ruff: always, only with `--unsafe-fixes`, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    DisplayOnly,
    Unsafe,
    Safe,
}

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
    /// A module-level helper function the fix calls, by name (see `rules::helpers`).
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
    /// A finding about the tool's own work on a file (RM0xx), not about the user's code.
    pub fn tool(code: &str, name: &str, message: String, offset: usize) -> Diagnostic {
        Diagnostic {
            code: code.to_string(),
            name: name.to_string(),
            message,
            severity: Severity::Error,
            start: offset,
            end: offset,
            fix: None,
            help: None,
            url: None,
        }
    }

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

/// Text a fix wrote, with the rule that wrote it, in the coordinates of the latest contents.
/// The fix loop keeps these so a rule never re-applies to its own output, and validation checks
/// every SDK call they touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub start: usize,
    pub end: usize,
    pub code: String,
}

impl Written {
    /// Whether the written span meets `start..end` (an empty span counts when it lies inside).
    pub fn meets(&self, start: usize, end: usize) -> bool {
        (self.start < end && self.end > start)
            || (self.start == self.end && self.start >= start && self.start <= end)
    }
}
