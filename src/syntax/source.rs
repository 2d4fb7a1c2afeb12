//! The contents of one Python document, as bytes.
//!
//! Everything downstream works on bytes, never on decoded text, so a latin-1 file with a PEP 263
//! cookie or a CRLF file keeps every byte outside our edits. A UTF-8 BOM is held apart and put
//! back on write, because tree-sitter-python does not expect it.

use tree_sitter::Node;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The contents of one Python file, without its BOM.
#[derive(Debug, Clone)]
pub struct Source {
    pub bytes: Vec<u8>,
    pub has_bom: bool,
}

impl Source {
    pub fn new(raw: Vec<u8>) -> Self {
        match raw.strip_prefix(BOM) {
            Some(rest) => Source {
                bytes: rest.to_vec(),
                has_bom: true,
            },
            None => Source {
                bytes: raw,
                has_bom: false,
            },
        }
    }

    /// The bytes to write back: the BOM (if the file had one) and the contents.
    pub fn to_file_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 3);
        if self.has_bom {
            out.extend_from_slice(BOM);
        }
        out.extend_from_slice(&self.bytes);
        out
    }

    pub fn with_bytes(&self, bytes: Vec<u8>) -> Self {
        Source {
            bytes,
            has_bom: self.has_bom,
        }
    }

    pub fn text(&self, node: Node) -> &[u8] {
        &self.bytes[node.byte_range()]
    }

    pub fn str(&self, node: Node) -> String {
        String::from_utf8_lossy(self.text(node)).into_owned()
    }

    /// Whether the node's text is exactly `text` (no allocation).
    pub fn is(&self, node: Node, text: &str) -> bool {
        self.text(node) == text.as_bytes()
    }

    /// 1-based line and column (in characters of the lossily decoded line) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let before = &self.bytes[..offset];
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&self.bytes[line_start..offset])
            .chars()
            .count()
            + 1;
        (line, col)
    }

    /// The indentation (leading spaces and tabs) of the line holding `offset`.
    pub fn indent_at(&self, offset: usize) -> Vec<u8> {
        let line_start = memchr::memrchr(b'\n', &self.bytes[..offset]).map_or(0, |i| i + 1);
        self.bytes[line_start..]
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .copied()
            .collect()
    }

    /// The file's line ending, so inserted lines match it.
    pub fn newline(&self) -> &'static [u8] {
        match memchr::memchr(b'\n', &self.bytes) {
            Some(i) if i > 0 && self.bytes[i - 1] == b'\r' => b"\r\n",
            _ => b"\n",
        }
    }
}
