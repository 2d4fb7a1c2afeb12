//! The contents of one Python document, as bytes.
//!
//! Everything downstream works on bytes: the file's own bytes when they are UTF-8 (or ASCII, or
//! a single-byte codec), so a CRLF file keeps every byte outside our edits. A file in another
//! codec, or with old Mac line ends, is read as CPython reads it (see `encoding.rs`) and written
//! back with every byte outside the edits its own. A UTF-8 BOM is held apart and put back on
//! write, because tree-sitter-python does not expect it.

use std::sync::Arc;

use tree_sitter::Node;

use super::encoding::{self, DecodeError, EncodeError, Transcoded};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The contents of one Python file, without its BOM.
#[derive(Debug, Clone)]
pub struct Source {
    /// What every stage reads: UTF-8 text (or the bytes of a single-byte codec) with `\n` or
    /// `\r\n` line ends, no BOM.
    pub bytes: Vec<u8>,
    pub has_bom: bool,
    /// How `bytes` were made from the file when they are not its bytes (another codec, lone
    /// `\r` line ends): the way back.
    file: Option<Arc<Transcoded>>,
}

fn split_bom(raw: Vec<u8>) -> (Vec<u8>, bool) {
    match raw.strip_prefix(BOM) {
        Some(rest) => (rest.to_vec(), true),
        None => (raw, false),
    }
}

impl Source {
    /// The bytes as they are (a BOM held apart): for text that is known to be UTF-8.
    pub fn new(raw: Vec<u8>) -> Self {
        let (bytes, has_bom) = split_bom(raw);
        Source::plain(bytes, has_bom)
    }

    pub(crate) fn plain(bytes: Vec<u8>, has_bom: bool) -> Self {
        Source {
            bytes,
            has_bom,
            file: None,
        }
    }

    /// A file's contents read as CPython reads them: its PEP 263 codec decoded, lone `\r` line
    /// ends as `\n`. `Err` when CPython would reject the file's encoding (a syntax error), or
    /// when the tool cannot read its codec.
    pub fn from_file(raw: Vec<u8>) -> Result<Self, DecodeError> {
        let (raw, has_bom) = split_bom(raw);
        let (bytes, file) = encoding::decode(raw, has_bom)?;
        Ok(Source {
            bytes,
            has_bom,
            file: file.map(Arc::new),
        })
    }

    /// The bytes to write back: the BOM (if the file had one) and the contents, in the file's
    /// codec and line ends, every byte outside the edited spans as it was read. `Err` when the
    /// fixed text cannot be written in the file's codec.
    pub fn to_file_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(self.bytes.len() + 3);
        if self.has_bom {
            out.extend_from_slice(BOM);
        }
        match &self.file {
            Some(file) => out.extend(file.encode(&self.bytes)?),
            None => out.extend_from_slice(&self.bytes),
        }
        Ok(out)
    }

    /// The same file with other contents (a fix's result).
    pub fn with_bytes(&self, bytes: Vec<u8>) -> Self {
        Source {
            bytes,
            has_bom: self.has_bom,
            file: self.file.clone(),
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
