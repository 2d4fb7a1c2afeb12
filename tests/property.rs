//! Issue 12, item 9: properties of `fix` over generated v1 programs, and a mutation fuzz.
//!
//! A seeded generator (splitmix64, no dependency) composes v1 programs from fragments: the
//! import forms (`import replicate`, `import replicate as r`, `from replicate import Client`,
//! `from replicate.exceptions import ...`), clients, `run`/`stream`/`async_run`, predictions
//! (`create`/`get`/`list`/`cancel`, `wait()`/`reload()`/`cancel()` on the object), models,
//! versions, deployments, trainings, files, `except ReplicateError as e`, nested in functions,
//! async functions, classes, `if`/`for`/`while`/`try`/`with`, with reused names, decoys (a local
//! `class Job` with `wait()`/`run()`, a local variable or parameter named `replicate`,
//! `subprocess.run`, `thread.run()`, SDK text in strings and comments), comments, blank lines,
//! calls split over lines, non-ASCII text; per file one indentation (4 spaces, 2 spaces or a
//! tab) and one line ending (LF, or CRLF in about one file in six).
//!
//! `generated_programs_keep_the_properties` writes `PROPERTY_CASES` programs (default 200) into
//! one directory, one per seed (`PROPERTY_SEED`, default a fixed one, then seed + 1, ...), runs
//! the binary over the whole directory a few times and asserts, per file:
//!
//! - (a) the input compiles with CPython (`compile(..., "exec")`, all files in one `python3`
//!   process): a check of the generator itself;
//! - (b) after `fix --unsafe-fixes`, the file compiles with CPython, and the run reported none of
//!   the tool's own refusals or failures (RM000 invalid syntax, RM002 a fix that breaks the
//!   syntax, RM004 fixes that do not settle, RM010 too deep, RM011 internal error) nor a panic;
//! - (c) idempotence: a second `fix --unsafe-fixes` over the fixed directory changes no byte;
//! - (d) locality: the bytes outside the ranges that `check --unsafe-fixes --output-format json`
//!   reports for the original are all kept, in order. The ranges are every finding's
//!   (`location`..`end_location`) and every edit of every fix (safe or unsafe, applied or not)
//!   of that first pass. The original split at those ranges (a zero-width edit splits it too)
//!   gives segments that must appear in the output in order, the first at its start and the
//!   last at its end, any text being allowed where a range was. The one other text allowed is
//!   what the import stage adds, which JSON reports only as `imports` names, without a place:
//!   between two pieces of a segment at a line start or at the end of a top-level
//!   `import`/`from` line's code, the output may hold extra lines that are each an `import ...`/
//!   `from ... import ...` line, a `def`/`async def _replicate_...` helper header, an indented
//!   line (a helper's body) or blank, or `, Name` appended to a `from replicate import ...`.
//!   Finding ranges count because the fixed-point loop's later passes are not in the report:
//!   their edits (a positional argument made a keyword after the first pass rewrote the
//!   callee, say) must fall inside what the first pass reported, so this asserts that the later
//!   passes only rework what the first pass reported (with fix edits alone, about one default
//!   program in twelve fails on such later-pass edits);
//! - (e) determinism: the same run with `RAYON_NUM_THREADS=1` and with `RAYON_NUM_THREADS=4`
//!   (the CLI has no thread flag; its pool follows rayon's variable) gives byte-identical files
//!   and byte-identical `check` and `fix` output (JSON) over the whole directory.
//!
//! A failure prints each failing seed, what failed and the program, and the command that
//! reproduces it: `PROPERTY_SEED=<seed> PROPERTY_CASES=1 cargo test --test property`.
//!
//! `mutation_fuzz` (ignored; `scripts/fuzz.sh` runs it for `FUZZ_SECONDS`) mutates generated
//! programs and the repository's Python fixtures (deletes a character or a range, duplicates,
//! swaps or drops a line, inserts brackets, quotes, indentation, line ends, bytes that are not
//! UTF-8, truncates), runs `check` and `fix --unsafe-fixes` over them and asserts: the exit code
//! is 0 or 1 (never 101/134/a signal), no `panicked` on stderr, no RM011; a file CPython
//! rejected is never written; a file the tool wrote compiles; a second `fix` changes nothing.
//! Failing inputs are copied to
//! `FUZZ_OUT` (default `target/fuzz-findings`).
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");
const DEFAULT_SEED: u64 = 0x5eed_1209;

// ---------------------------------------------------------------------------------------------
// The generator

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// Lines of a block: (depth, text); a text never holds a line end.
type Lines = Vec<(usize, String)>;

#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Module,
    Function,
    Async,
}

struct Gen {
    rng: Rng,
    /// Names under which the module is imported (`replicate`, `r`, ...).
    modules: Vec<String>,
    /// `Client` imported from replicate.
    client_name: bool,
    /// Exception classes usable by bare name.
    exceptions: Vec<&'static str>,
    /// Receivers of the module API and clients at module level.
    receivers: Vec<String>,
    has_os: bool,
    has_subprocess: bool,
    has_job: bool,
    functions: usize,
}

