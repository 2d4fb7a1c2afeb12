//! IPython syntax (magics are masked, compile, and come back verbatim) and tampered
//! boundaries (every damaged marker is an error, text that looks like one is just text).

use super::*;

const MAGIC_CELLS: &[&str] = &[
        "%pip install replicate\n!pip install -q replicate \\\n    pillow\nimport replicate\n",
        "files = !ls\nx = %time replicate.run('a/b')\nreplicate?\nreplicate.run??\n?replicate\n%load_ext autoreload\n%autoreload 2",
        "for i in range(3):\n    !echo {i}\n    %time f(i)\nif True:\n    y?\nelse:\n    z = !ls \\\n      -la\n",
        "%%time\nimport os\nout = replicate.run(\"owner/model\")\n!ls\n",
        "%%timeit -n 10\nreplicate.run(\"a/b\")",
        "%%capture captured\nprint(replicate.run(\"a/b\"))\n",
        "\n%%bash\necho hi\n  if [ 1 ]; then\n    echo (\nfi\n\n",
        "%%writefile helper.py\nimport replicate\ndef broken(:\n",
        "%%html\n<b>it's</b>",
        "%%javascript\nconsole.log('x')",
        "s = '''\n%not a magic\n!nor this\n'''\nt = (1\n% 2)\nu = \"?\"  # what?\nv = 5 % 3\nw = [a for a in range(3)\n     if a != 2]\nq = f\"{v!r}\"\n",
    ];

#[test]
fn magics_are_masked_and_compile() {
    let sources: Vec<Value> = MAGIC_CELLS.iter().map(|s| Value::from(*s)).collect();
    let text = notebook_of(&sources);
    let nb = unchanged_round_trip(&text);
    compiles(nb.module());
    let module = module_str(&nb);
    // Python stays visible; IPython lines and non-Python cell bodies do not.
    for kept in [
        "import replicate\n",
        "out = replicate.run(\"owner/model\")\n",
        "replicate.run(\"a/b\")\n",
        "print(replicate.run(\"a/b\"))\n",
        "%not a magic\n!nor this\n",
        "t = (1\n% 2)\n",
        "v = 5 % 3\n",
        "u = \"?\"  # what?\n",
        "     if a != 2]\n",
    ] {
        assert!(module.contains(kept), "{kept:?} is masked");
    }
    for masked in [
        "%pip",
        "!pip",
        "    pillow",
        "!ls",
        "%time",
        "replicate?",
        "??",
        "?replicate",
        "%%",
        "echo",
        "def broken",
        "<b>",
        "console",
        "-la",
        "%load_ext",
    ] {
        assert!(!module.contains(masked), "{masked:?} is not masked");
    }
    let masks_of = |code: usize| nb.masks.iter().filter(|m| m.code == code).count();
    assert_eq!(
        (0..MAGIC_CELLS.len()).map(masks_of).collect::<Vec<_>>(),
        vec![3, 7, 5, 2, 1, 1, 5, 3, 2, 2, 0]
    );
    // Indented lines keep their block valid with a `pass` of the same indentation.
    let nonce = &nb.nonce;
    assert!(module.contains(&format!("for i in range(3):\n    pass  # replicate-migrate: magic 10 {nonce}\n    pass  # replicate-migrate: magic 11 {nonce}\nif True:\n    pass  # replicate-migrate: magic 12 {nonce}\n")));
    assert!(module.contains(&format!("# replicate-migrate: magic 0 {nonce}\n# replicate-migrate: magic 1 {nonce}\n# replicate-migrate: magic 2 {nonce}\nimport replicate\n")));
}

#[test]
fn magics_survive_an_edit_elsewhere() {
    let sources: Vec<Value> = MAGIC_CELLS
        .iter()
        .map(|s| Value::from(split_lines_keepends(s)))
        .collect();
    let text = notebook_of(&sources);
    let nb = parse(&text);
    // An import after the last import, and a rewritten call in the `%%time` body.
    let fixed = edit(
        nb.module(),
        "import replicate\n",
        "import replicate\nfrom replicate import Client\n",
    );
    let fixed = edit(&fixed, "out = replicate.run(", "out = replicate.use(");
    compiles(&fixed);
    let out = nb.with_module(&fixed).unwrap();
    let again = parse(std::str::from_utf8(&out).unwrap());
    let before = nb.cell_sources();
    let after = again.cell_sources();
    assert_eq!(after.len(), before.len());
    for (k, ((n, old), (m, new))) in before.iter().zip(&after).enumerate() {
        assert_eq!(n, m);
        match k {
            0 => assert_eq!(
                *new,
                old.replace(
                    "import replicate\n",
                    "import replicate\nfrom replicate import Client\n"
                )
            ),
            3 => assert_eq!(*new, old.replace("replicate.run", "replicate.use")),
            _ => assert_eq!(new, old, "cell {n}"),
        }
    }
    // Every other cell's bytes are untouched.
    let (old0, old3) = (&nb.cells[0].span, &nb.cells[3].span);
    let (new0, new3) = (&again.cells[0].span, &again.cells[3].span);
    let text = text.as_bytes();
    assert_eq!(out[..new0.start], text[..old0.start]);
    assert_eq!(out[new0.end..new3.start], text[old0.end..old3.start]);
    assert_eq!(out[new3.end..], text[old3.end..]);
}

