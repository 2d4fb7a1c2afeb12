//! The benchmark's cargo entry point and its parse-only floor.
//!
//! - `cargo bench --bench check_tree` runs a quick subset of the benchmark (`bench/run.py
//!   --quick`: the generated dense tree only, `check`, `fix --diff` and `fix` against the
//!   parse-only floor) with the binaries cargo just built.
//! - `cargo bench --bench check_tree -- --full` runs all of it (`bench/run.py`: both trees, `rg`
//!   and `ruff` beside us, linearity); it downloads the sdists and tools it needs on first use.
//! - `--parse-only PATHS` (as `bench/run.py` calls this binary) is the floor: the same walker and
//!   byte prefilter as `check`, then read and parse each file with tree-sitter-python through the
//!   library's `parse::parse`, in parallel with rayon, and nothing else. `--no-prefilter` parses
//!   every Python file, as a linter would.
//!
//! `cargo test --all-targets` runs bench binaries too, without `--bench`: then this does nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use rayon::prelude::*;
use replicate_migrate::syntax::Source;
use replicate_migrate::{discover, parse};

#[allow(clippy::print_stdout)]
fn parse_only(args: &[String]) -> ExitCode {
    let prefilter = !args.iter().any(|a| a == "--no-prefilter");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    // The walk `check` does (same default excludes), keeping the Python files.
    let walk = discover::Walk {
        exclude: std::sync::Arc::new(discover::Globs::new(&[], true).expect("no patterns")),
        force_exclude: false,
    };
    let files: Vec<PathBuf> = match discover::discover(&paths, &walk) {
        Ok(found) => found
            .files
            .into_iter()
            .filter(|c| c.kind == replicate_migrate::document::Kind::Python)
            .map(|c| c.path)
            .collect(),
        Err(e) => {
            eprintln!("parse-only: {e}");
            return ExitCode::from(2);
        }
    };
    // (files parsed, bytes parsed, trees with a syntax error): returned so nothing is optimised
    // away, and printed so a run can be checked against `check`'s file count.
    let (parsed, bytes, with_errors) = files
        .par_iter()
        .map(|path| {
            let Ok(raw) = std::fs::read(path) else {
                return (0, 0, 0);
            };
            if prefilter && !discover::mentions_sdk(&raw) {
                return (0, 0, 0);
            }
            let source = Source::new(raw);
            let tree = parse::parse(&source);
            (
                1usize,
                source.bytes.len(),
                usize::from(tree.root_node().has_error()),
            )
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    println!(
        "parse-only: {} Python files, {parsed} parsed ({bytes} bytes, {with_errors} with syntax errors){}",
        files.len(),
        if prefilter { "" } else { ", no prefilter" }
    );
    ExitCode::SUCCESS
}

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("check_tree: a benchmark; run it with `cargo bench --bench check_tree`");
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--parse-only") {
        return parse_only(&args);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let floor = std::env::current_exe().expect("the path of this binary");
    let mut command = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
    command
        .arg(root.join("bench/run.py"))
        .arg("--tool")
        .arg(env!("CARGO_BIN_EXE_replicate-migrate"))
        .arg("--floor")
        .arg(&floor);
    if !args.iter().any(|a| a == "--full") {
        command.arg("--quick");
    }
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            println!("check_tree: bench/run.py failed ({status})");
            ExitCode::FAILURE
        }
        Err(e) => {
            println!("check_tree: cannot run python3 bench/run.py: {e}");
            ExitCode::FAILURE
        }
    }
}