const MODELS: &[&str] = &[
    "black-forest-labs/flux-schnell",
    "meta/meta-llama-3-8b-instruct",
    "stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
    "owner/model:abc123",
    "acme/image-upscaler",
];
const VERSIONS: &[&str] = &["5c7d5dc6", "abc123", "39ed52f2a78e934b"];
const PREDICTION_VARS: &[&str] = &["p", "prediction", "pred", "job", "p"];
const OUT_VARS: &[&str] = &["out", "output", "result", "out", "images"];
const TEXTS: &[&str] = &[
    "a castle on a hill",
    "une café au lait",
    "日本の庭",
    "say \\\"hi\\\"",
    "replicate.run('a/b', {})",
];

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed),
            modules: Vec::new(),
            client_name: false,
            exceptions: Vec::new(),
            receivers: Vec::new(),
            has_os: false,
            has_subprocess: false,
            has_job: false,
            functions: 0,
        }
    }

    fn text(&mut self) -> String {
        format!("\"{}\"", self.rng.pick(TEXTS))
    }

    fn input(&mut self) -> String {
        match self.rng.below(5) {
            0 => "{}".into(),
            1 => format!("{{\"prompt\": {}}}", self.text()),
            2 => "{\"prompt\": prompt, \"num_outputs\": 2}".into(),
            3 => "dict(prompt=prompt)".into(),
            _ => "inputs".into(),
        }
    }

    fn model(&mut self) -> String {
        format!("\"{}\"", self.rng.pick(MODELS))
    }

    fn receiver(&mut self, extra: &[String]) -> String {
        let mut all: Vec<&str> = self.receivers.iter().map(String::as_str).collect();
        all.extend(extra.iter().map(String::as_str));
        self.rng.pick(&all).to_string()
    }

    fn module(&mut self) -> Option<String> {
        if self.modules.is_empty() {
            None
        } else {
            Some(self.modules[self.rng.below(self.modules.len())].clone())
        }
    }

    fn client_constructor(&mut self) -> String {
        let token = match self.rng.below(4) {
            0 if self.has_os => "api_token=os.environ[\"REPLICATE_API_TOKEN\"]".to_string(),
            1 => "api_token=\"r8_token\"".to_string(),
            2 => String::new(),
            _ => "api_token=token".to_string(),
        };
        let callee = match self.module() {
            Some(m) if !self.client_name || self.rng.chance(50) => format!("{m}.Client"),
            _ => "Client".into(),
        };
        let extra = if self.rng.chance(20) {
            if token.is_empty() {
                "timeout=30".into()
            } else {
                ", timeout=30".into()
            }
        } else {
            String::new()
        };
        format!("{callee}({token}{extra})")
    }

    /// A call spelled on one line, or split over lines after its opening bracket.
    fn call(&mut self, depth: usize, head: &str, args: &[String], out: &mut Lines) {
        if args.len() > 1 && self.rng.chance(20) {
            out.push((depth, format!("{head}(")));
            for a in args {
                out.push((depth + 1, format!("{a},")));
            }
            out.push((depth, ")".into()));
        } else {
            out.push((depth, format!("{head}({})", args.join(", "))));
        }
    }

    fn exception(&mut self) -> String {
        let mut choices: Vec<String> = self.exceptions.iter().map(|e| e.to_string()).collect();
        if let Some(m) = self.module() {
            choices.push(format!("{m}.exceptions.ModelError"));
            choices.push(format!("{m}.exceptions.ReplicateError"));
        }
        choices.push("Exception".into());
        choices.push("(KeyError, ValueError)".into());
        choices[self.rng.below(choices.len())].clone()
    }

    fn prediction_followups(&mut self, depth: usize, p: &str, scope: Scope, out: &mut Lines) {
        for _ in 0..self.rng.range(0, 3) {
            match self.rng.below(8) {
                0 | 1 => {
                    if scope == Scope::Async && self.rng.chance(50) {
                        out.push((depth, format!("await {p}.async_wait()")));
                    } else {
                        out.push((depth, format!("{p}.wait()")));
                    }
                }
                2 => out.push((depth, format!("{p}.reload()"))),
                3 => out.push((depth, format!("{p}.cancel()"))),
                4 => out.push((depth, format!("print({p}.id, {p}.status, {p}.output)"))),
                5 => {
                    out.push((depth, format!("if {p}.status == \"succeeded\":")));
                    out.push((depth + 1, format!("print({p}.output)")));
                }
                6 => out.push((depth, format!("urls = {p}.urls[\"get\"]"))),
                _ => {
                    out.push((
                        depth,
                        format!("while {p}.status not in (\"succeeded\", \"failed\"):"),
                    ));
                    out.push((depth + 1, format!("{p}.reload()")));
                }
            }
        }
    }

    /// One SDK use (a few lines), on a receiver in scope.
    fn sdk_statement(&mut self, depth: usize, scope: Scope, local: &[String], out: &mut Lines) {
        let r = self.receiver(local);
        let v = self.rng.pick(OUT_VARS).to_string();
        let p = self.rng.pick(PREDICTION_VARS).to_string();
        match self.rng.below(14) {
            0..=2 => {
                if scope == Scope::Async && self.rng.chance(60) {
                    let input = self.input();
                    let model = self.model();
                    out.push((
                        depth,
                        format!("{v} = await {r}.async_run({model}, input={input})"),
                    ));
                } else if self.rng.chance(50) {
                    let args = vec![self.model(), self.input()];
                    self.call(depth, &format!("{v} = {r}.run"), &args, out);
                } else {
                    let mut args = vec![self.model(), format!("input={}", self.input())];
                    if self.rng.chance(20) {
                        args.push("use_file_output=False".into());
                    }
                    if self.rng.chance(15) {
                        args.push("wait=False".into());
                    }
                    self.call(depth, &format!("{v} = {r}.run"), &args, out);
                }
                if self.rng.chance(30) {
                    out.push((depth, format!("for item in {v}:")));
                    out.push((depth + 1, "print(item)".into()));
                }
            }
            3 => {
                let model = self.model();
                let input = self.input();
                if scope == Scope::Async && self.rng.chance(50) {
                    out.push((
                        depth,
                        format!(
                            "async for event in await {r}.async_stream({model}, input={input}):"
                        ),
                    ));
                } else {
                    out.push((
                        depth,
                        format!("for event in {r}.stream({model}, input={input}):"),
                    ));
                }
                out.push((depth + 1, "print(str(event), end=\"\")".into()));
            }
            4..=6 => {
                let target = match self.rng.below(4) {
                    0 => format!("model={}", self.model()),
                    1 => format!("\"{}\"", self.rng.pick(VERSIONS)),
                    _ => format!("version=\"{}\"", self.rng.pick(VERSIONS)),
                };
                let mut args = vec![target, format!("input={}", self.input())];
                if self.rng.chance(20) {
                    args.push("webhook=\"https://example.com/hook\"".into());
                    args.push("webhook_events_filter=[\"completed\"]".into());
                }
                if self.rng.chance(10) {
                    args.push("wait=True".into());
                }
                if scope == Scope::Async && self.rng.chance(40) {
                    self.call(
                        depth,
                        &format!("{p} = await {r}.predictions.async_create"),
                        &args,
                        out,
                    );
                } else {
                    self.call(depth, &format!("{p} = {r}.predictions.create"), &args, out);
                }
                self.prediction_followups(depth, &p, scope, out);
            }
            7 => {
                match self.rng.below(3) {
                    0 => out.push((depth, format!("{p} = {r}.predictions.get(\"pred_123\")"))),
                    1 => out.push((depth, format!("{p} = {r}.predictions.get(prediction_id)"))),
                    _ => out.push((depth, format!("{r}.predictions.cancel(\"pred_123\")"))),
                }
                self.prediction_followups(depth, &p, scope, out);
            }
            8 => match self.rng.below(3) {
                0 => {
                    out.push((depth, format!("for item in {r}.predictions.list():")));
                    out.push((depth + 1, "print(item.id, item.status)".into()));
                }
                1 => {
                    out.push((depth, format!("page = {r}.predictions.list()")));
                    out.push((depth, "print(page.next, len(page.results))".into()));
                    out.push((depth, format!("page = {r}.predictions.list(page.next)")));
                }
                _ => {
                    out.push((depth, format!("first = {r}.predictions.list().results[0]")));
                }
            },
            9 => {
                let m = if self.rng.chance(50) { "m" } else { "model" };
                match self.rng.below(3) {
                    0 => out.push((depth, format!("{m} = {r}.models.get(\"owner/name\")"))),
                    1 => out.push((depth, format!("{m} = {r}.models.get(\"owner\", \"name\")"))),
                    _ => out.push((depth, format!("{m} = {r}.models.get(model_ref)"))),
                }
                match self.rng.below(4) {
                    0 => out.push((
                        depth,
                        format!(
                            "version = {m}.versions.get(\"{}\")",
                            self.rng.pick(VERSIONS)
                        ),
                    )),
                    1 => {
                        out.push((depth, format!("for ver in {m}.versions.list():")));
                        out.push((depth + 1, "print(ver.id, ver.created_at)".into()));
                    }
                    2 => out.push((depth, format!("print({m}.latest_version.id)"))),
                    _ => {}
                }
            }
            10 => match self.rng.below(3) {
                0 => {
                    out.push((depth, format!("d = {r}.deployments.get(\"acme/sdxl\")")));
                    let input = self.input();
                    out.push((depth, format!("{p} = d.predictions.create(input={input})")));
                    self.prediction_followups(depth, &p, scope, out);
                }
                1 => {
                    let input = self.input();
                    out.push((
                        depth,
                        format!(
                            "{p} = {r}.deployments.predictions.create(\"acme/sdxl\", input={input})"
                        ),
                    ));
                    self.prediction_followups(depth, &p, scope, out);
                }
                _ => out.push((
                    depth,
                    format!("{r}.deployments.update(\"acme\", \"sdxl\", min_instances=1)"),
                )),
            },
            11 => {
                let t = if self.rng.chance(50) { "t" } else { "training" };
                match self.rng.below(3) {
                    0 => {
                        let args = vec![
                            "version=\"owner/model:abc123\"".to_string(),
                            format!("input={}", self.input()),
                            "destination=\"me/tuned\"".to_string(),
                        ];
                        self.call(depth, &format!("{t} = {r}.trainings.create"), &args, out);
                    }
                    1 => out.push((
                        depth,
                        format!(
                            "{t} = {r}.trainings.create(model=\"owner/model\", version=\"abc123\", input={{}}, destination=\"me/tuned\")"
                        ),
                    )),
                    _ => out.push((depth, format!("{t} = {r}.trainings.get(\"tr_1\")"))),
                }
                match self.rng.below(3) {
                    0 => out.push((depth, format!("{t}.cancel()"))),
                    1 => out.push((depth, format!("{t}.reload()"))),
                    _ => out.push((depth, format!("print({t}.status)"))),
                }
            }
            12 => match self.rng.below(3) {
                0 => out.push((
                    depth,
                    format!("upload = {r}.files.create(open(\"photo.png\", \"rb\"))"),
                )),
                1 => out.push((depth, format!("upload = {r}.files.get(\"file_1\")"))),
                _ => {
                    out.push((depth, format!("for f in {r}.files.list():")));
                    out.push((depth + 1, "print(f.id)".into()));
                }
            },
            _ => {
                // A client made here, then used.
                let c = if self.rng.chance(50) {
                    "client"
                } else {
                    "local"
                };
                let ctor = self.client_constructor();
                out.push((depth, format!("{c} = {ctor}")));
                let mut local = local.to_vec();
                local.push(c.to_string());
                let input = self.input();
                let model = self.model();
                match self.rng.below(2) {
                    0 => out.push((depth, format!("{v} = {c}.run({model}, {input})"))),
                    _ => {
                        out.push((depth, format!("{p} = {c}.predictions.get(\"pred_9\")")));
                        self.prediction_followups(depth, &p, scope, out);
                    }
                }
            }
        }
    }

    /// A statement that is not the SDK's, or looks like it.
    fn decoy(&mut self, depth: usize, scope: Scope, out: &mut Lines) {
        match self.rng.below(8) {
            0 if self.has_job => {
                out.push((depth, "job = Job()".into()));
                out.push((depth, "job.wait()".into()));
                out.push((depth, "job.run()".into()));
            }
            1 if self.has_subprocess => {
                out.push((
                    depth,
                    "subprocess.run([\"ls\", \"-l\"], check=False)".into(),
                ));
            }
            2 => out.push((depth, "thread.run()".into())),
            3 if scope != Scope::Module => {
                out.push((depth, "replicate = FakeClient()".into()));
                out.push((depth, "replicate.run(\"a/b\", {\"x\": 1})".into()));
            }
            4 => out.push((depth, "print(\"replicate.run('owner/model', {})\")".into())),
            5 => out.push((depth, "settings = {\"replicate\": {\"run\": 1}}".into())),
            6 => out.push((depth, "x = [i * 2 for i in range(3)]".into())),
            _ => out.push((depth, "counter += 1".into())),
        }
    }

    fn comment(&mut self) -> String {
        match self.rng.below(4) {
            0 => "# replicate.run(\"a/b\", {}) in a comment".into(),
            1 => "# TODO: check the output".into(),
            2 => "# é, 日本".into(),
            _ => "#".into(),
        }
    }

    fn statements(
        &mut self,
        depth: usize,
        scope: Scope,
        local: &[String],
        count: usize,
        out: &mut Lines,
    ) {
        for _ in 0..count {
            if self.rng.chance(12) {
                out.push((depth, String::new()));
            }
            if self.rng.chance(10) {
                let c = self.comment();
                out.push((depth, c));
            }
            let before = out.len();
            match self.rng.below(10) {
                0..=4 => self.sdk_statement(depth, scope, local, out),
                5 => self.decoy(depth, scope, out),
                _ if depth < 4 => self.block(depth, scope, local, out),
                _ => self.sdk_statement(depth, scope, local, out),
            }
            if self.rng.chance(8) && out.len() > before {
                let last = out.last_mut().expect("a line");
                if !last.1.ends_with(':') && !last.1.ends_with('(') && !last.1.ends_with(',') {
                    last.1.push_str("  # trailing comment");
                }
            }
        }
    }

    fn block(&mut self, depth: usize, scope: Scope, local: &[String], out: &mut Lines) {
        let n = self.rng.range(1, 3);
        match self.rng.below(6) {
            0 => {
                out.push((depth, "if prompt:".into()));
                self.statements(depth + 1, scope, local, n, out);
                if self.rng.chance(40) {
                    out.push((depth, "else:".into()));
                    self.statements(depth + 1, scope, local, 1, out);
                }
            }
            1 => {
                out.push((depth, "for prompt in prompts:".into()));
                self.statements(depth + 1, scope, local, n, out);
            }
            2 => {
                out.push((depth, "try:".into()));
                self.statements(depth + 1, scope, local, n, out);
                let e = self.exception();
                if self.rng.chance(70) {
                    out.push((depth, format!("except {e} as e:")));
                    out.push((depth + 1, "print(\"failed:\", e)".into()));
                } else {
                    out.push((depth, format!("except {e}:")));
                    out.push((depth + 1, "pass".into()));
                }
                if self.rng.chance(20) {
                    out.push((depth, "finally:".into()));
                    out.push((depth + 1, "print(\"done\")".into()));
                }
            }
            3 => {
                out.push((depth, "with open(\"log.txt\", \"a\") as fh:".into()));
                self.statements(depth + 1, scope, local, n, out);
            }
            4 => {
                out.push((depth, "while attempts < 3:".into()));
                self.statements(depth + 1, scope, local, n, out);
                out.push((depth + 1, "attempts += 1".into()));
            }
            _ => {
                out.push((depth, "if __debug__:".into()));
                self.statements(depth + 1, scope, local, n, out);
            }
        }
    }

    fn function(&mut self, depth: usize, out: &mut Lines) {
        self.functions += 1;
        let name = format!("task_{}", self.functions);
        let asynchronous = self.rng.chance(25);
        let shadow = self.rng.chance(8);
        let mut params = vec!["prompt"];
        if shadow {
            params.push("replicate");
        } else if self.rng.chance(30) {
            params.push("client");
        }
        if self.rng.chance(20) {
            params.push("prompts=()");
        }
        let keyword = if asynchronous { "async def" } else { "def" };
        out.push((depth, format!("{keyword} {name}({}):", params.join(", "))));
        if self.rng.chance(30) {
            out.push((
                depth + 1,
                "\"\"\"Run the model; replicate.run in a docstring.\"\"\"".into(),
            ));
        }
        let scope = if asynchronous {
            Scope::Async
        } else {
            Scope::Function
        };
        if shadow {
            // The parameter shadows the module: only non-SDK-looking statements on it.
            out.push((depth + 1, "replicate.run(\"a/b\", {\"x\": 1})".into()));
            out.push((
                depth + 1,
                "return replicate.predictions.get(\"x\").wait()".into(),
            ));
            return;
        }
        let mut local = Vec::new();
        if params.contains(&"client") {
            local.push("client".to_string());
        }
        let n = self.rng.range(1, 4);
        self.statements(depth + 1, scope, &local, n, out);
        if self.rng.chance(40) {
            let v = self.rng.pick(OUT_VARS);
            out.push((depth + 1, format!("return {v}")));
        }
    }

    fn class(&mut self, depth: usize, out: &mut Lines) {
        self.functions += 1;
        let name = format!("Service{}", self.functions);
        out.push((depth, format!("class {name}:")));
        if self.rng.chance(30) {
            out.push((depth + 1, "\"\"\"A service.\"\"\"".into()));
        }
        if self.rng.chance(30) {
            out.push((depth + 1, "retries = 3".into()));
        }
        out.push((depth + 1, "def __init__(self, token=None):".into()));
        let ctor = self.client_constructor();
        out.push((depth + 2, format!("self.client = {ctor}")));
        for i in 0..self.rng.range(1, 2) {
            out.push((depth + 1, String::new()));
            let asynchronous = self.rng.chance(20);
            let keyword = if asynchronous { "async def" } else { "def" };
            out.push((depth + 1, format!("{keyword} method_{i}(self, prompt):")));
            let scope = if asynchronous {
                Scope::Async
            } else {
                Scope::Function
            };
            let local = vec!["self.client".to_string()];
            let n = self.rng.range(1, 3);
            self.statements(depth + 2, scope, &local, n, out);
        }
    }

    fn program(&mut self) -> (String, Lines) {
        let mut out: Lines = Vec::new();
        let indent = match self.rng.below(4) {
            0 => "\t",
            1 => "  ",
            _ => "    ",
        };
        let newline = if self.rng.chance(16) { "\r\n" } else { "\n" };
        if self.rng.chance(20) {
            out.push((
                0,
                "\"\"\"A generated program that uses replicate 1.x.\"\"\"".into(),
            ));
        }
        if self.rng.chance(10) {
            out.push((0, "# -*- coding: utf-8 -*-".into()));
        }
        self.has_os = self.rng.chance(50);
        if self.has_os {
            out.push((0, "import os".into()));
        }
        self.has_subprocess = self.rng.chance(20);
        if self.has_subprocess {
            out.push((0, "import subprocess".into()));
        }
        if self.rng.chance(15) {
            out.push((0, "import asyncio".into()));
        }
        // The SDK's imports: at least one form that names it.
        loop {
            if self.rng.chance(70) {
                out.push((0, "import replicate".into()));
                self.modules.push("replicate".into());
            }
            if self.rng.chance(25) {
                let alias = if self.rng.chance(50) { "r" } else { "rep" };
                out.push((0, format!("import replicate as {alias}")));
                self.modules.push(alias.into());
            }
            if self.rng.chance(25) {
                out.push((0, "from replicate import Client".into()));
                self.client_name = true;
            }
            if !self.modules.is_empty() || self.client_name {
                break;
            }
        }
        if self.rng.chance(30) {
            out.push((
                0,
                "from replicate.exceptions import ModelError, ReplicateError".into(),
            ));
            self.exceptions = vec!["ModelError", "ReplicateError"];
        }
        out.push((0, String::new()));
        self.receivers = self.modules.clone();
        for name in ["client", "api"] {
            if self.receivers.is_empty() || self.rng.chance(30) {
                let ctor = self.client_constructor();
                out.push((0, format!("{name} = {ctor}")));
                self.receivers.push(name.into());
            }
        }
        out.push((0, "token = None".into()));
        out.push((0, "prompt = \"a cat\"".into()));
        out.push((0, "prompts = [\"a\", \"b\"]".into()));
        out.push((0, "inputs = {\"prompt\": prompt}".into()));
        out.push((0, "model_ref = \"owner/name\"".into()));
        out.push((0, "prediction_id = \"pred_1\"".into()));
        out.push((0, "attempts = counter = 0".into()));
        self.has_job = self.rng.chance(40);
        if self.has_job {
            out.push((0, String::new()));
            out.push((0, "class Job:".into()));
            out.push((1, "def wait(self):".into()));
            out.push((2, "return self".into()));
            out.push((1, String::new()));
            out.push((1, "def run(self):".into()));
            out.push((2, "return 1".into()));
        }
        for _ in 0..self.rng.range(2, 7) {
            out.push((0, String::new()));
            if self.rng.chance(30) {
                out.push((0, String::new()));
            }
            match self.rng.below(6) {
                0 | 1 => self.function(0, &mut out),
                2 => self.class(0, &mut out),
                _ => {
                    let n = self.rng.range(1, 3);
                    self.statements(0, Scope::Module, &[], n, &mut out);
                }
            }
        }
        if self.rng.chance(30) {
            out.push((0, String::new()));
            out.push((0, "if __name__ == \"__main__\":".into()));
            let n = self.rng.range(1, 2);
            self.statements(1, Scope::Module, &[], n, &mut out);
        }
        let mut text = String::new();
        for (depth, line) in &out {
            if !line.is_empty() {
                text.push_str(&indent.repeat(*depth));
                text.push_str(line);
            }
            text.push_str(newline);
        }
        if self.rng.chance(5) {
            // No line end at the end of the file.
            text.truncate(text.len() - newline.len());
        }
        (text, out)
    }
}

