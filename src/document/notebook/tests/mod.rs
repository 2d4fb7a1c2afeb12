//! Unit tests of the notebook module: the shared fixtures and helpers here, the tests by topic
//! in the submodules.

mod broken;
mod ipython;
mod locations;
mod random;
mod round_trips;

use memchr::memmem;
use serde_json::Value;

use super::encode::split_lines_keepends;
use super::*;

const REAL_PROJECT: &str = include_str!("../../../../fixtures/notebooks/real_project.ipynb");
const INDENT2_UNSORTED: &str =
    include_str!("../../../../fixtures/notebooks/indent2_unsorted.ipynb");
const LEGACY_V3: &str = include_str!("../../../../fixtures/notebooks/legacy_nbformat3.ipynb");

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
