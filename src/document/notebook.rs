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

use std::fmt;
use std::ops::Range;

use memchr::memmem;
use serde_json::Value;

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

/// One cell's part of a module, after splitting on the boundaries.
struct Segment {
    code: usize,
    /// The cell's text, masked lines restored and the added newline taken off.
    text: Vec<u8>,
    first_line: usize,
    masked: Vec<usize>,
}

impl Notebook {
    /// Reads a notebook (nbformat 4, or nbformat 3 with `worksheets`) and builds its module.
    pub fn parse(raw: &[u8]) -> Result<Notebook, NotebookError> {
        let body_start = if raw.starts_with(BOM) { BOM.len() } else { 0 };
        let body = &raw[body_start..];
        if let Err(e) = std::str::from_utf8(body) {
            let (line, column) = line_column(body, e.valid_up_to());
            return Err(NotebookError::Json {
                message: format!("not valid UTF-8 at line {line} column {column}"),
            });
        }
        let root: Value = serde_json::from_slice(body).map_err(|e| json_error(&e))?;
        let (layout, infos) = read_cells(&root)?;
        let scanned = scan(raw, body_start, layout).map_err(|message| NotebookError::Json {
            message: format!("not valid JSON: {message}"),
        })?;
        if scanned.cells.len() != infos.len() {
            return Err(unlocatable());
        }
        let style = Style::detect(body, &scanned.stats);

        // Per Python code cell: its number, text and source spans.
        let mut texts: Vec<(usize, String, SourceSpans)> = Vec::new();
        for (k, (info, spans)) in infos.into_iter().zip(scanned.cells).enumerate() {
            let Some(source) = info else { continue };
            let Some(spans) = spans else {
                return Err(unlocatable());
            };
            let again: Value =
                serde_json::from_slice(&raw[spans.span.clone()]).map_err(|_| unlocatable())?;
            if &again != source {
                return Err(unlocatable());
            }
            texts.push((k + 1, source_text(source), spans));
        }

        let nonce = make_nonce(raw, texts.iter().map(|t| t.1.as_str()));
        let newline = texts
            .iter()
            .find_map(|t| {
                let at = t.1.find('\n')?;
                Some(if t.1[..at].ends_with('\r') {
                    "\r\n"
                } else {
                    "\n"
                })
            })
            .unwrap_or("\n");

        let mut module = String::new();
        let mut cells = Vec::with_capacity(texts.len());
        let mut masks = Vec::new();
        for (code, (number, text, SourceSpans { span, items })) in texts.into_iter().enumerate() {
            let boundary = format!("# {TAG} cell {number} {nonce}");
            module.push_str(&boundary);
            module.push_str(newline);
            module.push_str(&mask_cell(&text, code, &nonce, &mut masks));
            let added_newline = !text.is_empty() && !text.ends_with('\n');
            if added_newline {
                module.push_str(newline);
            }
            let shape = Shape::of(raw, &span, items.as_deref(), &style);
            cells.push(CodeCell {
                number,
                text,
                span,
                shape,
                boundary,
                added_newline,
            });
        }

        let mut notebook = Notebook {
            raw: raw.to_vec(),
            module: module.into_bytes(),
            cells,
            masks,
            nonce,
            newline,
            style,
            map: CellMap {
                module: Vec::new(),
                line_starts: vec![0],
                cells: Vec::new(),
                masked: Vec::new(),
            },
        };
        // Splitting our own module must give back every cell's text: this checks the masking.
        let segments = notebook.split(&notebook.module)?;
        if segments
            .iter()
            .any(|s| s.text != notebook.cells[s.code].text.as_bytes())
        {
            return Err(NotebookError::Unsupported {
                message: "internal error: the cells do not survive their own round trip".into(),
            });
        }
        notebook.map = notebook.build_map(&notebook.module, segments);
        Ok(notebook)
    }

    /// The virtual Python module: every code cell, each after its boundary line.
    pub fn module(&self) -> &[u8] {
        &self.module
    }

    /// How many code cells the module holds.
    pub fn code_cell_count(&self) -> usize {
        self.cells.len()
    }

    /// Where an offset of [`Notebook::module`] is; `None` only when there is no code cell.
    pub fn location(&self, offset: usize) -> Option<CellLocation> {
        self.map.location(offset)
    }

    /// The locations of a fixed module, for diagnostics reported after fixing.
    pub fn map(&self, module: &[u8]) -> Result<CellMap, NotebookError> {
        let segments = self.split(module)?;
        Ok(self.build_map(module, segments))
    }

    /// The original text of every code cell with its number, in order.
    pub fn cell_sources(&self) -> Vec<(usize, String)> {
        self.cells
            .iter()
            .map(|c| (c.number, c.text.clone()))
            .collect()
    }

    /// The text of every code cell in a fixed module, in the order of [`Notebook::cell_sources`].
    pub fn cells_of(&self, fixed: &[u8]) -> Result<Vec<(usize, String)>, NotebookError> {
        self.split(fixed)?
            .into_iter()
            .map(|s| {
                let number = self.cells[s.code].number;
                String::from_utf8(s.text)
                    .map(|text| (number, text))
                    .map_err(|_| NotebookError::Boundaries {
                        message: format!("the fixed text of cell {number} is not valid UTF-8"),
                    })
            })
            .collect()
    }

    /// The cells a fixed module changes, with their text before and after.
    pub fn changed_cells(&self, fixed: &[u8]) -> Result<Vec<CellChange>, NotebookError> {
        Ok(self
            .cells_of(fixed)?
            .into_iter()
            .zip(&self.cells)
            .filter(|((_, after), cell)| *after != cell.text)
            .map(|((number, after), cell)| CellChange {
                cell: number,
                before: cell.text.clone(),
                after,
            })
            .collect())
    }

    /// The notebook's bytes with a fixed module put back: identical outside the `source` values
    /// of the cells whose text changed.
    pub fn with_module(&self, fixed: &[u8]) -> Result<Vec<u8>, NotebookError> {
        let texts = self.cells_of(fixed)?;
        let mut out = Vec::with_capacity(self.raw.len() + fixed.len() / 8);
        let mut copied = 0;
        for ((_, text), cell) in texts.iter().zip(&self.cells) {
            if *text == cell.text {
                continue;
            }
            let encoded = cell.shape.encode(text, &self.style);
            // The new value must read back as the text: a last guard before writing a file.
            let back: Value =
                serde_json::from_slice(&encoded).map_err(|_| reencode_error(cell.number))?;
            if source_text(&back) != *text {
                return Err(reencode_error(cell.number));
            }
            out.extend_from_slice(&self.raw[copied..cell.span.start]);
            out.extend_from_slice(&encoded);
            copied = cell.span.end;
        }
        out.extend_from_slice(&self.raw[copied..]);
        Ok(out)
    }

    /// Splits a module on the boundaries and restores the masked lines.
    fn split(&self, module: &[u8]) -> Result<Vec<Segment>, NotebookError> {
        let finder = memmem::Finder::new(self.nonce.as_bytes());
        let mut segments: Vec<Segment> = Vec::with_capacity(self.cells.len());
        let mut next_mask = 0;
        let mut pos = 0;
        let mut line_no = 0;
        while pos < module.len() {
            let end = memchr::memchr(b'\n', &module[pos..]).map_or(module.len(), |i| pos + i + 1);
            let line = &module[pos..end];
            if finder.find(line).is_none() {
                match segments.last_mut() {
                    Some(segment) => segment.text.extend_from_slice(line),
                    None => return Err(boundaries("there is code before the first cell's marker")),
                }
            } else {
                let (content, eol) = split_eol(line);
                match self.marker(content) {
                    Some(Marker::Cell(number)) => {
                        let expected = self.cells.get(segments.len());
                        match expected {
                            Some(cell)
                                if cell.number == number && content == cell.boundary.as_bytes() =>
                            {
                                segments.push(Segment {
                                    code: segments.len(),
                                    text: Vec::new(),
                                    first_line: line_no + 1,
                                    masked: Vec::new(),
                                });
                            }
                            Some(cell) if cell.number == number => {
                                return Err(boundaries(format!(
                                    "the marker of cell {number} was edited"
                                )))
                            }
                            Some(cell) if number < cell.number => {
                                return Err(boundaries(format!(
                                    "the marker of cell {number} appears twice or out of order"
                                )))
                            }
                            Some(cell) => {
                                return Err(boundaries(format!(
                                    "the marker of cell {} is missing",
                                    cell.number
                                )))
                            }
                            None => {
                                return Err(boundaries(format!(
                                    "the marker of cell {number} appears twice or out of order"
                                )))
                            }
                        }
                    }
                    Some(Marker::Magic(id)) => {
                        let mask = self.masks.get(id).filter(|_| id == next_mask);
                        let segment = segments.last_mut();
                        match (mask, segment) {
                            (Some(mask), Some(segment))
                                if mask.code == segment.code && content == mask.text.as_bytes() =>
                            {
                                segment.text.extend_from_slice(mask.original.as_bytes());
                                segment.text.extend_from_slice(eol);
                                segment.masked.push(line_no);
                                next_mask += 1;
                            }
                            _ => return Err(self.mask_error(id, next_mask)),
                        }
                    }
                    None => {
                        return Err(boundaries(format!(
                            "a marker line was edited: `{}`",
                            String::from_utf8_lossy(content).trim()
                        )))
                    }
                }
            }
            pos = end;
            line_no += 1;
        }
        if let Some(cell) = self.cells.get(segments.len()) {
            return Err(boundaries(format!(
                "the marker of cell {} is missing",
                cell.number
            )));
        }
        if let Some(mask) = self.masks.get(next_mask) {
            return Err(boundaries(format!(
                "the IPython line `{}` of cell {} is missing",
                mask.original.trim(),
                self.cells[mask.code].number
            )));
        }
        for segment in &mut segments {
            if self.cells[segment.code].added_newline
                && segment.text.ends_with(self.newline.as_bytes())
            {
                segment
                    .text
                    .truncate(segment.text.len() - self.newline.len());
            }
        }
        Ok(segments)
    }

