//! Jupyter notebooks (`.ipynb`) as one virtual Python module, and back.
//!
//! The pipeline works on one Python module per file. A notebook's code cells run in one
//! namespace (a name imported in cell 1 is known in cell 5), so they are checked and fixed as
//! ONE module: [`Notebook::parse`] builds it, the pipeline fixes it like a `.py` file, and
//! [`Notebook::with_module`] writes the fixed text back into the cells. This module depends on
//! nothing else in the crate (std, `serde_json` and `memchr` only).
//!
//! # The virtual module
//!
//! Each code cell, in notebook order, contributes a boundary line and then its text:
//!
//! ```text
//! # replicate-migrate: cell 2 6f1c0d3a9b2e4f77
//! import replicate
//! # replicate-migrate: cell 4 6f1c0d3a9b2e4f77
//! out = replicate.run("owner/model", input={})
//! ```
//!
//! The number is the cell's number as diagnostics print it (see *Cell numbers*); the last word is
//! a nonce: 16 hex digits derived from the code, re-drawn until it occurs nowhere in the
//! notebook's bytes nor in any decoded cell text, so no text of the notebook can pass for a
//! marker. A cell that does not end with a newline gets one (the module's newline: `\r\n` if the
//! cells' first line break is `\r\n`, else `\n`) so that the next boundary starts a line; it is
//! taken off again on the way back.
//!
//! Splitting back ([`Notebook::cells_of`], [`Notebook::with_module`]) reads the fixed module line
//! by line; every line holding the nonce must be, byte for byte, the next expected boundary or
//! the next expected masked line (below) of the current cell. A boundary or masked line that is
//! missing, duplicated, out of order or edited, or text before the first boundary, is a
//! [`NotebookError::Boundaries`] error, and the caller must then leave the notebook alone.
//!
//! Why the boundaries survive the tool's fixes: they are comments on lines of their own, and the
//! rules only ever edit code nodes (calls, attributes, imports, arguments); an edit that would
//! swallow a boundary can only come from a statement running across two cells, which is not a
//! valid notebook in the first place, and is caught by the check above. The tool adds imports
//! and helpers after the existing imports (or after a module docstring), which are in some cell;
//! with no import at all it inserts after the leading comment lines, which skips the first
//! boundary (and top-level masked lines, which are comments too), so the text lands in a cell,
//! never before the first boundary.
//!
//! # IPython syntax
//!
//! IPython lines are not Python, and must neither make the module unparseable nor ever be edited.
//! Each such physical line is replaced by a *masked line* of the same indentation: a comment
//! `# replicate-migrate: magic <id> <nonce>` at the top level, or
//! `<indent>pass  # replicate-migrate: magic <id> <nonce>` inside a block (a block needs a
//! statement). No rule matches a comment or a
//! `pass`. On the way back each masked line must be found unchanged, in its cell and in order,
//! and the original line is put back verbatim. Masked are:
//!
//! * a logical line starting (after indentation) with an IPython escape: `%` (line magics,
//!   `%pip install replicate`), `!` (shell, `!ls`), `?`/`??` (help), and the auto-call escapes
//!   `/`, `,`, `;` (none of them can start a Python statement), together with the lines it
//!   continues onto with a trailing backslash;
//! * a logical line holding `?` outside strings and comments (`obj?`, `obj.attr??`), or `=`
//!   followed by `!` or `%` (`files = !ls`, `t = %timeit -o f()`); both are never valid Python;
//! * cell magics: the `%%name` first line (after blank lines) of a cell. The body of `%%time`,
//!   `%%timeit`, `%%capture`, `%%prun`, `%%debug` and `%%memit` is Python and stays checked;
//!   the body of any other cell magic (`%%bash`, `%%html`, `%%writefile`, `%%javascript`, ...) is
//!   not Python, and every non-blank line of the cell is masked.
//!
//! Lines are tokenised with a small Python scanner (strings, triple-quoted strings, brackets,
//! comments, backslash continuations), so `%` or `?` inside a string or a bracketed
//! continuation line is left alone. Code cells whose VS Code language
//! (`metadata.vscode.languageId`) is not Python are left out of the module altogether, and a
//! notebook whose kernel language (`metadata.language_info.name`, else
//! `metadata.kernelspec.language`) is not Python is [`NotebookError::Unsupported`].
//!
//! Code inside a masked line is not checked: `x = %time replicate.run(...)` stays v1 code,
//! left for the user (a `%%time` cell body, being Python, is checked and fixed).
//!
//! # Cell numbers
//!
//! Cells are numbered as ruff numbers them: 1-based, counting **every** cell of the notebook
//! (markdown and raw cells included), so `cell 3` is the third cell a reader sees, even when it
//! is only the second code cell. This is ruff's `NotebookIndex` (`raw_cell_index`, the index
//! into the notebook's whole `cells` array, made 1-based), made consistent between diagnostics
//! and diffs in astral-sh/ruff#7662. Diagnostics print as `path:cell 3:2:8` (line and column
//! 1-based within the cell, the column counted in characters as for `.py` files; see
//! [`CellLocation`]), and a cell's diff is headed `--- path:cell 3` / `+++ path:cell 3` (see
//! [`diff_header`]); ruff prints no "No newline at end of file" hint in cell diffs. nbformat 3
//! notebooks number their cells across worksheets in order.
//!
//! # Write-back
//!
//! Only the JSON value of `source` (`input` in nbformat 3) of a cell whose text changed is
//! re-encoded; every other byte of the notebook is copied: indentation, key order, line endings,
//! outputs, metadata, unchanged cells (even with unusual escaping). The new value keeps the
//! original's shape: an array of lines split as nbformat splits them (Python's
//! `str.splitlines(keepends=True)`), laid out with the original array's own whitespace, or a
//! single string. Strings are escaped as JSON requires (`"`, `\`, control characters, with
//! `\n`, `\r`, `\t`, `\b`, `\f` short forms), with non-ASCII characters written raw as nbformat
//! writes them (`ensure_ascii=False`) unless the document escapes non-ASCII as `\uXXXX` and has
//! no raw non-ASCII byte, and `/` escaped only if the document escapes it somewhere.
//!
//! # Parsing
//!
//! The whole document is validated and read with `serde_json` (whose recursion limit of 128
//! applies, and is reported as a JSON error). serde_json gives no byte spans, so a small
//! iterative scanner (no recursion) finds the byte span of each cell's `source` value; each span
//! is decoded again and compared with serde_json's value, so the two readings cannot disagree
//! silently (duplicate keys that make them disagree are reported as unsupported). Everything is
//! linear in the size of the file. Only code cells must have a `source` (a string or an array
//! of strings); markdown and raw cells are never read, so their shape does not matter. A UTF-8
//! byte order mark is accepted and kept.
//!
//! # Code
//!
//! Here the types; `virtual_module` builds the module and splits a fixed one back, `cells`
//! reads the cells with serde_json, `magics` masks IPython syntax, `json_scan` locates the
//! `source` values in the bytes, and `encode` writes new ones.