fn generate(seed: u64) -> String {
    Gen::new(seed).program().0
}

// ---------------------------------------------------------------------------------------------
// Running the binary and CPython

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(4000).collect::<String>();
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

fn run(dir: &Path, threads: usize, args: &[&str]) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("REPLICATE_MIGRATE_TEST_PAUSE_AT")
        .env_remove("REPLICATE_MIGRATE_TEST_PAUSE_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("the binary starts");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Two runs at once (the default run is timed: the two thread counts overlap).
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|s| {
        let first = s.spawn(a);
        let second = b();
        (first.join().expect("the run finishes"), second)
    })
}

const CHECK: &[&str] = &[
    "check",
    "--isolated",
    "--unsafe-fixes",
    "--output-format",
    "json",
    ".",
];
const FIX: &[&str] = &[
    "fix",
    "--isolated",
    "--unsafe-fixes",
    "--output-format",
    "json",
    ".",
];

const COMPILE: &str = r#"
import sys, warnings
warnings.simplefilter("ignore")
for path in sys.stdin.read().splitlines():
    try:
        compile(open(path, "rb").read(), path, "exec")
    except BaseException as e:
        print(path + "\t" + type(e).__name__ + ": " + str(e).replace("\n", " "))
"#;

/// The files of `paths` CPython does not compile, with its message.
fn cpython_rejects(paths: &[PathBuf]) -> BTreeMap<PathBuf, String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .args(["-c", COMPILE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 ran");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, m)| (PathBuf::from(p), m.to_string()))
        .collect()
}

/// Every regular file under `dir`, by path relative to it.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

fn write_all(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (name, bytes) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

fn findings(run: &Run) -> Vec<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(&run.stdout) {
        Ok(serde_json::Value::Array(items)) => items,
        _ => panic!("the JSON output parses\n{run}"),
    }
}

fn panicked(run: &Run) -> bool {
    matches!(run.code, Some(101) | Some(134) | None) || run.stderr.contains("panicked")
}

// ---------------------------------------------------------------------------------------------
// (d): the bytes outside the reported edits

/// Byte offsets of (1-based row, 1-based column in characters), as the tool counts them: a line
/// ends after `\n`, after `\r\n`, or after a `\r` not followed by `\n`.
fn offset_of(bytes: &[u8], row: usize, column: usize) -> usize {
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
        i += 1;
    }
    let start = starts[(row - 1).min(starts.len() - 1)];
    let text = String::from_utf8_lossy(&bytes[start..]);
    let mut offset = start;
    for (n, c) in text.chars().enumerate() {
        if n + 1 == column {
            return offset;
        }
        offset += c.len_utf8();
    }
    bytes.len()
}

