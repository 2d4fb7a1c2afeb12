//! Building the virtual module from a notebook's code cells ([`Notebook::parse`]), and
//! splitting a fixed module back into cells on its boundary and masked lines.

use memchr::memmem;
use serde_json::Value;

use super::cells::{line_column, make_nonce, read_cells, source_text, split_eol};
use super::json_scan::{scan, SourceSpans};
use super::magics::mask_cell;
use super::{
    boundaries, json_error, reencode_error, unlocatable, CellChange, CellLocation, CellMap,
    CodeCell, MapCell, Notebook, NotebookError, Shape, Style, BOM, TAG,
};

/// One cell's part of a module, after splitting on the boundaries.
pub(super) struct Segment {
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
    pub(super) fn split(&self, module: &[u8]) -> Result<Vec<Segment>, NotebookError> {
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

    pub(super) fn mask_error(&self, id: usize, expected: usize) -> NotebookError {
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
    pub(super) fn marker(&self, content: &[u8]) -> Option<Marker> {
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

    pub(super) fn build_map(&self, module: &[u8], segments: Vec<Segment>) -> CellMap {
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

pub(super) enum Marker {
    Cell(usize),
    Magic(usize),
}