mod cells;
mod encode;
mod json_scan;
mod magics;
mod virtual_module;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const TAG: &str = "replicate-migrate:";
/// Cell magics whose body IPython runs as Python in the notebook's namespace.
const PYTHON_CELL_MAGICS: &[&str] = &["time", "timeit", "capture", "prun", "debug", "memit"];
/// Characters that, starting a logical line, make it an IPython escape rather than Python.
const ESCAPES: &[u8] = b"!%?/,;";

/// Why a notebook cannot be read, or a fixed module cannot be put back into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotebookError {
    /// Not a JSON document (or not UTF-8); the message says where.
    Json { message: String },
    /// The top level is not an object with a `cells` array (`worksheets[].cells` in nbformat 3).
    NoCells,
    /// A malformed cell; `cell` is its 1-based number counting every cell, as in diagnostics.
    BadCell { cell: usize, message: String },
    /// Valid JSON, but a notebook this module does not handle (nbformat version, language).
    Unsupported { message: String },
    /// The fixed module cannot be split back into cells; the notebook must not be written.
    Boundaries { message: String },
}

impl fmt::Display for NotebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotebookError::Json { message } => f.write_str(message),
            NotebookError::NoCells => f.write_str("notebook has no `cells` array"),
            NotebookError::BadCell { cell, message } => write!(f, "cell {cell}: {message}"),
            NotebookError::Unsupported { message } => write!(f, "unsupported notebook: {message}"),
            NotebookError::Boundaries { message } => {
                write!(f, "cannot split the fixed code back into cells: {message}")
            }
        }
    }
}

impl std::error::Error for NotebookError {}

/// Where a byte of the virtual module is in the notebook: all three numbers 1-based, `cell`
/// counting every cell of the notebook (see the module docs), `column` in characters.
/// Displays as `cell 3:2:8`, to follow `path:` in a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellLocation {
    pub cell: usize,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for CellLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cell {}:{}:{}", self.cell, self.line, self.column)
    }
}

/// The header of a cell's diff, on both the `---` and `+++` lines, as ruff prints it:
/// `path:cell 3`.
pub fn diff_header(path: &str, cell: usize) -> String {
    format!("{path}:cell {cell}")
}

/// A code cell whose text the fixes changed, for a per-cell diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellChange {
    /// The cell's number, as in diagnostics.
    pub cell: usize,
    pub before: String,
    pub after: String,
}