#[test]
fn cell_magic_after_blank_lines_and_python_cell_magics() {
    let nb = parse(&notebook_of(&[
        Value::from("\n\n%%bash\nls\n"),
        Value::from("%%time\nx = 1\n"),
    ]));
    let module = module_str(&nb);
    assert!(!module.contains("ls\n") && module.contains("\n\n# replicate-migrate: magic 0"));
    assert!(module.contains("x = 1\n"));
    compiles(nb.module());
}

// --- tampering -------------------------------------------------------------------------

#[test]
fn tampered_boundaries_are_errors() {
    let nb = parse(REAL_PROJECT);
    let module = module_str(&nb);
    let marker3 = line_of(module, "replicate-migrate: cell 3 ");
    let marker5 = line_of(module, "replicate-migrate: cell 5 ");
    let mask = line_of(module, "replicate-migrate: magic 0 ");

    let deleted = module.replacen(marker3, "", 1);
    assert!(boundary_error(&nb, deleted.as_bytes()).contains("cell 3 is missing"));
    let duplicated = module.replacen(marker3, &marker3.repeat(2), 1);
    assert!(boundary_error(&nb, duplicated.as_bytes()).contains("cell 3 appears twice"));
    let swapped = module
        .replacen(marker3, "@@", 1)
        .replacen(marker5, marker3, 1)
        .replacen("@@", marker5, 1);
    assert!(boundary_error(&nb, swapped.as_bytes()).contains("cell 3 is missing"));
    let joined = module.replacen(marker5, &marker5.replace('\n', " x = 1\n"), 1);
    assert!(boundary_error(&nb, joined.as_bytes()).contains("edited"));
    let truncated = &module[..module.find(marker5).unwrap()];
    assert!(boundary_error(&nb, truncated.as_bytes()).contains("cell 5 is missing"));
    let before = format!("import os\n{module}");
    assert!(boundary_error(&nb, before.as_bytes()).contains("before the first cell"));

    let lost = module.replacen(mask, "", 1);
    assert!(boundary_error(&nb, lost.as_bytes())
        .contains("`%pip install replicate pillow requests` of cell 2 is missing"));
    let twice = module.replacen(mask, &mask.repeat(2), 1);
    assert!(boundary_error(&nb, twice.as_bytes()).contains("appears twice"));
    let reindented = module.replacen(mask, &format!("    {mask}"), 1);
    assert!(boundary_error(&nb, reindented.as_bytes()).contains("moved or edited"));
    let moved = module
        .replacen(mask, "", 1)
        .replacen(marker3, &format!("{marker3}{mask}"), 1);
    assert!(boundary_error(&nb, moved.as_bytes()).contains("moved or edited"));
    let other_nonce = module.replace(&nb.nonce, "0123456789abcdef");
    assert!(boundary_error(&nb, other_nonce.as_bytes()).contains("before the first cell"));

    let not_utf8 = [module.as_bytes(), b"\xff\n".as_slice()].concat();
    assert!(matches!(
        nb.with_module(&not_utf8),
        Err(NotebookError::Boundaries { .. })
    ));
}

#[test]
fn text_that_looks_like_a_marker_is_just_text() {
    let first = parse(NBFORMAT);
    let fake = line_of(module_str(&first), "replicate-migrate: cell 2 ").to_string();
    let text = notebook_of(&[Value::from(format!(
        "{fake}x = 1\n# replicate-migrate: magic 0 {}\n",
        first.nonce
    ))]);
    let nb = unchanged_round_trip(&text);
    assert_ne!(nb.nonce, first.nonce);
    assert!(memmem::find(text.as_bytes(), nb.nonce.as_bytes()).is_none());
    assert_eq!(
        nb.cells_of(nb.module()).unwrap()[0].1,
        format!(
            "{fake}x = 1\n# replicate-migrate: magic 0 {}\n",
            first.nonce
        )
    );
}