    fn mask_error(&self, id: usize, expected: usize) -> NotebookError {
        let describe = |id: usize| match self.masks.get(id) {
            Some(mask) => format!(
                "the IPython line `{}` of cell {}",
                mask.original.trim(),
                self.cells[mask.code].number
            ),
            None => "an IPython line".to_string(),
        };
        if id == expected {
            boundaries(format!("{} was moved or edited", describe(id)))
        } else if id < expected {
            boundaries(format!("{} appears twice", describe(id)))
        } else {
            boundaries(format!("{} is missing", describe(expected)))
        }
    }

    /// What a line holding the nonce claims to be.
    fn marker(&self, content: &[u8]) -> Option<Marker> {
        let text = std::str::from_utf8(content).ok()?;
        let at = text.find(TAG)?;
        let mut words = text[at + TAG.len()..].split_whitespace();
        let kind = words.next()?;
        let number: usize = words.next()?.parse().ok()?;
        if words.next()? != self.nonce || words.next().is_some() {
            return None;
        }
        match kind {
            "cell" => Some(Marker::Cell(number)),
            "magic" => Some(Marker::Magic(number)),
            _ => None,
        }
    }

    fn build_map(&self, module: &[u8], segments: Vec<Segment>) -> CellMap {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', module).map(|i| i + 1));
        let mut masked = Vec::new();
        let cells = segments
            .into_iter()
            .map(|s| {
                masked.extend_from_slice(&s.masked);
                let breaks = memchr::memchr_iter(b'\n', &s.text).count();
                let lines = breaks + usize::from(!s.text.ends_with(b"\n"));
                MapCell {
                    number: self.cells[s.code].number,
                    first_line: s.first_line,
                    lines: lines.max(1),
                }
            })
            .collect();
        CellMap {
            module: module.to_vec(),
            line_starts,
            cells,
            masked,
        }
    }
}

enum Marker {
    Cell(usize),
    Magic(usize),
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

/// 1-based line and column (in bytes) of an offset, for messages.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, before.len() - start + 1)
}

