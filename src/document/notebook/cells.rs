//! Reading the cells with serde_json (nbformat layout, cell languages, source text), the
//! marker nonce, and small byte helpers (line and column, line endings).

use memchr::memmem;
use serde_json::Value;

use super::NotebookError;

/// 1-based line and column (in bytes) of an offset, for messages.
pub(super) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, before.len() - start + 1)
}

pub(super) fn split_eol(line: &[u8]) -> (&[u8], &[u8]) {
    if line.ends_with(b"\r\n") {
        line.split_at(line.len() - 2)
    } else if line.ends_with(b"\n") {
        line.split_at(line.len() - 1)
    } else {
        (line, &[])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// nbformat 4: `cells[].source`.
    V4,
    /// nbformat 3: `worksheets[].cells[].input`.
    V3,
}

/// Reads the cells with serde_json: per cell, the `source` value of a Python code cell.
pub(super) fn read_cells(root: &Value) -> Result<(Layout, Vec<Option<&Value>>), NotebookError> {
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
pub(super) fn is_python(language: &str) -> bool {
    let language = language.to_ascii_lowercase();
    language.is_empty() || language.starts_with("python") || language.starts_with("ipython")
}

/// The text of a `source` value already checked to be a string or an array of strings.
pub(super) fn source_text(source: &Value) -> String {
    match source {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// A nonce occurring nowhere in the notebook, derived from the code so that runs are repeatable.
pub(super) fn make_nonce<'a>(raw: &[u8], texts: impl Iterator<Item = &'a str> + Clone) -> String {
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
