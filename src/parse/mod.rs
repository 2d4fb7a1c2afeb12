//! Parse stage: a Python file's bytes and its tree-sitter tree.
//!
//! Everything downstream works on bytes, never on decoded text, so a latin-1 file with a PEP 263
//! cookie or a CRLF file keeps every byte outside our edits. A UTF-8 BOM is held apart and put
//! back on write, because tree-sitter-python does not expect it.

pub mod cpython;

use std::cell::RefCell;
use tree_sitter::{Node, Parser, Tree};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The contents of one Python file, without its BOM.
#[derive(Debug, Clone)]
pub struct Source {
    pub bytes: Vec<u8>,
    pub has_bom: bool,
}

impl Source {
    pub fn new(raw: Vec<u8>) -> Self {
        if raw.starts_with(BOM) {
            Source {
                bytes: raw[BOM.len()..].to_vec(),
                has_bom: true,
            }
        } else {
            Source {
                bytes: raw,
                has_bom: false,
            }
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

thread_local! {
    // One parser per rayon worker: creating one per file costs more than the parse.
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("tree-sitter-python matches the linked tree-sitter ABI");
        parser
    });
}

pub fn parse(source: &Source) -> Tree {
    PARSER.with(|p| {
        p.borrow_mut()
            .parse(&source.bytes, None)
            .expect("parse only fails on cancellation or timeout, and we set neither")
    })
}

/// The byte offset of the first syntax error, if the tree has one.
pub fn first_error(tree: &Tree) -> Option<usize> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut node = root;
    loop {
        if node.is_error() || node.is_missing() {
            return Some(node.start_byte());
        }
        let next = node
            .children(&mut cursor)
            .find(|c| c.has_error() || c.is_error() || c.is_missing());
        match next {
            Some(child) => node = child,
            None => return Some(node.start_byte()),
        }
    }
}

/// Counts ERROR and MISSING nodes, to tell whether a fix made a file worse.
pub fn error_count(tree: &Tree) -> usize {
    fn walk(node: Node, count: &mut usize) {
        if node.is_error() || node.is_missing() {
            *count += 1;
        }
        if node.has_error() {
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                walk(child, count);
            }
        }
    }
    let mut count = 0;
    walk(tree.root_node(), &mut count);
    count
}