fn split_eol(line: &[u8]) -> (&[u8], &[u8]) {
    if line.ends_with(b"\r\n") {
        line.split_at(line.len() - 2)
    } else if line.ends_with(b"\n") {
        line.split_at(line.len() - 1)
    } else {
        (line, &[])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// nbformat 4: `cells[].source`.
    V4,
    /// nbformat 3: `worksheets[].cells[].input`.
    V3,
}

/// Reads the cells with serde_json: per cell, the `source` value of a Python code cell.
fn read_cells(root: &Value) -> Result<(Layout, Vec<Option<&Value>>), NotebookError> {
    let Some(object) = root.as_object() else {
        return Err(NotebookError::NoCells);
    };
    let layout = match object.get("nbformat") {
        None if object.contains_key("worksheets") && !object.contains_key("cells") => Layout::V3,
        None => Layout::V4,
        Some(version) => match version.as_u64() {
            Some(4) => Layout::V4,
            Some(3) => Layout::V3,
            Some(n) => {
                return Err(NotebookError::Unsupported {
                    message: format!("nbformat {n} (only nbformat 4 and 3 are read)"),
                })
            }
            None => {
                return Err(NotebookError::Unsupported {
                    message: format!("`nbformat` is {version}, not a version number"),
                })
            }
        },
    };
    let metadata = object.get("metadata");
    let language = metadata
        .and_then(|m| m.pointer("/language_info/name"))
        .or_else(|| metadata.and_then(|m| m.pointer("/kernelspec/language")))
        .and_then(Value::as_str);
    if let Some(language) = language {
        if !is_python(language) {
            return Err(NotebookError::Unsupported {
                message: format!("the notebook's language is {language}, not Python"),
            });
        }
    }

    let mut cells: Vec<&Value> = Vec::new();
    match layout {
        Layout::V4 => {
            let list = object.get("cells").and_then(Value::as_array);
            cells.extend(list.ok_or(NotebookError::NoCells)?);
        }
        Layout::V3 => {
            let worksheets = object.get("worksheets").and_then(Value::as_array);
            for worksheet in worksheets.ok_or(NotebookError::NoCells)? {
                let list = worksheet.get("cells").and_then(Value::as_array);
                cells.extend(list.ok_or(NotebookError::NoCells)?);
            }
        }
    }
    let source_key = match layout {
        Layout::V4 => "source",
        Layout::V3 => "input",
    };

    let mut out = Vec::with_capacity(cells.len());
    for (k, cell) in cells.into_iter().enumerate() {
        let bad = |message: String| NotebookError::BadCell {
            cell: k + 1,
            message,
        };
        let Some(cell) = cell.as_object() else {
            return Err(bad("is not a JSON object".into()));
        };
        let kind = match cell.get("cell_type") {
            None => return Err(bad("has no `cell_type`".into())),
            Some(kind) => kind
                .as_str()
                .ok_or_else(|| bad("`cell_type` is not a string".into()))?,
        };
        if kind != "code" {
            out.push(None);
            continue;
        }
        let cell_language = match layout {
            Layout::V4 => cell
                .get("metadata")
                .and_then(|m| m.pointer("/vscode/languageId")),
            Layout::V3 => cell.get("language"),
        };
        if cell_language
            .and_then(Value::as_str)
            .is_some_and(|l| !is_python(l))
        {
            out.push(None);
            continue;
        }
        let Some(source) = cell.get(source_key) else {
            return Err(bad(format!("code cell has no `{source_key}`")));
        };
        match source {
            Value::String(_) => {}
            Value::Array(items) => {
                if let Some(j) = items.iter().position(|i| !i.is_string()) {
                    return Err(bad(format!(
                        "`{source_key}` line {} is not a string",
                        j + 1
                    )));
                }
            }
            _ => {
                return Err(bad(format!(
                    "`{source_key}` is neither a string nor an array of strings"
                )))
            }
        }
        out.push(Some(source));
    }
    Ok((layout, out))
}

/// Whether a kernel or cell language is Python (an empty name says nothing).
fn is_python(language: &str) -> bool {
    let language = language.to_ascii_lowercase();
    language.is_empty() || language.starts_with("python") || language.starts_with("ipython")
}

/// The text of a `source` value already checked to be a string or an array of strings.
fn source_text(source: &Value) -> String {
    match source {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// A nonce occurring nowhere in the notebook, derived from the code so that runs are repeatable.
fn make_nonce<'a>(raw: &[u8], texts: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
    for text in texts.clone() {
        for &b in text.as_bytes() {
            seed = (seed ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        seed = (seed ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    }
    let mut salt: u64 = 0;
    loop {
        let mut h = seed ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // A finaliser (splitmix64) so that nearby salts give unrelated nonces.
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^= h >> 31;
        let nonce = format!("{h:016x}");
        if memmem::find(raw, nonce.as_bytes()).is_none()
            && texts.clone().all(|t| !t.contains(&nonce))
        {
            return nonce;
        }
        salt += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// IPython masking

/// The physical lines of a text: content (without `\n` or `\r\n`) and line ending.
fn physical_lines(text: &str) -> Vec<(&str, &str)> {
    text.split_inclusive('\n')
        .map(|line| {
            let (content, eol) = split_eol(line.as_bytes());
            // Both splits are at ASCII bytes, so at char boundaries.
            (
                &line[..content.len()],
                &line[content.len()..content.len() + eol.len()],
            )
        })
        .collect()
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
}

fn indent_of(line: &str) -> &str {
    let n = line
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    &line[..n]
}

/// A cell's text with its IPython lines masked; the masks are recorded in `masks`.
fn mask_cell(text: &str, code: usize, nonce: &str, masks: &mut Vec<Mask>) -> String {
    let lines = physical_lines(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut mask = |out: &mut String, (content, eol): (&str, &str), indent: &str| {
        let id = masks.len();
        let masked = if indent.is_empty() {
            format!("# {TAG} magic {id} {nonce}")
        } else {
            format!("{indent}pass  # {TAG} magic {id} {nonce}")
        };
        out.push_str(&masked);
        out.push_str(eol);
        masks.push(Mask {
            code,
            text: masked,
            original: content.to_string(),
        });
    };

    let mut start = 0;
    if let Some(first) = lines.iter().position(|(content, _)| !is_blank(content)) {
        if let Some(magic) = lines[first]
            .0
            .trim_start_matches([' ', '\t'])
            .strip_prefix("%%")
        {
            for (content, eol) in &lines[..first] {
                out.push_str(content);
                out.push_str(eol);
            }
            mask(&mut out, lines[first], "");
            let name_len = magic
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if !PYTHON_CELL_MAGICS.contains(&&magic[..name_len]) {
                for &line in &lines[first + 1..] {
                    if is_blank(line.0) {
                        out.push_str(line.0);
                        out.push_str(line.1);
                    } else {
                        mask(&mut out, line, "");
                    }
                }
                return out;
            }
            start = first + 1;
        }
    }

    let mut state = PyState::default();
    // The physical lines of the logical line being read, and whether it is IPython syntax.
    let mut pending: Vec<usize> = Vec::new();
    let mut flagged = false;
    let mut i = start;
    while i < lines.len() {
        let (content, _) = lines[i];
        if pending.is_empty() {
            let indent = indent_of(content);
            if content[indent.len()..]
                .bytes()
                .next()
                .is_some_and(|b| ESCAPES.contains(&b))
            {
                // An escaped line is opaque to Python; it goes on after a trailing backslash.
                loop {
                    mask(&mut out, lines[i], indent);
                    let continued = lines[i].0.ends_with('\\');
                    i += 1;
                    if !continued || i == lines.len() {
                        break;
                    }
                }
                continue;
            }
        }
        pending.push(i);
        let (ends, magic) = state.scan_line(content.as_bytes());
        flagged |= magic;
        i += 1;
        if ends || i == lines.len() {
            let indent = indent_of(lines[pending[0]].0);
            for &p in &pending {
                if flagged {
                    mask(&mut out, lines[p], indent);
                } else {
                    out.push_str(lines[p].0);
                    out.push_str(lines[p].1);
                }
            }
            pending.clear();
            flagged = false;
        }
    }
    out
}

/// Just enough of Python's tokeniser to know where logical lines end.
#[derive(Default)]
struct PyState {
    /// Inside a string: its quote and whether it is triple-quoted.
    string: Option<(u8, bool)>,
    depth: usize,
}

impl PyState {
    /// Reads one physical line: whether the logical line ends with it, and whether it holds
    /// IPython syntax (`?` outside strings and comments, or `= !`/`= %`).
    fn scan_line(&mut self, s: &[u8]) -> (bool, bool) {
        let mut magic = false;
        let mut continued = false;
        let mut i = 0;
        while i < s.len() {
            let b = s[i];
            if let Some((quote, triple)) = self.string {
                if b == b'\\' {
                    continued = i + 1 == s.len();
                    i += 2;
                } else if b == quote && (!triple || s[i..].starts_with(&[quote; 3])) {
                    self.string = None;
                    i += if triple { 3 } else { 1 };
                } else {
                    i += 1;
                }
                continue;
            }
            match b {
                b'#' => break,
                b'"' | b'\'' => {
                    let triple = s[i..].starts_with(&[b; 3]);
                    self.string = Some((b, triple));
                    i += if triple { 3 } else { 1 };
                }
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    i += 1;
                }
                b'?' => {
                    magic = true;
                    i += 1;
                }
                b'=' => {
                    let rest = &s[i + 1..];
                    let after = rest.iter().position(|c| !matches!(c, b' ' | b'\t'));
                    if after.is_some_and(|a| matches!(rest[a], b'!' | b'%')) {
                        // `x = !cmd`: the rest of the line is opaque, as in IPython.
                        self.string = None;
                        self.depth = 0;
                        return (!s.ends_with(b"\\"), true);
                    }
                    i += 1;
                }
                b'\\' => {
                    continued = i + 1 == s.len();
                    i += 2;
                }
                _ => i += 1,
            }
        }
        if let Some((_, false)) = self.string {
            if !continued {
                // An unterminated one-line string ends with its line (a syntax error anyway).
                self.string = None;
            }
        }
        let ends = self.string.is_none() && self.depth == 0 && !continued;
        (ends, magic)
    }
}

// ---------------------------------------------------------------------------------------------
// JSON: locating the sources, and writing new ones

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    Cells,
    Worksheets,
    Source,
    OtherKey,
    Index(usize),
}

struct Frame {
    object: bool,
    /// The current key (objects) or index (arrays).
    elem: Elem,
    start: usize,
}

#[derive(Default)]
struct EscapeStats {
    escaped_non_ascii: bool,
    escaped_slash: bool,
    upper_hex: usize,
    lower_hex: usize,
}

struct SourceSpans {
    span: Range<usize>,
    /// The items' spans, when the value is an array.
    items: Option<Vec<Range<usize>>>,
}

struct Scanned {
    /// Per cell in document order, its `source` value's spans, if it has one.
    cells: Vec<Option<SourceSpans>>,
    stats: EscapeStats,
}

enum Place {
    CellList,
    Cell,
    Source,
    SourceItem,
    Other,
}

/// What the value about to start (or just finished) under this stack is.
fn place(stack: &[Frame], layout: Layout) -> Place {
    let rest = match layout {
        Layout::V4 => match stack.first() {
            Some(f) if f.elem == Elem::Cells => &stack[1..],
            _ => return Place::Other,
        },
        Layout::V3 => match stack {
            [w, Frame {
                elem: Elem::Index(_),
                ..
            }, c, rest @ ..]
                if w.elem == Elem::Worksheets && c.elem == Elem::Cells =>
            {
                rest
            }
            _ => return Place::Other,
        },
    };
    let index = |f: &Frame| matches!(f.elem, Elem::Index(_));
    match rest {
        [] if layout == Layout::V4 => Place::CellList,
        [a] if index(a) => Place::Cell,
        [a, b] if index(a) && b.elem == Elem::Source => Place::Source,
        [a, b, c] if index(a) && b.elem == Elem::Source && index(c) => Place::SourceItem,
        _ => Place::Other,
    }
}

fn key_elem(depth: usize, key: &[u8], layout: Layout) -> Elem {
    match (layout, depth, key) {
        (Layout::V4, 0, b"cells") => Elem::Cells,
        (Layout::V4, 2, b"source") => Elem::Source,
        (Layout::V3, 0, b"worksheets") => Elem::Worksheets,
        (Layout::V3, 2, b"cells") => Elem::Cells,
        (Layout::V3, 4, b"input") => Elem::Source,
        _ => Elem::OtherKey,
    }
}

fn skip_ws(raw: &[u8], mut i: usize) -> usize {
    while i < raw.len() && matches!(raw[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Finds each cell's `source` span with an explicit stack (no recursion). The document was
/// already validated by serde_json; errors here are defensive.
fn scan(raw: &[u8], from: usize, layout: Layout) -> Result<Scanned, String> {
    let mut out = Scanned {
        cells: Vec::new(),
        stats: EscapeStats::default(),
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut i = from;
    loop {
        // A value starts.
        i = skip_ws(raw, i);
        let start = i;
        match place(&stack, layout) {
            Place::CellList => out.cells.clear(),
            Place::Cell => out.cells.push(None),
            Place::Source => items.clear(),
            _ => {}
        }
        let byte = *raw.get(i).ok_or("unexpected end of the document")?;
        let mut opened = false;
        match byte {
            b'{' | b'[' => {
                let object = byte == b'{';
                i = skip_ws(raw, i + 1);
                if raw.get(i) == Some(if object { &b'}' } else { &b']' }) {
                    i += 1;
                } else {
                    let elem = if object {
                        let (elem, next) = read_key(raw, i, stack.len(), layout, &mut out.stats)?;
                        i = next;
                        elem
                    } else {
                        Elem::Index(0)
                    };
                    stack.push(Frame {
                        object,
                        elem,
                        start,
                    });
                    opened = true;
                }
            }
            b'"' => i = scan_string(raw, i, &mut out.stats)?,
            _ => {
                while i < raw.len()
                    && !matches!(raw[i], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    i += 1;
                }
                if i == start {
                    return Err(format!("unexpected byte at offset {i}"));
                }
            }
        }
        if opened {
            continue;
        }
        // A value [start, i) is finished; close the containers it finishes.
        let mut value_start = start;
        loop {
            match place(&stack, layout) {
                Place::Source => {
                    let spans = SourceSpans {
                        span: value_start..i,
                        items: (raw[value_start] == b'[').then(|| std::mem::take(&mut items)),
                    };
                    if let Some(cell) = out.cells.last_mut() {
                        *cell = Some(spans);
                    }
                }
                Place::SourceItem => items.push(value_start..i),
                _ => {}
            }
            let depth = stack.len();
            let Some(top) = stack.last_mut() else {
                return if skip_ws(raw, i) == raw.len() {
                    Ok(out)
                } else {
                    Err("text after the document".into())
                };
            };
            i = skip_ws(raw, i);
            match raw.get(i) {
                Some(b',') => {
                    i = skip_ws(raw, i + 1);
                    if top.object {
                        let (elem, next) = read_key(raw, i, depth - 1, layout, &mut out.stats)?;
                        top.elem = elem;
                        i = next;
                    } else if let Elem::Index(n) = top.elem {
                        top.elem = Elem::Index(n + 1);
                    }
                    break;
                }
                Some(b'}') if top.object => {}
                Some(b']') if !top.object => {}
                _ => return Err(format!("unexpected byte at offset {i}")),
            }
            i += 1;
            value_start = top.start;
            stack.pop();
        }
    }
}

/// Reads `"key" :` at `i`; returns what the key is and the offset after the colon.
fn read_key(
    raw: &[u8],
    i: usize,
    depth: usize,
    layout: Layout,
    stats: &mut EscapeStats,
) -> Result<(Elem, usize), String> {
    if raw.get(i) != Some(&b'"') {
        return Err(format!("expected a key at offset {i}"));
    }
    let end = scan_string(raw, i, stats)?;
    let key = &raw[i + 1..end - 1];
    let elem = if memchr::memchr(b'\\', key).is_some() {
        let decoded: String = serde_json::from_slice(&raw[i..end]).map_err(|e| e.to_string())?;
        key_elem(depth, decoded.as_bytes(), layout)
    } else {
        key_elem(depth, key, layout)
    };
    let colon = skip_ws(raw, end);
    if raw.get(colon) != Some(&b':') {
        return Err(format!("expected `:` at offset {colon}"));
    }
    Ok((elem, colon + 1))
}

/// Skips the string starting at `i` (a `"`); returns the offset after its closing quote.
fn scan_string(raw: &[u8], i: usize, stats: &mut EscapeStats) -> Result<usize, String> {
    let mut j = i + 1;
    loop {
        let k = j + memchr::memchr2(b'"', b'\\', raw.get(j..).unwrap_or_default())
            .ok_or("unterminated string")?;
        if raw[k] == b'"' {
            return Ok(k + 1);
        }
        match raw.get(k + 1) {
            Some(b'u') => {
                let hex = raw.get(k + 2..k + 6).ok_or("unterminated escape")?;
                let code = std::str::from_utf8(hex)
                    .ok()
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .ok_or("bad \\u escape")?;
                if code >= 0x80 {
                    stats.escaped_non_ascii = true;
                }
                stats.upper_hex += hex.iter().filter(|h| matches!(h, b'A'..=b'F')).count();
                stats.lower_hex += hex.iter().filter(|h| matches!(h, b'a'..=b'f')).count();
                j = k + 6;
            }
            Some(b'/') => {
                stats.escaped_slash = true;
                j = k + 2;
            }
            Some(_) => j = k + 2,
            None => return Err("unterminated string".into()),
        }
    }
}

impl Style {
    fn detect(body: &[u8], stats: &EscapeStats) -> Style {
        let raw_non_ascii = body.iter().any(|b| *b >= 0x80);
        let first_break = memchr::memchr(b'\n', body);
        let newline = match first_break {
            Some(i) if i > 0 && body[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let indent_unit = first_break.map(|i| {
            body[i + 1..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .copied()
                .collect()
        });
        Style {
            escape_non_ascii: stats.escaped_non_ascii && !raw_non_ascii,
            escape_slash: stats.escaped_slash,
            upper_hex: stats.upper_hex > stats.lower_hex,
            newline,
            indent_unit,
        }
    }

    fn escape_into(&self, out: &mut Vec<u8>, s: &str) {
        out.push(b'"');
        for c in s.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\u{c}' => out.extend_from_slice(b"\\f"),
                '/' if self.escape_slash => out.extend_from_slice(b"\\/"),
                c if (c as u32) < 0x20 || (self.escape_non_ascii && (c as u32) >= 0x7f) => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let hex = if self.upper_hex {
                            format!("\\u{unit:04X}")
                        } else {
                            format!("\\u{unit:04x}")
                        };
                        out.extend_from_slice(hex.as_bytes());
                    }
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out.push(b'"');
    }
}

impl Shape {
    fn of(raw: &[u8], span: &Range<usize>, items: Option<&[Range<usize>]>, style: &Style) -> Shape {
        let Some(items) = items else {
            return Shape::String;
        };
        if let (Some(first), Some(last)) = (items.first(), items.last()) {
            let open = raw[span.start + 1..first.start].to_vec();
            let close = raw[last.end..span.end - 1].to_vec();
            let separator = match items.get(1) {
                Some(second) => raw[first.end..second.start].to_vec(),
                None => [b",".as_slice(), &open].concat(),
            };
            return Shape::Array {
                open,
                separator,
                close,
            };
        }
        // An empty array: lay the lines out one indentation step deeper than the key's line.
        match &style.indent_unit {
            None => Shape::Array {
                open: Vec::new(),
                separator: b",".to_vec(),
                close: Vec::new(),
            },
            Some(unit) => {
                let line_start = memchr::memrchr(b'\n', &raw[..span.start]).map_or(0, |i| i + 1);
                let indent: Vec<u8> = raw[line_start..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .copied()
                    .collect();
                let close = [style.newline.as_bytes(), &indent].concat();
                let open = [close.as_slice(), unit].concat();
                Shape::Array {
                    separator: [b",".as_slice(), &open].concat(),
                    open,
                    close,
                }
            }
        }
    }

    fn encode(&self, text: &str, style: &Style) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 16);
        match self {
            Shape::String => style.escape_into(&mut out, text),
            Shape::Array {
                open,
                separator,
                close,
            } => {
                let lines = split_lines_keepends(text);
                out.push(b'[');
                if !lines.is_empty() {
                    out.extend_from_slice(open);
                    for (n, line) in lines.iter().enumerate() {
                        if n > 0 {
                            out.extend_from_slice(separator);
                        }
                        style.escape_into(&mut out, line);
                    }
                    out.extend_from_slice(close);
                }
                out.push(b']');
            }
        }
        out
    }
}

/// Python's `str.splitlines(keepends=True)`, which nbformat uses to write `source` arrays.
fn split_lines_keepends(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = match c {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {
                chars.next();
                i + 2
            }
            '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}'
            | '\u{2028}' | '\u{2029}' => i + c.len_utf8(),
            _ => continue,
        };
        lines.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL_PROJECT: &str = include_str!("../../fixtures/notebooks/real_project.ipynb");
    const INDENT2_UNSORTED: &str = include_str!("../../fixtures/notebooks/indent2_unsorted.ipynb");
    const LEGACY_V3: &str = include_str!("../../fixtures/notebooks/legacy_nbformat3.ipynb");

    /// Five cells as nbformat writes them (indent 1, sorted keys, final newline); cells 2, 3 and
    /// 5 are code.
    const NBFORMAT: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "a1",
   "metadata": {},
   "source": [
    "# Title"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "a2",
   "metadata": {},
   "outputs": [],
   "source": [
    "import replicate\n",
    "import os"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "id": "a3",
   "metadata": {
    "tags": []
   },
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "['https://replicate.delivery/out.png']\n"
     ]
    }
   ],
   "source": [
    "out = replicate.run(\n",
    "    \"owner/model\",\n",
    "    input={\"prompt\": \"hi\"},\n",
    ")\n",
    "print(out)"
   ]
  },
  {
   "cell_type": "raw",
   "id": "a4",
   "metadata": {},
   "source": []
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "a5",
   "metadata": {},
   "outputs": [],
   "source": []
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3",
   "language": "python",
   "name": "python3"
  },
  "language_info": {
   "name": "python"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

    fn parse(text: &str) -> Notebook {
        Notebook::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn module_str(nb: &Notebook) -> &str {
        std::str::from_utf8(nb.module()).unwrap()
    }

    /// Replaces the one occurrence of `from` in the module, as a fix would.
    fn edit(module: &[u8], from: &str, to: &str) -> Vec<u8> {
        let text = std::str::from_utf8(module).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {text}");
        text.replacen(from, to, 1).into_bytes()
    }

    /// Asserts that CPython compiles the module.
    fn compiles(module: &[u8]) {
        use std::io::Write;
        let mut child = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys; compile(sys.stdin.buffer.read().decode('utf-8'), 'nb', 'exec')",
            ])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 is needed to compile the virtual modules");
        child.stdin.take().unwrap().write_all(module).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "the module does not compile:\n{}\n{}",
            String::from_utf8_lossy(module),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Asserts that `new` equals `old` outside `span` of `old` (and returns the new value).
    fn only_span_changed<'a>(old: &[u8], new: &'a [u8], span: &Range<usize>) -> &'a [u8] {
        let tail = old.len() - span.end;
        assert!(new.len() >= span.start + tail);
        assert_eq!(
            &new[..span.start],
            &old[..span.start],
            "bytes before the span"
        );
        assert_eq!(
            &new[new.len() - tail..],
            &old[span.end..],
            "bytes after the span"
        );
        &new[span.start..new.len() - tail]
    }

    fn unchanged_round_trip(text: &str) -> Notebook {
        let nb = parse(text);
        let out = nb.with_module(nb.module()).unwrap();
        assert!(out == text.as_bytes(), "round trip changed the bytes");
        assert_eq!(nb.cells_of(nb.module()).unwrap(), nb.cell_sources());
        nb
    }

    /// A notebook of code cells, `source` written by serde_json in the given style.
    fn notebook_of(sources: &[Value]) -> String {
        let cells: Vec<String> = sources
            .iter()
            .map(|s| {
                format!(
                    "{{\"cell_type\": \"code\", \"metadata\": {{}}, \"outputs\": [], \"source\": {}}}",
                    serde_json::to_string(s).unwrap()
                )
            })
            .collect();
        format!(
            "{{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {{}}, \"cells\": [\n{}\n]}}\n",
            cells.join(",\n")
        )
    }

    // --- round trips -------------------------------------------------------------------------

    #[test]
    fn round_trip_nbformat_style() {
        let nb = unchanged_round_trip(NBFORMAT);
        assert_eq!(
            nb.cell_sources(),
            vec![
                (2, "import replicate\nimport os".to_string()),
                (3, "out = replicate.run(\n    \"owner/model\",\n    input={\"prompt\": \"hi\"},\n)\nprint(out)".to_string()),
                (5, String::new()),
            ]
        );
        compiles(nb.module());
    }

    #[test]
    fn round_trip_fixtures() {
        for fixture in [REAL_PROJECT, INDENT2_UNSORTED, LEGACY_V3] {
            let nb = unchanged_round_trip(fixture);
            compiles(nb.module());
        }
        // Without the final newline, and with it.
        unchanged_round_trip(REAL_PROJECT.trim_end());
        unchanged_round_trip(&format!("{INDENT2_UNSORTED}\n"));
    }

    #[test]
    fn round_trip_other_writers() {
        // Indent 4, unsorted keys, source as one string.
        let indent4 = "{\n    \"nbformat\": 4,\n    \"nbformat_minor\": 2,\n    \"metadata\": {},\n    \"cells\": [\n        {\n            \"source\": \"import replicate\\nreplicate.run(\\\"a/b\\\")\\n\",\n            \"cell_type\": \"code\",\n            \"outputs\": [],\n            \"metadata\": {},\n            \"execution_count\": null\n        }\n    ]\n}";
        unchanged_round_trip(indent4);
        // The nbformat document with CRLF between JSON tokens.
        unchanged_round_trip(&NBFORMAT.replace('\n', "\r\n"));
        // Tabs, and no whitespace at all.
        unchanged_round_trip(&NBFORMAT.replace("\n ", "\n\t"));
        let minified: Value = serde_json::from_str(NBFORMAT).unwrap();
        unchanged_round_trip(&serde_json::to_string(&minified).unwrap());
        // Non-ASCII raw, and escaped (even unusually: `\/`, upper-case hex, `\u0041`).
        unchanged_round_trip(&notebook_of(&[Value::from(vec![
            "s = \"été 😀\"\n",
            "t = '/'",
        ])]));
        let escaped = r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["s = \"\u00e9t\u00E9 \ud83d\ude00\"\n", "t = '\/'\n", "\u0041 = 1"]}]}"#;
        let nb = unchanged_round_trip(escaped);
        assert_eq!(nb.cell_sources()[0].1, "s = \"été 😀\"\nt = '/'\nA = 1");
        // A UTF-8 byte order mark.
        unchanged_round_trip(&format!("\u{feff}{NBFORMAT}"));
    }

    #[test]
    fn round_trip_large_and_deep_outputs() {
        // A 4 MB base64 image and a deeply nested (but within serde_json's limit) output.
        let image: String = (0..4_000_000)
            .map(|i| (b'A' + (i % 26) as u8) as char)
            .collect();
        let mut nested = String::new();
        for _ in 0..60 {
            nested.push_str("{\"a\": [");
        }
        nested.push_str("\"\\\"]}\"");
        for _ in 0..60 {
            nested.push_str("]}");
        }
        let text = format!(
            r#"{{"cells": [{{"cell_type": "code", "metadata": {{"deep": {nested}}}, "outputs": [{{"data": {{"image/png": "{image}\n", "text/plain": ["<Figure>"]}}, "metadata": {{}}, "output_type": "display_data"}}], "source": ["import replicate"]}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}"#
        );
        let nb = unchanged_round_trip(&text);
        let fixed = edit(
            nb.module(),
            "import replicate",
            "import replicate\nimport os",
        );
        let out = nb.with_module(&fixed).unwrap();
        let value = only_span_changed(text.as_bytes(), &out, &nb.cells[0].span);
        assert_eq!(value, br#"["import replicate\n","import os"]"#);
    }

    #[test]
    fn duplicate_keys_follow_serde_json() {
        // serde_json keeps the last of duplicate keys; so does the scanner.
        let text = r#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": ["old = 1"], "metadata": {}, "source": ["new = 2"]}]}"#;
        let nb = unchanged_round_trip(text);
        assert_eq!(nb.cell_sources(), vec![(1, "new = 2".to_string())]);
        let out = nb
            .with_module(&edit(nb.module(), "new = 2", "new = 3"))
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            text.replace("[\"new = 2\"]", "[\"new = 3\"]")
        );
        let cells_twice = r#"{"cells": [{"cell_type": "code", "source": "a = 1"}], "cells": [{"cell_type": "markdown", "source": ""}, {"cell_type": "code", "source": "b = 1"}]}"#;
        let twice = unchanged_round_trip(cells_twice);
        assert_eq!(twice.cell_sources(), vec![(2, "b = 1".to_string())]);
        let out = twice
            .with_module(&edit(twice.module(), "b = 1", "b = 2"))
            .unwrap();
        assert_eq!(out, cells_twice.replace("b = 1", "b = 2").into_bytes());
    }

    // --- write-back ------------------------------------------------------------------------

    #[test]
    fn edit_in_cell_3_changes_only_its_source() {
        let nb = parse(NBFORMAT);
        let fixed = edit(nb.module(), "out = replicate.run(", "out = client.run(");
        let out = nb.with_module(&fixed).unwrap();
        let span = &nb.cells[1].span;
        assert_eq!(nb.cells[1].number, 3);
        let value = only_span_changed(NBFORMAT.as_bytes(), &out, span);
        assert_eq!(
            std::str::from_utf8(value).unwrap(),
            "[\n    \"out = client.run(\\n\",\n    \"    \\\"owner/model\\\",\\n\",\n    \"    input={\\\"prompt\\\": \\\"hi\\\"},\\n\",\n    \")\\n\",\n    \"print(out)\"\n   ]"
        );
        let again = parse(std::str::from_utf8(&out).unwrap());
        assert_eq!(
            again.cell_sources()[1].1,
            nb.cell_sources()[1]
                .1
                .replace("replicate.run", "client.run")
        );
        assert_eq!(
            nb.changed_cells(&fixed).unwrap(),
            vec![CellChange {
                cell: 3,
                before: nb.cell_sources()[1].1.clone(),
                after: again.cell_sources()[1].1.clone(),
            }]
        );
    }

    #[test]
    fn new_source_follows_the_documents_style() {
        // A single string stays a single string; an import added to the first cell of many.
        let nb = parse(INDENT2_UNSORTED);
        let fixed = edit(
            nb.module(),
            "from replicate import Client\n",
            "from replicate import Client\nimport replicate\n",
        );
        let out = nb.with_module(&fixed).unwrap();
        let value = only_span_changed(INDENT2_UNSORTED.as_bytes(), &out, &nb.cells[1].span);
        assert_eq!(
            std::str::from_utf8(value).unwrap(),
            r#""from replicate import Client\nimport replicate\nfrom google.colab import userdata\n\nclient = Client(api_token=userdata.get(\"REPLICATE_API_TOKEN\"))""#
        );

        // An empty array gets nbformat's layout, one level deeper than its key.
        let nb = parse(NBFORMAT);
        let fixed = [nb.module(), b"x = 1\ny = \"/\"\n".as_slice()].concat();
        let out = nb.with_module(&fixed).unwrap();
        let value = only_span_changed(NBFORMAT.as_bytes(), &out, &nb.cells[2].span);
        assert_eq!(
            value,
            b"[\n    \"x = 1\\n\",\n    \"y = \\\"/\\\"\\n\"\n   ]"
        );

        // An emptied cell is `[]`.
        let cell2 = "import replicate\nimport os\n";
        let fixed = edit(nb.module(), cell2, "");
        let out = nb.with_module(&fixed).unwrap();
        assert_eq!(
            only_span_changed(NBFORMAT.as_bytes(), &out, &nb.cells[0].span),
            b"[]"
        );

        // CRLF between JSON tokens: the array's own whitespace is reused.
        let crlf = NBFORMAT.replace('\n', "\r\n");
        let nb = parse(&crlf);
        let out = nb
            .with_module(&edit(nb.module(), "import os", "import os\nimport sys"))
            .unwrap();
        let value = only_span_changed(crlf.as_bytes(), &out, &nb.cells[0].span);
        assert_eq!(value, b"[\r\n    \"import replicate\\n\",\r\n    \"import os\\n\",\r\n    \"import sys\"\r\n   ]");

        // An empty array in a CRLF document, and a one-line array that grows.
        let fixed = [nb.module(), b"x = 1\n".as_slice()].concat();
        let out = nb.with_module(&fixed).unwrap();
        let value = only_span_changed(crlf.as_bytes(), &out, &nb.cells[2].span);
        assert_eq!(value, b"[\r\n    \"x = 1\\n\"\r\n   ]");
        let nb = parse(REAL_PROJECT);
        let pip = line_of(module_str(&nb), "replicate-migrate: magic 0 ");
        let fixed = edit(nb.module(), pip, &format!("{pip}import sys\n"));
        let out = nb.with_module(&fixed).unwrap();
        let value = only_span_changed(REAL_PROJECT.as_bytes(), &out, &nb.cells[0].span);
        assert_eq!(
            std::str::from_utf8(value).unwrap(),
            "[\n    \"%pip install replicate pillow requests\\n\",\n    \"import sys\"\n   ]"
        );

        // Minified: no whitespace added.
        let minified =
            serde_json::to_string(&serde_json::from_str::<Value>(NBFORMAT).unwrap()).unwrap();
        let nb = parse(&minified);
        let out = nb
            .with_module(&[nb.module(), b"z = 0".as_slice()].concat())
            .unwrap();
        assert_eq!(
            only_span_changed(minified.as_bytes(), &out, &nb.cells[2].span),
            br#"["z = 0"]"#
        );
    }

    #[test]
    fn new_source_escaping() {
        // Raw non-ASCII document (nbformat's ensure_ascii=False): raw; control characters,
        // quotes and backslashes escaped as JSON requires; `/` not escaped.
        let raw_doc = notebook_of(&[Value::from(vec!["s = 'é'"])]);
        let nb = parse(&raw_doc);
        let out = nb
            .with_module(&edit(
                nb.module(),
                "s = 'é'",
                "s = 'é→😀' + \"\\\\\" + '\u{1b}\t/'",
            ))
            .unwrap();
        let value = only_span_changed(raw_doc.as_bytes(), &out, &nb.cells[0].span);
        assert_eq!(
            std::str::from_utf8(value).unwrap(),
            r#"["s = 'é→😀' + \"\\\\\" + '\u001b\t/'"]"#
        );

        // A document escaping non-ASCII (and `/`, in upper-case hex): the same.
        let escaped = r#"{"nbformat": 4, "metadata": {"url": "http:\/\/x"}, "cells": [{"cell_type": "code", "source": ["s = '\u00E9'"]}]}"#;
        let nb = parse(escaped);
        let out = nb
            .with_module(&edit(nb.module(), "s = 'é'", "s = 'é/😀\u{7f}'"))
            .unwrap();
        let value = only_span_changed(escaped.as_bytes(), &out, &nb.cells[0].span);
        assert_eq!(
            std::str::from_utf8(value).unwrap(),
            r#"["s = '\u00E9\/\uD83D\uDE00\u007F'"]"#
        );

        // A cell left alone keeps its unusual escaping even when another cell changes.
        let text = r#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": "\u0061 = '\/'"}, {"cell_type": "code", "source": "b = 2"}]}"#;
        let nb = parse(text);
        let out = nb
            .with_module(&edit(nb.module(), "b = 2", "b = 3"))
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            text.replace("b = 2", "b = 3")
        );
    }

    #[test]
    fn crlf_inside_cells_round_trips() {
        let text = notebook_of(&[
            Value::from(vec![
                "import replicate\r\n",
                "x = replicate.run('a/b')\r\n",
                "%pip list\r\n",
            ]),
            Value::from("y = 1\r\nz = 2"),
        ]);
        let nb = unchanged_round_trip(&text);
        let module = module_str(&nb);
        assert!(
            module.contains("# replicate-migrate: cell 1 ")
                && module.contains("\r\nimport replicate\r\n")
        );
        assert!(
            !module.replace("\r\n", "").contains('\n'),
            "the module's newline follows the cells"
        );
        compiles(nb.module());
        let fixed = edit(
            nb.module(),
            "x = replicate.run('a/b')\r\n",
            "x = replicate.run('a/b')\r\nw = 0\r\n",
        );
        let fixed = edit(&fixed, "z = 2", "z = 3");
        let out = nb.with_module(&fixed).unwrap();
        let again = parse(std::str::from_utf8(&out).unwrap());
        assert_eq!(
            again.cell_sources(),
            vec![
                (
                    1,
                    "import replicate\r\nx = replicate.run('a/b')\r\nw = 0\r\n%pip list\r\n"
                        .to_string()
                ),
                (2, "y = 1\r\nz = 3".to_string()),
            ]
        );
        assert!(String::from_utf8(out).unwrap().contains(r#""w = 0\r\n","#));
    }

    #[test]
    fn lines_split_as_python_splitlines() {
        assert_eq!(
            split_lines_keepends("a\nb\r\nc\rd\u{2028}e\u{c}f"),
            vec!["a\n", "b\r\n", "c\r", "d\u{2028}", "e\u{c}", "f"]
        );
        assert_eq!(split_lines_keepends("a\n"), vec!["a\n"]);
        assert!(split_lines_keepends("").is_empty());
    }

    // --- IPython syntax --------------------------------------------------------------------

    const MAGIC_CELLS: &[&str] = &[
        "%pip install replicate\n!pip install -q replicate \\\n    pillow\nimport replicate\n",
        "files = !ls\nx = %time replicate.run('a/b')\nreplicate?\nreplicate.run??\n?replicate\n%load_ext autoreload\n%autoreload 2",
        "for i in range(3):\n    !echo {i}\n    %time f(i)\nif True:\n    y?\nelse:\n    z = !ls \\\n      -la\n",
        "%%time\nimport os\nout = replicate.run(\"owner/model\")\n!ls\n",
        "%%timeit -n 10\nreplicate.run(\"a/b\")",
        "%%capture captured\nprint(replicate.run(\"a/b\"))\n",
        "\n%%bash\necho hi\n  if [ 1 ]; then\n    echo (\nfi\n\n",
        "%%writefile helper.py\nimport replicate\ndef broken(:\n",
        "%%html\n<b>it's</b>",
        "%%javascript\nconsole.log('x')",
        "s = '''\n%not a magic\n!nor this\n'''\nt = (1\n% 2)\nu = \"?\"  # what?\nv = 5 % 3\nw = [a for a in range(3)\n     if a != 2]\nq = f\"{v!r}\"\n",
    ];

    #[test]
    fn magics_are_masked_and_compile() {
        let sources: Vec<Value> = MAGIC_CELLS.iter().map(|s| Value::from(*s)).collect();
        let text = notebook_of(&sources);
        let nb = unchanged_round_trip(&text);
        compiles(nb.module());
        let module = module_str(&nb);
        // Python stays visible; IPython lines and non-Python cell bodies do not.
        for kept in [
            "import replicate\n",
            "out = replicate.run(\"owner/model\")\n",
            "replicate.run(\"a/b\")\n",
            "print(replicate.run(\"a/b\"))\n",
            "%not a magic\n!nor this\n",
            "t = (1\n% 2)\n",
            "v = 5 % 3\n",
            "u = \"?\"  # what?\n",
            "     if a != 2]\n",
        ] {
            assert!(module.contains(kept), "{kept:?} is masked");
        }
        for masked in [
            "%pip",
            "!pip",
            "    pillow",
            "!ls",
            "%time",
            "replicate?",
            "??",
            "?replicate",
            "%%",
            "echo",
            "def broken",
            "<b>",
            "console",
            "-la",
            "%load_ext",
        ] {
            assert!(!module.contains(masked), "{masked:?} is not masked");
        }
        let masks_of = |code: usize| nb.masks.iter().filter(|m| m.code == code).count();
        assert_eq!(
            (0..MAGIC_CELLS.len()).map(masks_of).collect::<Vec<_>>(),
            vec![3, 7, 5, 2, 1, 1, 5, 3, 2, 2, 0]
        );
        // Indented lines keep their block valid with a `pass` of the same indentation.
        let nonce = &nb.nonce;
        assert!(module.contains(&format!("for i in range(3):\n    pass  # replicate-migrate: magic 10 {nonce}\n    pass  # replicate-migrate: magic 11 {nonce}\nif True:\n    pass  # replicate-migrate: magic 12 {nonce}\n")));
        assert!(module.contains(&format!("# replicate-migrate: magic 0 {nonce}\n# replicate-migrate: magic 1 {nonce}\n# replicate-migrate: magic 2 {nonce}\nimport replicate\n")));
    }

    #[test]
    fn magics_survive_an_edit_elsewhere() {
        let sources: Vec<Value> = MAGIC_CELLS
            .iter()
            .map(|s| Value::from(split_lines_keepends(s)))
            .collect();
        let text = notebook_of(&sources);
        let nb = parse(&text);
        // An import after the last import, and a rewritten call in the `%%time` body.
        let fixed = edit(
            nb.module(),
            "import replicate\n",
            "import replicate\nfrom replicate import Client\n",
        );
        let fixed = edit(&fixed, "out = replicate.run(", "out = replicate.use(");
        compiles(&fixed);
        let out = nb.with_module(&fixed).unwrap();
        let again = parse(std::str::from_utf8(&out).unwrap());
        let before = nb.cell_sources();
        let after = again.cell_sources();
        assert_eq!(after.len(), before.len());
        for (k, ((n, old), (m, new))) in before.iter().zip(&after).enumerate() {
            assert_eq!(n, m);
            match k {
                0 => assert_eq!(
                    *new,
                    old.replace(
                        "import replicate\n",
                        "import replicate\nfrom replicate import Client\n"
                    )
                ),
                3 => assert_eq!(*new, old.replace("replicate.run", "replicate.use")),
                _ => assert_eq!(new, old, "cell {n}"),
            }
        }
        // Every other cell's bytes are untouched.
        let (old0, old3) = (&nb.cells[0].span, &nb.cells[3].span);
        let (new0, new3) = (&again.cells[0].span, &again.cells[3].span);
        let text = text.as_bytes();
        assert_eq!(out[..new0.start], text[..old0.start]);
        assert_eq!(out[new0.end..new3.start], text[old0.end..old3.start]);
        assert_eq!(out[new3.end..], text[old3.end..]);
    }

    #[test]
    fn cell_magic_after_blank_lines_and_python_cell_magics() {
        let nb = parse(&notebook_of(&[
            Value::from("\n\n%%bash\nls\n"),
            Value::from("%%time\nx = 1\n"),
        ]));
        let module = module_str(&nb);
        assert!(!module.contains("ls\n") && module.contains("\n\n# replicate-migrate: magic 0"));
        assert!(module.contains("x = 1\n"));
        compiles(nb.module());
    }

    // --- tampering -------------------------------------------------------------------------

    fn boundary_error(nb: &Notebook, fixed: &[u8]) -> String {
        match nb.with_module(fixed) {
            Err(NotebookError::Boundaries { message }) => {
                assert!(matches!(
                    nb.cells_of(fixed),
                    Err(NotebookError::Boundaries { .. })
                ));
                assert!(nb.map(fixed).is_err());
                message
            }
            other => panic!("expected a boundary error, got {other:?}"),
        }
    }

    fn line_of<'a>(module: &'a str, needle: &str) -> &'a str {
        module
            .split_inclusive('\n')
            .find(|l| l.contains(needle))
            .unwrap()
    }

    #[test]
    fn tampered_boundaries_are_errors() {
        let nb = parse(REAL_PROJECT);
        let module = module_str(&nb);
        let marker3 = line_of(module, "replicate-migrate: cell 3 ");
        let marker5 = line_of(module, "replicate-migrate: cell 5 ");
        let mask = line_of(module, "replicate-migrate: magic 0 ");

        let deleted = module.replacen(marker3, "", 1);
        assert!(boundary_error(&nb, deleted.as_bytes()).contains("cell 3 is missing"));
        let duplicated = module.replacen(marker3, &marker3.repeat(2), 1);
        assert!(boundary_error(&nb, duplicated.as_bytes()).contains("cell 3 appears twice"));
        let swapped = module
            .replacen(marker3, "@@", 1)
            .replacen(marker5, marker3, 1)
            .replacen("@@", marker5, 1);
        assert!(boundary_error(&nb, swapped.as_bytes()).contains("cell 3 is missing"));
        let joined = module.replacen(marker5, &marker5.replace('\n', " x = 1\n"), 1);
        assert!(boundary_error(&nb, joined.as_bytes()).contains("edited"));
        let truncated = &module[..module.find(marker5).unwrap()];
        assert!(boundary_error(&nb, truncated.as_bytes()).contains("cell 5 is missing"));
        let before = format!("import os\n{module}");
        assert!(boundary_error(&nb, before.as_bytes()).contains("before the first cell"));

        let lost = module.replacen(mask, "", 1);
        assert!(boundary_error(&nb, lost.as_bytes())
            .contains("`%pip install replicate pillow requests` of cell 2 is missing"));
        let twice = module.replacen(mask, &mask.repeat(2), 1);
        assert!(boundary_error(&nb, twice.as_bytes()).contains("appears twice"));
        let reindented = module.replacen(mask, &format!("    {mask}"), 1);
        assert!(boundary_error(&nb, reindented.as_bytes()).contains("moved or edited"));
        let moved = module
            .replacen(mask, "", 1)
            .replacen(marker3, &format!("{marker3}{mask}"), 1);
        assert!(boundary_error(&nb, moved.as_bytes()).contains("moved or edited"));
        let other_nonce = module.replace(&nb.nonce, "0123456789abcdef");
        assert!(boundary_error(&nb, other_nonce.as_bytes()).contains("before the first cell"));

        let not_utf8 = [module.as_bytes(), b"\xff\n".as_slice()].concat();
        assert!(matches!(
            nb.with_module(&not_utf8),
            Err(NotebookError::Boundaries { .. })
        ));
    }

    #[test]
    fn text_that_looks_like_a_marker_is_just_text() {
        let first = parse(NBFORMAT);
        let fake = line_of(module_str(&first), "replicate-migrate: cell 2 ").to_string();
        let text = notebook_of(&[Value::from(format!(
            "{fake}x = 1\n# replicate-migrate: magic 0 {}\n",
            first.nonce
        ))]);
        let nb = unchanged_round_trip(&text);
        assert_ne!(nb.nonce, first.nonce);
        assert!(memmem::find(text.as_bytes(), nb.nonce.as_bytes()).is_none());
        assert_eq!(
            nb.cells_of(nb.module()).unwrap()[0].1,
            format!(
                "{fake}x = 1\n# replicate-migrate: magic 0 {}\n",
                first.nonce
            )
        );
    }

    // --- broken notebooks ------------------------------------------------------------------

    fn error_of(text: &[u8]) -> NotebookError {
        Notebook::parse(text).expect_err("a broken notebook parses")
    }

    #[test]
    fn broken_notebooks_are_errors() {
        let json = error_of(b"{\n \"cells\": [\n  {\"cell_type\": \"code\",,\n");
        assert_eq!(
            json.to_string(),
            "not valid JSON at line 3 column 24: key must be a string"
        );
        assert!(error_of(b"")
            .to_string()
            .starts_with("not valid JSON at line 1 column 0: EOF"));
        assert!(error_of(b"{} x")
            .to_string()
            .contains("trailing characters"));
        assert!(
            matches!(error_of(b"{\"cells\": \"\xff\"}"), NotebookError::Json { message } if message == "not valid UTF-8 at line 1 column 12")
        );
        let deep = "[".repeat(100_000);
        assert!(error_of(deep.as_bytes())
            .to_string()
            .contains("recursion limit exceeded"));

        assert_eq!(error_of(b"[]"), NotebookError::NoCells);
        assert_eq!(
            error_of(b"{\"nbformat\": 4, \"metadata\": {}}"),
            NotebookError::NoCells
        );
        assert_eq!(
            error_of(b"{\"nbformat\": 4, \"cells\": {}}"),
            NotebookError::NoCells
        );
        assert_eq!(
            error_of(b"{\"nbformat\": 3, \"worksheets\": [{}]}"),
            NotebookError::NoCells
        );
        assert_eq!(
            NotebookError::NoCells.to_string(),
            "notebook has no `cells` array"
        );

        let cell = |json: &str| {
            error_of(format!("{{\"nbformat\": 4, \"cells\": [{{\"cell_type\": \"markdown\", \"source\": \"\"}}, {json}]}}").as_bytes())
        };
        let bad = |message: &str| NotebookError::BadCell {
            cell: 2,
            message: message.into(),
        };
        assert_eq!(
            cell("{\"cell_type\": \"code\", \"outputs\": []}"),
            bad("code cell has no `source`")
        );
        assert_eq!(
            cell("{\"cell_type\": \"code\", \"source\": [\"a\", 1]}"),
            bad("`source` line 2 is not a string")
        );
        assert_eq!(
            cell("{\"cell_type\": \"code\", \"source\": null}"),
            bad("`source` is neither a string nor an array of strings")
        );
        assert_eq!(cell("{\"source\": \"x\"}"), bad("has no `cell_type`"));
        assert_eq!(
            cell("{\"cell_type\": 4, \"source\": \"x\"}"),
            bad("`cell_type` is not a string")
        );
        assert_eq!(cell("\"x = 1\""), bad("is not a JSON object"));
        assert_eq!(
            cell("{\"cell_type\": \"code\"}").to_string(),
            "cell 2: code cell has no `source`"
        );
        let v3 = error_of(b"{\"nbformat\": 3, \"worksheets\": [{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x\"}]}]}");
        assert_eq!(
            v3,
            NotebookError::BadCell {
                cell: 1,
                message: "code cell has no `input`".into()
            }
        );

        assert!(
            matches!(error_of(b"{\"nbformat\": 2, \"cells\": []}"), NotebookError::Unsupported { message } if message.contains("nbformat 2"))
        );
        assert!(matches!(
            error_of(b"{\"nbformat\": \"4\", \"cells\": []}"),
            NotebookError::Unsupported { .. }
        ));
        let r = error_of(b"{\"nbformat\": 4, \"metadata\": {\"language_info\": {\"name\": \"R\"}}, \"cells\": []}");
        assert_eq!(
            r.to_string(),
            "unsupported notebook: the notebook's language is R, not Python"
        );
    }

    #[test]
    fn notebooks_without_code_cells() {
        for text in [
            "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": []}\n",
            "{\"cells\": [{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"# Notes\"]}, {\"cell_type\": \"markdown\"}]}",
        ] {
            let nb = unchanged_round_trip(text);
            assert!(nb.module().is_empty());
            assert_eq!(nb.code_cell_count(), 0);
            assert_eq!(nb.location(0), None);
            assert!(nb.cell_sources().is_empty());
            assert!(boundary_error(&nb, b"import replicate\n").contains("before the first cell"));
        }
    }

    #[test]
    fn cells_in_other_languages_are_left_out() {
        let text = r#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {"vscode": {"languageId": "sql"}}, "source": "SELECT 1"}, {"cell_type": "code", "metadata": {"vscode": {"languageId": "python"}}, "source": "x = 1"}]}"#;
        let nb = unchanged_round_trip(text);
        assert_eq!(nb.cell_sources(), vec![(2, "x = 1".to_string())]);
    }

    // --- locations -------------------------------------------------------------------------

    fn at(nb: &Notebook, needle: &str) -> CellLocation {
        let offset = module_str(nb)
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?}"));
        nb.location(offset).unwrap()
    }

    fn loc(cell: usize, line: usize, column: usize) -> CellLocation {
        CellLocation { cell, line, column }
    }

    #[test]
    fn locations_count_every_cell() {
        let text = format!(
            "{{\"nbformat\": 4, \"metadata\": {{}}, \"cells\": [{}]}}",
            [
                r##"{"cell_type": "markdown", "source": "# md"}"##,
                r#"{"cell_type": "code", "source": ["import replicate\n", "x = 1\n"]}"#,
                r#"{"cell_type": "raw", "source": ""}"#,
                r#"{"cell_type": "code", "source": ["%time f()\n", "y = replicate.run('a')"]}"#,
                r#"{"cell_type": "code", "source": []}"#,
                r#"{"cell_type": "code", "source": "é = 1\nz = é + 1"}"#,
            ]
            .join(", ")
        );
        let nb = parse(&text);
        let module = module_str(&nb);
        assert_eq!(at(&nb, "import replicate"), loc(2, 1, 1));
        assert_eq!(at(&nb, "x = 1"), loc(2, 2, 1));
        assert_eq!(at(&nb, "= 1\n"), loc(2, 2, 3));
        assert_eq!(at(&nb, "\n# replicate-migrate: cell 4"), loc(2, 2, 6));
        assert_eq!(at(&nb, "# replicate-migrate: cell 4"), loc(4, 1, 1));
        assert_eq!(at(&nb, "cell 4 "), loc(4, 1, 1));
        let mask = module.find("# replicate-migrate: magic 0").unwrap();
        assert_eq!(nb.location(mask), Some(loc(4, 1, 1)));
        assert_eq!(nb.location(mask + 12), Some(loc(4, 1, 1)));
        assert_eq!(at(&nb, "replicate.run"), loc(4, 2, 5));
        assert_eq!(at(&nb, "\n# replicate-migrate: cell 5"), loc(4, 2, 23));
        assert_eq!(at(&nb, "# replicate-migrate: cell 5"), loc(5, 1, 1));
        assert_eq!(at(&nb, "# replicate-migrate: cell 6"), loc(6, 1, 1));
        assert_eq!(at(&nb, "é = 1"), loc(6, 1, 1));
        assert_eq!(at(&nb, "+ 1"), loc(6, 2, 7));
        assert_eq!(nb.location(module.len()), Some(loc(6, 2, 10)));
        assert_eq!(nb.location(module.len() + 100), Some(loc(6, 2, 10)));
        assert_eq!(loc(4, 2, 5).to_string(), "cell 4:2:5");
        assert_eq!(diff_header("demo.ipynb", 4), "demo.ipynb:cell 4");

        // The locations of a fixed module follow its own lines.
        let fixed = edit(
            nb.module(),
            "import replicate\n",
            "import replicate\nimport os\n",
        );
        let map = nb.map(&fixed).unwrap();
        let fixed = std::str::from_utf8(&fixed).unwrap();
        assert_eq!(
            map.location(fixed.find("x = 1").unwrap()),
            Some(loc(2, 3, 1))
        );
        assert_eq!(
            map.location(fixed.find("replicate.run").unwrap()),
            Some(loc(4, 2, 5))
        );
    }

    #[test]
    fn locations_in_the_real_project_fixture() {
        let nb = parse(REAL_PROJECT);
        assert_eq!(at(&nb, "replicate.run("), loc(5, 1, 10));
        assert_eq!(at(&nb, "replicate.predictions.create"), loc(8, 3, 14));
        assert_eq!(at(&nb, "replicate.stream"), loc(9, 2, 14));
        assert_eq!(at(&nb, "len(files)"), loc(10, 3, 1));
        assert_eq!(
            nb.cell_sources().iter().map(|c| c.0).collect::<Vec<_>>(),
            vec![2, 3, 5, 6, 8, 9, 10, 11]
        );
        let legacy = parse(LEGACY_V3);
        assert_eq!(at(&legacy, "replicate.predictions"), loc(3, 1, 14));
    }

    #[test]
    fn damaged_notebooks_and_modules_never_panic() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let bytes = NBFORMAT.as_bytes();
        let mut parsed = 0;
        for _ in 0..3000 {
            let mut damaged = bytes.to_vec();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(damaged.len());
                match rng.below(3) {
                    0 => damaged[at] = b"{}[]\",:\\ \nax0"[rng.below(13)],
                    1 => drop(damaged.remove(at)),
                    _ => damaged.insert(at, b"\"\\{["[rng.below(4)]),
                }
            }
            if let Ok(nb) = Notebook::parse(&damaged) {
                assert!(nb.with_module(nb.module()).unwrap() == damaged);
                parsed += 1;
            }
        }
        assert!(parsed > 300, "{parsed}");
        let nb = parse(REAL_PROJECT);
        let lines: Vec<&[u8]> = nb.module().split_inclusive(|b| *b == b'\n').collect();
        assert!(nb.with_module(&lines.concat()).is_ok());
        for _ in 0..500 {
            let mut fixed = lines.clone();
            let at = rng.below(fixed.len());
            match rng.below(3) {
                0 => drop(fixed.remove(at)),
                1 => fixed.insert(at, lines[rng.below(lines.len())]),
                _ => fixed.swap(at, rng.below(lines.len())),
            }
            let fixed = fixed.concat();
            let _ = nb.location(rng.below(fixed.len() + 2));
            if let Ok(map) = nb.map(&fixed) {
                let _ = map.location(rng.below(fixed.len() + 2));
            }
            if let Ok(out) = nb.with_module(&fixed) {
                Notebook::parse(&out).unwrap();
            }
        }
    }

    // --- randomised round trips ------------------------------------------------------------

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn random_cells_round_trip_and_take_edits() {
        const PIECES: &[&str] = &[
            "x", " ", "\n", "\r\n", "\"", "'", "\\", "é", "😀", "\t", "\u{1}", "/", "%", "!", "?",
            "#", "(", ")", "'''", "%%bash\n", "%%time\n", "    ", "= !ls", "\u{2028}", "\r",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for round in 0..300 {
            let sources: Vec<Value> = (0..1 + rng.below(5))
                .map(|_| {
                    let text: String = (0..rng.below(30))
                        .map(|_| PIECES[rng.below(PIECES.len())])
                        .collect();
                    if rng.below(2) == 0 {
                        Value::from(text)
                    } else {
                        Value::from(split_lines_keepends(&text))
                    }
                })
                .collect();
            let text = notebook_of(&sources);
            let nb = unchanged_round_trip(&text);
            // Insert a line at the start of some cells, as an added import would.
            let module = module_str(&nb);
            let mut fixed = String::new();
            let mut expected = Vec::new();
            for line in module.split_inclusive('\n') {
                fixed.push_str(line);
                if line.contains(&format!(" {}", nb.nonce)) && line.contains(": cell ") {
                    let k = expected.len();
                    let add = rng.below(2) == 0;
                    if add {
                        fixed.push_str(nb.newline);
                        fixed.push_str("import os");
                        fixed.push_str(nb.newline);
                    }
                    let old = &nb.cells[k].text;
                    expected.push(if add {
                        format!("{}import os{}{old}", nb.newline, nb.newline)
                    } else {
                        old.clone()
                    });
                }
            }
            let out = nb
                .with_module(fixed.as_bytes())
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
            let again = Notebook::parse(&out).unwrap_or_else(|e| panic!("round {round}: {e}"));
            let texts: Vec<String> = again.cell_sources().into_iter().map(|c| c.1).collect();
            assert_eq!(texts, expected, "round {round}");
            // Putting the old values back gives the old bytes.
            let mut restored = Vec::new();
            let mut copied = 0;
            for (new, old) in again.cells.iter().zip(&nb.cells) {
                restored.extend_from_slice(&out[copied..new.span.start]);
                restored.extend_from_slice(&text.as_bytes()[old.span.clone()]);
                copied = new.span.end;
            }
            restored.extend_from_slice(&out[copied..]);
            assert!(restored == text.as_bytes(), "round {round}");
        }
    }
}