/// The ranges the first pass reports for one file (each finding's, each of its fix edits'), as
/// byte ranges of the original.
fn edit_ranges(bytes: &[u8], file_findings: &[&serde_json::Value]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let at = |loc: &serde_json::Value| {
        offset_of(
            bytes,
            loc["row"].as_u64().unwrap() as usize,
            loc["column"].as_u64().unwrap() as usize,
        )
    };
    for f in file_findings {
        ranges.push((at(&f["location"]), at(&f["end_location"])));
        if let Some(edits) = f["fix"]["edits"].as_array() {
            for e in edits {
                ranges.push((at(&e["location"]), at(&e["end_location"])));
            }
        }
    }
    ranges.sort();
    ranges
}

/// Text the import stage may add between two kept pieces: whole lines of imports and of the
/// tool's helpers, or `, Name` after a `from replicate import ...`.
fn import_text(gap: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(gap) else {
        return false;
    };
    if let Some(names) = text.strip_prefix(", ") {
        return names
            .split(", ")
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }
    text.split('\n').all(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        line.is_empty()
            || line.starts_with("import ")
            || (line.starts_with("from ") && line.contains(" import "))
            || line.starts_with("def _replicate_")
            || line.starts_with("async def _replicate_")
            || line.starts_with(' ')
            || line.starts_with('\t')
    })
}

