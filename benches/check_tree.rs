//! Benchmark: `check` over a generated tree of Python files, most of which never mention the SDK
//! (as in a real project). Run with `cargo bench --bench check_tree`; it prints files per second.
//! Compare with ruff on the same tree: `ruff check --select E9 <dir>` (printed at the end).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const SDK_FILE: &str = r#"import replicate
from replicate.client import Client

client = Client(api_token="r8_x", headers={"X": "1"})


def generate(prompt):
    prediction = client.predictions.create(model="owner/flux", input={"prompt": prompt})
    prediction.wait()
    return prediction.urls["get"], replicate.run("owner/llm", {"prompt": prompt})
"#;

fn plain_file(i: usize) -> String {
    let mut s = String::from("import os\nimport json\n\n");
    for f in 0..40 {
        s.push_str(&format!(
            "def handler_{i}_{f}(event, context):\n    data = json.loads(event[\"body\"])\n    \
             return {{\"status\": 200, \"path\": os.path.join(\"a\", str(data.get(\"k\", {f})))}}\n\n"
        ));
    }
    s
}

fn main() {
    // `cargo test --all-targets` runs bench binaries too, without `--bench`: this is a benchmark
    // of the release binary, not a test, so it only runs under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("check_tree: a benchmark; run it with `cargo bench --bench check_tree`");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let files = 5_000;
    for i in 0..files {
        let sub = dir.path().join(format!("pkg{}", i % 50));
        std::fs::create_dir_all(&sub).unwrap();
        let text = if i % 10 == 0 {
            SDK_FILE.to_string()
        } else {
            plain_file(i)
        };
        std::fs::write(sub.join(format!("m{i}.py")), text).unwrap();
    }
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/replicate-migrate");
    assert!(
        binary.exists(),
        "build the release binary first: cargo build --release (found none at {})",
        binary.display()
    );
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new(&binary)
            .args(["check", "--output-format", "concise", "--quiet"])
            .arg(dir.path())
            .output()
            .expect("run replicate-migrate");
        assert_eq!(out.status.code(), Some(1), "the tree has findings");
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "check_tree: {files} files ({} with SDK use) in {:.3}s best of 5 = {:.0} files/s",
        files / 10,
        best,
        files as f64 / best
    );
    println!(
        "compare: time ruff check --select E9 --no-cache {}",
        dir.path().display()
    );
}
