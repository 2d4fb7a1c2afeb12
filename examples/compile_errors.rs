//! Prints the CPython compile errors `replicate_migrate::parse::cpython` finds in each file named
//! on the command line, one `path:offset:kind:message` line each. With `--ts` it also prints
//! tree-sitter's first error as `path:offset:tree-sitter:`, with `--sexp` the tree, and with
//! `--time` how long parsing and the checks took, on stderr.
//! Used by tools/check_compile_errors.py and tests/cpython_syntax.rs.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use replicate_migrate::parse::{self, cpython, Source};
use std::io::Write;

fn main() {
    let mut ts = false;
    let mut sexp = false;
    let mut time = false;
    let mut paths = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--ts" => ts = true,
            "--sexp" => sexp = true,
            "--time" => time = true,
            _ => paths.push(arg),
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut status = 0;
    for path in paths {
        let raw = match std::fs::read(&path) {
            Ok(raw) => raw,
            Err(err) => {
                eprintln!("{path}: {err}");
                status = 2;
                continue;
            }
        };
        let source = Source::new(raw);
        let start = std::time::Instant::now();
        let tree = parse::parse(&source);
        let parsed = start.elapsed();
        if sexp {
            writeln!(out, "{}", tree.root_node().to_sexp()).unwrap();
        }
        if ts {
            if let Some(offset) = parse::first_error(&tree) {
                writeln!(out, "{path}:{offset}:tree-sitter:").unwrap();
            }
        }
        let start = std::time::Instant::now();
        let errors = cpython::compile_errors(&source, &tree);
        if time {
            eprintln!(
                "{path}: {} bytes, parse {:.1} ms, compile_errors {:.1} ms",
                source.bytes.len(),
                parsed.as_secs_f64() * 1e3,
                start.elapsed().as_secs_f64() * 1e3
            );
        }
        for error in errors {
            let message = error.message.replace('\n', "\\n");
            writeln!(out, "{path}:{}:{}:{message}", error.offset, error.kind).unwrap();
        }
    }
    std::process::exit(status);
}