/// Where the import stage may insert inside a kept segment: line starts, and the end of the
/// code of a top-level `import`/`from` line.
fn insertion_points(original: &[u8], start: usize, end: usize) -> Vec<usize> {
    let mut points = Vec::new();
    let mut line_start = 0;
    for (i, b) in original.iter().enumerate() {
        if *b == b'\n' {
            let line = &original[line_start..i];
            if line.starts_with(b"import ") || line.starts_with(b"from ") {
                let code_end = line.iter().position(|c| *c == b'#').unwrap_or(line.len());
                let mut e = code_end;
                while e > 0 && matches!(line[e - 1], b' ' | b'\t' | b'\r') {
                    e -= 1;
                }
                points.push(line_start + e);
            }
            line_start = i + 1;
            points.push(line_start);
        }
    }
    points.retain(|p| *p > start && *p < end);
    points.dedup();
    points
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from);
    }
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `Err(description)` when a byte outside `ranges` is not kept in `output` (see the doc comment
/// at the top for exactly what is allowed).
fn kept_outside(original: &[u8], output: &[u8], ranges: &[(usize, usize)]) -> Result<(), String> {
    // Merge the ranges; a zero-width one stays a split point.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s < last.1 || (s == last.1 && s > last.0 && e > s) => {
                last.1 = last.1.max(e)
            }
            _ => merged.push((s, e)),
        }
    }
    // Kept segments between the ranges.
    let mut segments = Vec::new();
    let mut cursor = 0;
    for &(s, e) in &merged {
        if s >= cursor {
            segments.push((cursor, s));
        }
        cursor = cursor.max(e);
    }
    segments.push((cursor, original.len()));
    let last_index = segments.len() - 1;
    let mut at = 0usize;
    for (index, &(start, end)) in segments.iter().enumerate() {
        let mut bounds = vec![start];
        bounds.extend(insertion_points(original, start, end));
        bounds.push(end);
        let pieces: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        let last = index == last_index;
        // Where the segment may start in the output: right at `at` for the first (imports
        // aside), anywhere after it behind an edit, each place tried in turn.
        let candidates: Vec<usize> = if index == 0 {
            vec![0]
        } else {
            let first = &original[pieces[0].0..pieces[0].1];
            let mut c = Vec::new();
            let mut from = at;
            while let Some(p) = find(output, first, from) {
                c.push(p);
                if first.is_empty() || p >= output.len() {
                    break;
                }
                from = p + 1;
            }
            c
        };
        let mut error = None;
        let mut matched = None;
        for candidate in candidates {
            match match_pieces(original, output, &pieces, candidate, index == 0, last) {
                Ok(end) => {
                    matched = Some(end);
                    break;
                }
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        match matched {
            Some(end) => at = end,
            None => {
                return Err(error.unwrap_or_else(|| {
                    format!(
                        "original bytes {}..{} ({:?}) are not found in the output after output byte {at} ({:?})",
                        start,
                        end,
                        String::from_utf8_lossy(&original[start..end.min(start + 80)]),
                        String::from_utf8_lossy(&output[at..(at + 80).min(output.len())])
                    )
                }))
            }
        }
    }
    Ok(())
}

/// Matches the pieces of one kept segment from `at` on, with only the import stage's text
/// allowed between them (and before the first one, when `top`); the last piece of the `last`
/// segment must end the output. Returns where the segment ends in the output.
fn match_pieces(
    original: &[u8],
    output: &[u8],
    pieces: &[(usize, usize)],
    mut at: usize,
    top: bool,
    last: bool,
) -> Result<usize, String> {
    for (k, &(s, e)) in pieces.iter().enumerate() {
        let piece = &original[s..e];
        let found = if last && k + 1 == pieces.len() {
            output
                .len()
                .checked_sub(piece.len())
                .filter(|p| *p >= at && output[*p..] == *piece)
        } else if output[at..].starts_with(piece) {
            Some(at)
        } else if k == 0 && !top {
            None
        } else {
            find(output, piece, at)
        };
        let Some(found) = found else {
            return Err(format!(
                "original bytes {s}..{e} ({:?}) are not found in the output after output byte {at} ({:?})",
                String::from_utf8_lossy(piece),
                String::from_utf8_lossy(&output[at..(at + 80).min(output.len())])
            ));
        };
        // Behind an edit (the first piece of a segment but the first), any text may come.
        if found > at && (k > 0 || top) && !import_text(&output[at..found]) {
            return Err(format!(
                "output bytes {at}..{found} ({:?}) were added before original byte {s}, outside every reported edit",
                String::from_utf8_lossy(&output[at..found]),
            ));
        }
        at = found + piece.len();
    }
    Ok(at)
}

// ---------------------------------------------------------------------------------------------
// The property test

fn cases_from_env() -> (u64, usize) {
    let parse = |name: &str| {
        std::env::var(name).ok().map(|v| {
            let v = v.trim().to_string();
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).expect("a hex number"),
                None => v.parse::<u64>().expect("a number"),
            }
        })
    };
    let seed = parse("PROPERTY_SEED").unwrap_or(DEFAULT_SEED);
    let cases = parse("PROPERTY_CASES").unwrap_or(200) as usize;
    (seed, cases)
}

