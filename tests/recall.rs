//! The recall ratchet: `check` over the hand-labelled corpus in `tests/recall/corpus/` finds at
//! least 90% of the labelled v1 uses and reports nothing on an unlabelled line
//! (`tests/recall/README.md` says how the corpus was written and labelled).

use std::process::Command;

#[test]
fn check_finds_ninety_percent_of_the_labelled_v1_uses_with_no_false_positive() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("python3")
        .arg(format!("{root}/tests/recall/score.py"))
        .args(["--binary", env!("CARGO_BIN_EXE_replicate-migrate")])
        .args(["--min-recall", "0.9", "--max-fp", "0"])
        .output()
        .expect("python3 is needed to score the recall corpus");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "recall below 90% or a false positive:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("TOTAL"), "no totals in:\n{stdout}");
}