/// A parsed notebook: its bytes, its code cells and the virtual module built from them.
#[derive(Clone)]
pub struct Notebook {
    raw: Vec<u8>,
    module: Vec<u8>,
    cells: Vec<CodeCell>,
    masks: Vec<Mask>,
    nonce: String,
    /// The module's newline, used for boundary lines and the newline added after a cell.
    newline: &'static str,
    style: Style,
    map: CellMap,
}

impl fmt::Debug for Notebook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the bytes: a notebook can carry megabytes of outputs.
        f.debug_struct("Notebook")
            .field("bytes", &self.raw.len())
            .field(
                "code_cells",
                &self.cells.iter().map(|c| c.number).collect::<Vec<_>>(),
            )
            .field("masked_lines", &self.masks.len())
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct CodeCell {
    /// 1-based, counting every cell.
    number: usize,
    text: String,
    /// The byte span of the `source` value in the raw notebook.
    span: Range<usize>,
    shape: Shape,
    boundary: String,
    /// Whether the module adds a newline after the text (which did not end with one).
    added_newline: bool,
}

/// How a `source` value is laid out, to write a new one the same way.
#[derive(Debug, Clone)]
enum Shape {
    String,
    /// An array: the bytes between `[` and the first item, between items, and after the last.
    Array {
        open: Vec<u8>,
        separator: Vec<u8>,
        close: Vec<u8>,
    },
}

#[derive(Debug, Clone)]
struct Mask {
    /// Index into `Notebook::cells`.
    code: usize,
    /// The masked line as it is in the module, without its line ending.
    text: String,
    /// The original line, without its line ending.
    original: String,
}

/// The document's JSON writing conventions.
#[derive(Debug, Clone)]
struct Style {
    escape_non_ascii: bool,
    escape_slash: bool,
    upper_hex: bool,
    newline: &'static str,
    /// The indentation of the root object's first key; `None` for a document on one line.
    indent_unit: Option<Vec<u8>>,
}

/// Locations in one virtual module (the original one, or a fixed one from [`Notebook::map`]).
#[derive(Debug, Clone)]
pub struct CellMap {
    module: Vec<u8>,
    line_starts: Vec<usize>,
    cells: Vec<MapCell>,
    /// Module line indexes (0-based) of masked lines, ascending.
    masked: Vec<usize>,
}

#[derive(Debug, Clone)]
struct MapCell {
    number: usize,
    /// Module line index (0-based) of the cell's first line; its boundary is the line before.
    first_line: usize,
    /// How many lines the cell has (at least 1).
    lines: usize,
}

impl CellMap {
    /// The cell, line and column of a byte offset of this map's module. An offset on a boundary
    /// line is the start of the cell it opens; one on a masked line is column 1 of that line; one
    /// past a cell's last line is the end of that line. `None` only when there is no code cell.
    pub fn location(&self, offset: usize) -> Option<CellLocation> {
        if self.cells.is_empty() {
            return None;
        }
        let offset = offset.min(self.module.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let index = self
            .cells
            .partition_point(|c| c.first_line <= line + 1)
            .saturating_sub(1);
        let cell = &self.cells[index];
        if line < cell.first_line {
            return Some(CellLocation {
                cell: cell.number,
                line: 1,
                column: 1,
            });
        }
        let in_cell = line - cell.first_line + 1;
        let (line, in_cell, end) = if in_cell > cell.lines {
            let last = cell.first_line + cell.lines - 1;
            (last, cell.lines, self.line_end(last))
        } else {
            (line, in_cell, offset)
        };
        let column = if self.masked.binary_search(&line).is_ok() {
            1
        } else {
            let start = self.line_starts[line].min(end);
            String::from_utf8_lossy(&self.module[start..end])
                .chars()
                .count()
                + 1
        };
        Some(CellLocation {
            cell: cell.number,
            line: in_cell,
            column,
        })
    }

    /// The offset of the end of a module line's content (before its line ending).
    fn line_end(&self, line: usize) -> usize {
        let start = self.line_starts[line];
        match self.line_starts.get(line + 1) {
            Some(&next) if next - 1 > start && self.module[next - 2] == b'\r' => next - 2,
            Some(&next) => next - 1,
            None => self.module.len(),
        }
    }
}

fn boundaries(message: impl Into<String>) -> NotebookError {
    NotebookError::Boundaries {
        message: message.into(),
    }
}

fn unlocatable() -> NotebookError {
    NotebookError::Unsupported {
        message: "the cells' sources cannot be located in the JSON text (duplicate keys?)".into(),
    }
}

fn reencode_error(number: usize) -> NotebookError {
    NotebookError::Boundaries {
        message: format!("internal error: the new source of cell {number} does not read back"),
    }
}

fn json_error(e: &serde_json::Error) -> NotebookError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    NotebookError::Json {
        message: format!(
            "not valid JSON at line {} column {}: {what}",
            e.line(),
            e.column()
        ),
    }
}