fn file_name(seed: u64) -> String {
    format!("s{seed}.py")
}

/// Runs the properties over `cases` programs from `seed` on; returns the failures.
fn check_properties(seed: u64, cases: usize) -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut fail = |name: &str, what: String| failures.push((name.to_string(), what));

    let originals: BTreeMap<String, Vec<u8>> = (0..cases as u64)
        .map(|i| {
            let s = seed.wrapping_add(i);
            (file_name(s), generate(s).into_bytes())
        })
        .collect();
    let input = root.join("input");
    let one = root.join("one");
    let four = root.join("four");
    for d in [&input, &one, &four] {
        fs::create_dir(d).unwrap();
        write_all(d, &originals);
    }

    // (a) the generator writes Python.
    let paths: Vec<PathBuf> = originals.keys().map(|n| input.join(n)).collect();
    for (path, message) in cpython_rejects(&paths) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        fail(&name, format!("(a) the input does not compile: {message}"));
    }

    // The first pass's edits, and (e) on `check`.
    let (check4, check1) = both(|| run(&input, 4, CHECK), || run(&input, 1, CHECK));
    assert!(
        !panicked(&check4) && !panicked(&check1),
        "{check4}\n{check1}"
    );
    assert_eq!(check4.code, Some(1), "{check4}");
    if check4.stdout != check1.stdout {
        fail(
            "(all)",
            "(e) `check` prints other JSON with 1 thread than with 4".into(),
        );
    }
    let first_pass = findings(&check4);
    assert!(snapshot(&input) == originals, "`check` changes nothing");

    // (b) and (e) on `fix`.
    let (fix4, fix1) = both(|| run(&four, 4, FIX), || run(&one, 1, FIX));
    assert!(!panicked(&fix4) && !panicked(&fix1), "{fix4}\n{fix1}");
    assert!(matches!(fix4.code, Some(0) | Some(1)), "{fix4}");
    if fix4.stdout != fix1.stdout {
        fail(
            "(all)",
            "(e) `fix` prints other JSON with 1 thread than with 4".into(),
        );
    }
    let fixed = snapshot(&four);
    let fixed_one = snapshot(&one);
    for (name, bytes) in &fixed {
        if fixed_one.get(name) != Some(bytes) {
            fail(
                name,
                "(e) the fixed file differs with 1 thread and with 4".into(),
            );
        }
    }
    for f in findings(&check4).iter().chain(findings(&fix4).iter()) {
        let code = f["code"].as_str().unwrap_or("");
        if ["RM000", "RM002", "RM004", "RM010", "RM011"].contains(&code) {
            let name = f["filename"].as_str().unwrap_or("?");
            fail(
                name,
                format!("(b) the run reports {code}: {}", f["message"]),
            );
        }
    }
    let paths: Vec<PathBuf> = fixed.keys().map(|n| four.join(n)).collect();
    for (path, message) in cpython_rejects(&paths) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        fail(
            &name,
            format!("(b) the fixed file does not compile: {message}"),
        );
    }

    // (c) a second `fix` changes nothing.
    let again = run(&four, 4, FIX);
    assert!(!panicked(&again), "{again}");
    let twice = snapshot(&four);
    for (name, bytes) in &fixed {
        if twice.get(name) != Some(bytes) {
            let second = twice.get(name).cloned().unwrap_or_default();
            fail(
                name,
                format!(
                    "(c) a second `fix` changes the file:\n--- after one\n{}\n--- after two\n{}",
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(&second)
                ),
            );
        }
    }

    // (d) only the reported edits change bytes.
    for (name, original) in &originals {
        let of_file: Vec<&serde_json::Value> = first_pass
            .iter()
            .filter(|f| f["filename"].as_str() == Some(name.as_str()))
            .collect();
        let ranges = edit_ranges(original, &of_file);
        if let Err(e) = kept_outside(original, &fixed[name], &ranges) {
            fail(
                name,
                format!(
                    "(d) {e}\n--- fixed\n{}",
                    String::from_utf8_lossy(&fixed[name])
                ),
            );
        }
    }
    failures
}

