//! Cell locations (every cell counts, as ruff numbers them), and damaged notebooks and
//! modules that must never panic.

use super::*;

fn at(nb: &Notebook, needle: &str) -> CellLocation {
    let offset = module_str(nb)
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?}"));
    nb.location(offset).unwrap()
}

fn loc(cell: usize, line: usize, column: usize) -> CellLocation {
    CellLocation { cell, line, column }
}

#[test]
fn locations_count_every_cell() {
    let text = format!(
        "{{\"nbformat\": 4, \"metadata\": {{}}, \"cells\": [{}]}}",
        [
            r##"{"cell_type": "markdown", "source": "# md"}"##,
            r#"{"cell_type": "code", "source": ["import replicate\n", "x = 1\n"]}"#,
            r#"{"cell_type": "raw", "source": ""}"#,
            r#"{"cell_type": "code", "source": ["%time f()\n", "y = replicate.run('a')"]}"#,
            r#"{"cell_type": "code", "source": []}"#,
            r#"{"cell_type": "code", "source": "é = 1\nz = é + 1"}"#,
        ]
        .join(", ")
    );
    let nb = parse(&text);
    let module = module_str(&nb);
    assert_eq!(at(&nb, "import replicate"), loc(2, 1, 1));
    assert_eq!(at(&nb, "x = 1"), loc(2, 2, 1));
    assert_eq!(at(&nb, "= 1\n"), loc(2, 2, 3));
    assert_eq!(at(&nb, "\n# replicate-migrate: cell 4"), loc(2, 2, 6));
    assert_eq!(at(&nb, "# replicate-migrate: cell 4"), loc(4, 1, 1));
    assert_eq!(at(&nb, "cell 4 "), loc(4, 1, 1));
    let mask = module.find("# replicate-migrate: magic 0").unwrap();
    assert_eq!(nb.location(mask), Some(loc(4, 1, 1)));
    assert_eq!(nb.location(mask + 12), Some(loc(4, 1, 1)));
    assert_eq!(at(&nb, "replicate.run"), loc(4, 2, 5));
    assert_eq!(at(&nb, "\n# replicate-migrate: cell 5"), loc(4, 2, 23));
    assert_eq!(at(&nb, "# replicate-migrate: cell 5"), loc(5, 1, 1));
    assert_eq!(at(&nb, "# replicate-migrate: cell 6"), loc(6, 1, 1));
    assert_eq!(at(&nb, "é = 1"), loc(6, 1, 1));
    assert_eq!(at(&nb, "+ 1"), loc(6, 2, 7));
    assert_eq!(nb.location(module.len()), Some(loc(6, 2, 10)));
    assert_eq!(nb.location(module.len() + 100), Some(loc(6, 2, 10)));
    assert_eq!(loc(4, 2, 5).to_string(), "cell 4:2:5");
    assert_eq!(diff_header("demo.ipynb", 4), "demo.ipynb:cell 4");

    // The locations of a fixed module follow its own lines.
    let fixed = edit(
        nb.module(),
        "import replicate\n",
        "import replicate\nimport os\n",
    );
    let map = nb.map(&fixed).unwrap();
    let fixed = std::str::from_utf8(&fixed).unwrap();
    assert_eq!(
        map.location(fixed.find("x = 1").unwrap()),
        Some(loc(2, 3, 1))
    );
    assert_eq!(
        map.location(fixed.find("replicate.run").unwrap()),
        Some(loc(4, 2, 5))
    );
}

#[test]
fn locations_in_the_real_project_fixture() {
    let nb = parse(REAL_PROJECT);
    assert_eq!(at(&nb, "replicate.run("), loc(5, 1, 10));
    assert_eq!(at(&nb, "replicate.predictions.create"), loc(8, 3, 14));
    assert_eq!(at(&nb, "replicate.stream"), loc(9, 2, 14));
    assert_eq!(at(&nb, "len(files)"), loc(10, 3, 1));
    assert_eq!(
        nb.cell_sources().iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![2, 3, 5, 6, 8, 9, 10, 11]
    );
    let legacy = parse(LEGACY_V3);
    assert_eq!(at(&legacy, "replicate.predictions"), loc(3, 1, 14));
}

#[test]
fn damaged_notebooks_and_modules_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let bytes = NBFORMAT.as_bytes();
    let mut parsed = 0;
    for _ in 0..3000 {
        let mut damaged = bytes.to_vec();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(damaged.len());
            match rng.below(3) {
                0 => damaged[at] = b"{}[]\",:\\ \nax0"[rng.below(13)],
                1 => drop(damaged.remove(at)),
                _ => damaged.insert(at, b"\"\\{["[rng.below(4)]),
            }
        }
        if let Ok(nb) = Notebook::parse(&damaged) {
            assert!(nb.with_module(nb.module()).unwrap() == damaged);
            parsed += 1;
        }
    }
    assert!(parsed > 300, "{parsed}");
    let nb = parse(REAL_PROJECT);
    let lines: Vec<&[u8]> = nb.module().split_inclusive(|b| *b == b'\n').collect();
    assert!(nb.with_module(&lines.concat()).is_ok());
    for _ in 0..500 {
        let mut fixed = lines.clone();
        let at = rng.below(fixed.len());
        match rng.below(3) {
            0 => drop(fixed.remove(at)),
            1 => fixed.insert(at, lines[rng.below(lines.len())]),
            _ => fixed.swap(at, rng.below(lines.len())),
        }
        let fixed = fixed.concat();
        let _ = nb.location(rng.below(fixed.len() + 2));
        if let Ok(map) = nb.map(&fixed) {
            let _ = map.location(rng.below(fixed.len() + 2));
        }
        if let Ok(out) = nb.with_module(&fixed) {
            Notebook::parse(&out).unwrap();
        }
    }
}
