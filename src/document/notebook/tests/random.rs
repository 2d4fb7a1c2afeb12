//! Randomised round trips: random cells come back unchanged and take edits.

use super::*;

#[test]
fn random_cells_round_trip_and_take_edits() {
    const PIECES: &[&str] = &[
        "x", " ", "\n", "\r\n", "\"", "'", "\\", "é", "😀", "\t", "\u{1}", "/", "%", "!", "?", "#",
        "(", ")", "'''", "%%bash\n", "%%time\n", "    ", "= !ls", "\u{2028}", "\r",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..300 {
        let sources: Vec<Value> = (0..1 + rng.below(5))
            .map(|_| {
                let text: String = (0..rng.below(30))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect();
                if rng.below(2) == 0 {
                    Value::from(text)
                } else {
                    Value::from(split_lines_keepends(&text))
                }
            })
            .collect();
        let text = notebook_of(&sources);
        let nb = unchanged_round_trip(&text);
        // Insert a line at the start of some cells, as an added import would.
        let module = module_str(&nb);
        let mut fixed = String::new();
        let mut expected = Vec::new();
        for line in module.split_inclusive('\n') {
            fixed.push_str(line);
            if line.contains(&format!(" {}", nb.nonce)) && line.contains(": cell ") {
                let k = expected.len();
                let add = rng.below(2) == 0;
                if add {
                    fixed.push_str(nb.newline);
                    fixed.push_str("import os");
                    fixed.push_str(nb.newline);
                }
                let old = &nb.cells[k].text;
                expected.push(if add {
                    format!("{}import os{}{old}", nb.newline, nb.newline)
                } else {
                    old.clone()
                });
            }
        }
        let out = nb
            .with_module(fixed.as_bytes())
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let again = Notebook::parse(&out).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let texts: Vec<String> = again.cell_sources().into_iter().map(|c| c.1).collect();
        assert_eq!(texts, expected, "round {round}");
        // Putting the old values back gives the old bytes.
        let mut restored = Vec::new();
        let mut copied = 0;
        for (new, old) in again.cells.iter().zip(&nb.cells) {
            restored.extend_from_slice(&out[copied..new.span.start]);
            restored.extend_from_slice(&text.as_bytes()[old.span.clone()]);
            copied = new.span.end;
        }
        restored.extend_from_slice(&out[copied..]);
        assert!(restored == text.as_bytes(), "round {round}");
    }
}