#[test]
fn generated_programs_keep_the_properties() {
    let (seed, cases) = cases_from_env();
    let started = Instant::now();
    let failures = check_properties(seed, cases);
    if failures.is_empty() {
        eprintln!(
            "{cases} generated programs from seed {seed}: all properties hold ({:.1?})",
            started.elapsed()
        );
        return;
    }
    let mut report = format!("{} failures:\n", failures.len());
    let mut shown = std::collections::BTreeSet::new();
    for (name, what) in &failures {
        let short: String = what
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(300)
            .collect();
        let _ = writeln!(report, "  {name}: {short}");
    }
    for (name, what) in failures.iter().take(3) {
        if let Some(s) = name
            .strip_prefix('s')
            .and_then(|n| n.strip_suffix(".py"))
            .and_then(|n| n.parse::<u64>().ok())
        {
            if shown.insert(s) {
                let _ = write!(
                    report,
                    "\n=== seed {s}: {what}\n--- program\n{}\nreproduce: PROPERTY_SEED={s} PROPERTY_CASES=1 cargo test --test property generated\n",
                    generate(s)
                );
            }
        }
    }
    panic!("{report}");
}

#[test]
fn the_generator_is_deterministic_and_varied() {
    assert_eq!(generate(7), generate(7));
    assert_ne!(generate(7), generate(8));
    let many: Vec<String> = (0..200).map(generate).collect();
    for needle in [
        "\r\n",
        "\t",
        "import replicate as r",
        "from replicate import Client",
        "except ReplicateError as e",
        "async_run",
        "class Job:",
        ".predictions.create(",
        ".wait()",
        ".trainings.create(",
        ".deployments.",
        ".stream(",
    ] {
        assert!(
            many.iter().any(|p| p.contains(needle)),
            "no program has {needle:?}"
        );
    }
}

#[test]
fn the_locality_check_sees_a_change_outside_the_edits() {
    let original = b"import replicate\nx = 1\nout = replicate.run('a', {})\n";
    let edit = (original.len() - 4, original.len() - 4);
    let good = b"import replicate\nx = 1\nout = replicate.run('a', input={})\n";
    assert_eq!(kept_outside(original, good, &[edit]), Ok(()));
    let with_import = b"import replicate\nimport json\nx = 1\nout = replicate.run('a', input={})\n";
    assert_eq!(kept_outside(original, with_import, &[edit]), Ok(()));
    let bad = b"import replicate\nx = 2\nout = replicate.run('a', input={})\n";
    assert!(kept_outside(original, bad, &[edit]).is_err());
    let bad_tail = b"import replicate\nx = 1\nout = replicate.run('a', input={})\n\n";
    assert!(kept_outside(original, bad_tail, &[edit]).is_err());
    let added = b"import replicate\nx = 1\ny = 0\nout = replicate.run('a', input={})\n";
    assert!(kept_outside(original, added, &[edit]).is_err());
}

// ---------------------------------------------------------------------------------------------
// The mutation fuzz (scripts/fuzz.sh)

