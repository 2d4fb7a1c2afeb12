//! The CPython compile errors tree-sitter misses.
//!
//! tree-sitter-python accepts much that CPython rejects: Python 2 statements, bad indentation,
//! `return` outside a function, a repeated keyword argument, a late `from __future__` import, a
//! bad coding cookie. A file CPython rejects must get `RM000`, not a rewrite, and the fix stage must
//! refuse an edit that makes a file CPython would reject. [`compile_errors`] finds them, in three
//! passes, each linear in the file and iterative (no recursion: inputs have 10,000 nested brackets):
//!
//! - `encoding`: the BOM, the PEP 263 cookie on line 1 or 2, and bytes the codec cannot decode;
//! - `tokens`: CPython's tokenizer over the bytes: indentation (IndentationError, TabError),
//!   number literals, string prefixes and escapes, bytes mixed with str, stray characters,
//!   nesting limits, a logical line that ends after an operator, `.`, `=` or a keyword that
//!   needs more (tree-sitter reads on over that line end: `x.` then `y = 1` is `x.y = 1` to it);
//! - `tree`: one TreeCursor walk that carries the scope, loop and target context: misplaced
//!   `return`/`yield`/`await`/`break`/`continue`, `global`/`nonlocal`, arguments and parameters,
//!   assignment targets, `__future__`, `except`, `match` patterns, Python 2 syntax.
//!
//! An error counts only when CPython 3.11, 3.12 and 3.13 all reject it: what a newer CPython
//! accepts (PEP 701 f-strings, `type X = ...`, `def f[T]()`, 21 nested blocks, a late relative
//! `from .__future__ import`) is not flagged, so code written for it is still migrated. Messages
//! follow CPython 3.11's wording. The oracle is `compile(bytes)`, the path `import` takes: it skips
//! comments undecoded, so invalid UTF-8 in a comment is no error (running the file as a script is
//! stricter).
//!
//! Not detected: an unknown `\N{NAME}` escape (it needs the Unicode name table), duplicate mapping
//! pattern keys spelled with escapes, and bytes a codec other than ASCII, Latin-1, CP1252 or UTF-8
//! cannot decode. A file whose cookie names a codec where an ASCII byte may be half a character
//! (Shift-JIS, GBK, Big5, ISO-2022, UTF-7, ...) skips the byte-level checks. Python 3.14 accepts
//! `t''` strings and `except A, B:` (PEP 750, PEP 758); both are flagged here.

mod codecs;
mod encoding;
mod tokens;
mod tree;

use super::{Children, Source};
use tree_sitter::Tree;

/// One error CPython would raise when compiling the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// Byte offset in `Source::bytes` (after any BOM).
    pub offset: usize,
    /// `"SyntaxError"`, `"IndentationError"` or `"TabError"`.
    pub kind: &'static str,
    /// CPython's message where practical, e.g. `keyword argument repeated: bearer_token`.
    pub message: String,
}

impl CompileError {
    pub(crate) fn syntax(offset: usize, message: impl Into<String>) -> Self {
        CompileError {
            offset,
            kind: "SyntaxError",
            message: message.into(),
        }
    }

    pub(crate) fn indentation(offset: usize, message: impl Into<String>) -> Self {
        CompileError {
            offset,
            kind: "IndentationError",
            message: message.into(),
        }
    }

    pub(crate) fn tab(offset: usize) -> Self {
        CompileError {
            offset,
            kind: "TabError",
            message: "inconsistent use of tabs and spaces in indentation".into(),
        }
    }
}

/// What CPython's tokenizer makes of a file: what it rejects, and whether `name` is one of the
/// file's names (`None` when a declared encoding other than UTF-8 kept it from tokenizing).
pub struct TokenScan {
    pub errors: Vec<CompileError>,
    pub has_name: Option<bool>,
}

/// The errors CPython's tokenizer reports (encoding, null bytes, indentation, brackets), found
/// on the bytes alone, and whether `name` is one of the names: run before tree-sitter, so that
/// input CPython refuses anyway (over 100 levels of indentation, over 200 nested brackets) never
/// reaches the parser, whose C code asserts on it.
pub fn scan_tokens(source: &Source, name: &[u8]) -> TokenScan {
    let bytes = &source.bytes[..];
    let mut errors = Vec::new();
    let mut has_name = None;
    if let Some(at) = memchr::memchr(0, bytes) {
        errors.push(CompileError::syntax(
            at,
            "source code string cannot contain null bytes",
        ));
    }
    let encoding = encoding::check(bytes, source.has_bom, &mut errors);
    if encoding != encoding::Encoding::Opaque {
        let utf8 = encoding == encoding::Encoding::Utf8;
        has_name = Some(tokens::check(bytes, utf8, &mut errors, name));
    }
    errors.sort_by_key(|e| e.offset);
    TokenScan { errors, has_name }
}

/// Every CPython compile error found in the file, sorted by offset (callers use the first).
/// `tree` must be `parse(source)`.
pub fn compile_errors(source: &Source, tree: &Tree) -> Vec<CompileError> {
    compile_errors_with(source, tree, &super::preorder(tree).children)
}

/// `compile_errors`, given the tree's children (from `parse::preorder`) when the caller has
/// them already.
pub fn compile_errors_with(source: &Source, tree: &Tree, children: &Children) -> Vec<CompileError> {
    let mut errors = scan_tokens(source, b"").errors;
    tree::check(&source.bytes, tree, children, &mut errors);
    errors.sort_by_key(|e| e.offset);
    errors.dedup_by(|b, a| a.offset == b.offset && a.message == b.message);
    errors
}

/// The compile errors only the syntax tree shows: `compile_errors` of a file whose
/// `scan_tokens` found no errors (the tokenizer is not run again).
pub fn tree_errors(source: &Source, tree: &Tree, children: &Children) -> Vec<CompileError> {
    let mut errors = Vec::new();
    tree::check(&source.bytes, tree, children, &mut errors);
    errors.sort_by_key(|e| e.offset);
    errors.dedup_by(|b, a| a.offset == b.offset && a.message == b.message);
    errors
}

#[cfg(test)]
mod tests;
