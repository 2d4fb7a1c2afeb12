//! The iterative JSON scanner that finds the byte span of each code cell's `source` value
//! (and the document's escaping habits) in the raw notebook.

use std::ops::Range;

use super::cells::Layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Elem {
    Cells,
    Worksheets,
    Source,
    OtherKey,
    Index(usize),
}

pub(super) struct Frame {
    object: bool,
    /// The current key (objects) or index (arrays).
    elem: Elem,
    start: usize,
}

#[derive(Default)]
pub(super) struct EscapeStats {
    pub(super) escaped_non_ascii: bool,
    pub(super) escaped_slash: bool,
    pub(super) upper_hex: usize,
    pub(super) lower_hex: usize,
}

pub(super) struct SourceSpans {
    pub(super) span: Range<usize>,
    /// The items' spans, when the value is an array.
    pub(super) items: Option<Vec<Range<usize>>>,
}

pub(super) struct Scanned {
    /// Per cell in document order, its `source` value's spans, if it has one.
    pub(super) cells: Vec<Option<SourceSpans>>,
    pub(super) stats: EscapeStats,
}

pub(super) enum Place {
    CellList,
    Cell,
    Source,
    SourceItem,
    Other,
}

/// What the value about to start (or just finished) under this stack is.
pub(super) fn place(stack: &[Frame], layout: Layout) -> Place {
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

pub(super) fn key_elem(depth: usize, key: &[u8], layout: Layout) -> Elem {
    match (layout, depth, key) {
        (Layout::V4, 0, b"cells") => Elem::Cells,
        (Layout::V4, 2, b"source") => Elem::Source,
        (Layout::V3, 0, b"worksheets") => Elem::Worksheets,
        (Layout::V3, 2, b"cells") => Elem::Cells,
        (Layout::V3, 4, b"input") => Elem::Source,
        _ => Elem::OtherKey,
    }
}

pub(super) fn skip_ws(raw: &[u8], mut i: usize) -> usize {
    while i < raw.len() && matches!(raw[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Finds each cell's `source` span with an explicit stack (no recursion). The document was
/// already validated by serde_json; errors here are defensive.
pub(super) fn scan(raw: &[u8], from: usize, layout: Layout) -> Result<Scanned, String> {
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
pub(super) fn read_key(
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
pub(super) fn scan_string(raw: &[u8], i: usize, stats: &mut EscapeStats) -> Result<usize, String> {
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