const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\"\"\"",
    "'''",
    ":",
    ",",
    "\\",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "    ",
    "#",
    "=",
    "*",
    "**",
    "await ",
    "async ",
    "lambda: ",
    "replicate.",
    ".wait()",
    "input=",
    "é",
    "\u{feff}",
    "f\"{",
    "}\"",
    "yield ",
    "return ",
    "del ",
    "global x\n",
    ":=",
    "nonlocal p\n",
    "if x:\n",
    "else:\n",
    "class C:\n",
    "def f():\n",
    "@deco\n",
    ";",
    "..",
    "0777",
    "print 'x'",
    "\\\n",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    let pos = if len == 0 { 0 } else { rng.below(len + 1) };
    let lines = |b: &[u8]| -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let mut s = 0;
        for (i, c) in b.iter().enumerate() {
            if *c == b'\n' {
                v.push((s, i + 1));
                s = i + 1;
            }
        }
        if s < b.len() {
            v.push((s, b.len()));
        }
        v
    };
    match rng.below(11) {
        0 if len > 0 => {
            bytes.remove(pos.min(len - 1));
        }
        1 if len > 0 => {
            let end = (pos + rng.range(1, 40)).min(len);
            bytes.drain(pos.min(len)..end);
        }
        2 | 3 => {
            let t = rng.pick(TOKENS).as_bytes();
            bytes.splice(pos..pos, t.iter().copied());
        }
        4 => {
            let ls = lines(bytes);
            if let Some(&(s, e)) = ls.get(rng.below(ls.len().max(1))) {
                let line = bytes[s..e].to_vec();
                bytes.splice(e..e, line);
            }
        }
        5 => {
            let ls = lines(bytes);
            if ls.len() > 1 {
                let a = rng.below(ls.len());
                let (s, e) = ls[a];
                bytes.drain(s..e);
            }
        }
        6 => {
            let ls = lines(bytes);
            if let Some(&(s, _)) = ls.get(rng.below(ls.len().max(1))) {
                let indent: &[u8] = rng.pick(&[&b"    "[..], b"\t", b" ", b"        "]);
                bytes.splice(s..s, indent.iter().copied());
            }
        }
        7 => {
            bytes.truncate(pos);
        }
        8 => {
            let b: &[u8] = rng.pick(&[&b"\xff"[..], b"\x80", b"\xc3", b"\x00", b"\xe6\x97"]);
            bytes.splice(pos..pos, b.iter().copied());
        }
        9 => {
            let ls = lines(bytes);
            if ls.len() > 2 {
                let a = rng.below(ls.len() - 1);
                let (s1, e1) = ls[a];
                let (s2, e2) = ls[a + 1];
                let first = bytes[s1..e1].to_vec();
                let second = bytes[s2..e2].to_vec();
                let mut swapped = second;
                swapped.extend(first);
                bytes.splice(s1..e2, swapped);
            }
        }
        _ => {
            // Replace an identifier-ish word with another SDK word.
            let words: &[&str] = &[
                "replicate",
                "wait",
                "run",
                "predictions",
                "Client",
                "client",
                "p",
                "self",
                "async_run",
                "stream",
                "input",
            ];
            let w = rng.pick(words).as_bytes();
            let mut s = pos.min(len);
            while s > 0 && bytes[s - 1].is_ascii_alphanumeric() {
                s -= 1;
            }
            let mut e = pos.min(len);
            while e < len && bytes[e].is_ascii_alphanumeric() {
                e += 1;
            }
            bytes.splice(s..e, w.iter().copied());
        }
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![
        root.join("fixtures"),
        root.join("tests/e2e/programs"),
        root.join("tests/cli"),
        root.join("examples"),
    ];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                out.push((
                    path.strip_prefix(root).unwrap().display().to_string(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// One round of the mutation fuzz; returns what failed, each with the failing input.
fn fuzz_round(rng: &mut Rng, corpus: &[(String, Vec<u8>)], files: usize) -> Vec<(String, Vec<u8>)> {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("work");
    fs::create_dir(&dir).unwrap();
    let mut inputs: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
    for i in 0..files {
        let (origin, mut bytes) = if rng.chance(50) {
            let s = rng.next();
            (format!("seed {s}"), generate(s).into_bytes())
        } else {
            corpus[rng.below(corpus.len())].clone()
        };
        for _ in 0..rng.range(1, 4) {
            mutate(rng, &mut bytes);
        }
        inputs.insert(format!("m{i}.py"), (origin, bytes));
    }
    let originals: BTreeMap<String, Vec<u8>> = inputs
        .iter()
        .map(|(n, (_, b))| (n.clone(), b.clone()))
        .collect();
    write_all(&dir, &originals);
    let paths: Vec<PathBuf> = originals.keys().map(|n| dir.join(n)).collect();
    let rejected_before: Vec<String> = cpython_rejects(&paths)
        .keys()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();

    let mut failures = Vec::new();
    let all_inputs = |why: String| -> Vec<(String, Vec<u8>)> {
        originals
            .iter()
            .map(|(n, b)| (format!("{why} [{n}]"), b.clone()))
            .collect()
    };
    let check = run(&dir, 2, CHECK);
    if panicked(&check) || !matches!(check.code, Some(0) | Some(1)) {
        failures.extend(all_inputs(format!("check: {check}")));
        return failures;
    }
    let fix = run(&dir, 2, FIX);
    if panicked(&fix) || !matches!(fix.code, Some(0) | Some(1)) {
        failures.extend(all_inputs(format!("fix: {fix}")));
        return failures;
    }
    for f in findings(&check).iter().chain(findings(&fix).iter()) {
        if f["code"] == "RM011" {
            let name = f["filename"].as_str().unwrap_or("?").to_string();
            if let Some(b) = originals.get(&name) {
                failures.push((format!("RM011 on {name}: {}", f["message"]), b.clone()));
            }
        }
    }
    let after = snapshot(&dir);
    let changed: Vec<String> = originals
        .iter()
        .filter(|(n, b)| after.get(*n) != Some(*b))
        .map(|(n, _)| n.clone())
        .collect();
    for name in &changed {
        if rejected_before.contains(name) {
            failures.push((
                format!(
                    "{name} ({}): CPython rejects it, yet `fix` wrote it",
                    inputs[name].0
                ),
                originals[name].clone(),
            ));
        }
    }
    let paths: Vec<PathBuf> = changed.iter().map(|n| dir.join(n)).collect();
    for (path, message) in cpython_rejects(&paths) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        failures.push((
            format!(
                "{name} ({}): the written file does not compile: {message}",
                inputs[&name].0
            ),
            originals[&name].clone(),
        ));
    }
    // A second `fix` changes nothing (the property test's (c), on inputs no generator writes).
    let again = run(&dir, 2, FIX);
    if panicked(&again) {
        failures.extend(all_inputs(format!("second fix: {again}")));
        return failures;
    }
    let twice = snapshot(&dir);
    for (name, bytes) in &after {
        if twice.get(name) != Some(bytes) && originals.contains_key(name) {
            failures.push((
                format!(
                    "{name} ({}): a second `fix` changes it again",
                    inputs[name].0
                ),
                originals[name].clone(),
            ));
        }
    }
    failures
}

#[test]
#[ignore = "long: scripts/fuzz.sh runs it"]
fn mutation_fuzz() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    let out_dir = std::env::var("FUZZ_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings"));
    let corpus = corpus();
    assert!(corpus.len() > 50, "the fixtures are found");
    let mut rng = Rng::new(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut rounds, mut files, mut found) = (0usize, 0usize, 0usize);
    while Instant::now() < deadline {
        let n = 100;
        let failures = fuzz_round(&mut rng, &corpus, n);
        rounds += 1;
        files += n;
        for (what, bytes) in failures {
            found += 1;
            fs::create_dir_all(&out_dir).unwrap();
            let path = out_dir.join(format!("finding-{seed}-{found}.py"));
            fs::write(&path, &bytes).unwrap();
            fs::write(path.with_extension("txt"), &what).unwrap();
            eprintln!(
                "FINDING {}: {}",
                path.display(),
                what.lines().next().unwrap_or("")
            );
        }
    }
    eprintln!(
        "mutation fuzz, seed {seed}: {rounds} rounds, {files} mutated files, {found} findings"
    );
    assert_eq!(found, 0, "findings in {}", out_dir.display());
}

/// Writes the programs of `PROPERTY_SEED`/`PROPERTY_CASES` into `PROPERTY_DUMP` (a directory),
/// to look at or reduce one: `PROPERTY_DUMP=/tmp/p PROPERTY_SEED=7 PROPERTY_CASES=1 cargo test
/// --test property dump -- --ignored`.
#[test]
#[ignore = "a tool: writes the generated programs to PROPERTY_DUMP"]
fn dump() {
    let dir = PathBuf::from(std::env::var("PROPERTY_DUMP").expect("PROPERTY_DUMP is set"));
    let (seed, cases) = cases_from_env();
    fs::create_dir_all(&dir).unwrap();
    for i in 0..cases as u64 {
        let s = seed.wrapping_add(i);
        fs::write(dir.join(file_name(s)), generate(s)).unwrap();
    }
}
