#!/usr/bin/env python3
"""The replicate-migrate benchmark (issue 13): corpora, interleaved runs, ratios against targets.

    python3 bench/run.py                 # everything; builds, installs tools, makes corpora
    python3 bench/run.py --quick         # a 1,000-file dense tree: check / fix --diff / fix vs floor
    python3 bench/run.py --readme        # also put the table in README.md (Performance section)
    cargo bench --bench check_tree [-- --full]   # the same, with the binaries cargo built

What it does, in order (each step says so when it runs):

1. Builds: `cargo bench --no-run --bench check_tree --message-format=json` gives the release
   `replicate-migrate` and the bench binary whose `--parse-only` mode is the parse floor (same
   walker, same prefilter, read + tree-sitter parse in parallel, nothing else).
2. Tools (not with --quick): `rg` (`apt-get update && apt-get install -y ripgrep` when missing
   and we are root) and ruff (pinned, `pip install` into a venv in the cache directory).
3. Corpora, cached in `${XDG_CACHE_HOME:-~/.cache}/replicate-migrate-bench/` and rebuilt when
   their recipe changes: the dense tree (`bench/gen_dense.py`, seeded: 5,000 files, ~520k
   lines, 77% use the v1 SDK), the same at 10x the files, one file with many findings at 1x and
   10x, and the big clean tree (CPython's stdlib of this interpreter, Django and SymPy sdists from
   `pip download --no-binary :all: --no-deps`, ~2M lines, plus 9 small generated SDK files).
   Only `.py` files are copied, so every tool sees the same files.
4. Runs every command of a group once untimed (warm cache, exit codes, what it found), then N
   timed rounds, interleaved (round i starts at command i), `fix` on a fresh copy each time
   (copied outside the timing). Wall time from fork to wait; CPU (user+sys) and max RSS from
   `wait4`'s rusage of that process.
5. Prints a markdown report (medians, spread, CPU, RSS, target ratios with PASS/FAIL) and writes
   it to the cache's results/; `--readme` replaces the block between `<!-- bench:start -->` and
   `<!-- bench:end -->` in README.md.

Exit status: 0 when the benchmark ran (whether or not targets pass; `--strict` makes a FAIL
exit 1), 2 when something could not run. Standard library only (Python 3.9+).
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "bench", "gen_dense.py")

RUFF_VERSION = "0.17.6"
DJANGO_VERSION = "5.1.4"
SYMPY_VERSION = "1.13.3"
DENSE_FILES = 5000
QUICK_FILES = 1000  # --quick: the same generator and seed, fewer files
DENSE_SEED = 13
FINDINGS_BLOCKS = 200
# Directories the tool never walks by default; left out of the copied corpora so that rg and
# ruff (which have their own rules) see the same files.
SKIP_DIRS = {".venv", "venv", "site-packages", "build", "dist", ".git", "__pypackages__",
             "node_modules", "__pycache__"}

TIME = None  # GNU time, when there is one (set in main)
SCRATCH = None

# (name, what, limit): the targets; ratios are of medians from one interleaved run.
TARGETS = {
    "dense_check_floor": ("dense `check` / parse floor", 1.25),
    "dense_diff_check": ("dense `fix --diff` / `check`", 1.5),
    "dense_fix_check": ("dense `fix` / `check`", 1.6),
    "big_check_rg": ("big clean tree `check` / `rg -l`", 2.5),
    "rss_dense": ("dense max RSS (check, fix --diff, fix), MiB", 150),
    "rss_big": ("big tree max RSS (check, fix --diff, fix), MiB", 150),
    "rss_dense_largest": ("dense max RSS / largest file", 20),
    "rss_big_largest": ("big tree max RSS / largest file", 20),
    "files_linear": ("`check` time, 10x files / 1x files", 11),
    "findings_linear_check": ("`check` time, 10x findings in one file / 1x", 11),
    "findings_linear_diff": ("`fix --diff` time, 10x findings in one file / 1x", 11),
}


def say(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def die(msg):
    say(f"error: {msg}")
    sys.exit(2)


def run_quiet(cmd, **kw):
    say("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def file_digest(*paths, extra=""):
    h = hashlib.sha256(extra.encode())
    for p in paths:
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:10]


# --- building ----------------------------------------------------------------------------------

def build():
    """Builds the release binary and the bench binary; returns (tool, floor)."""
    cmd = ["cargo", "bench", "--no-run", "--bench", "check_tree", "--message-format=json"]
    say("building: " + " ".join(cmd))
    out = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, check=True, text=True).stdout
    tool = floor = None
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") != "compiler-artifact" or not msg.get("executable"):
            continue
        target = msg["target"]
        if target["name"] == "replicate-migrate" and "bin" in target["kind"]:
            tool = msg["executable"]
        elif target["name"] == "check_tree":
            floor = msg["executable"]
    if not tool or not floor:
        die("cargo did not report the replicate-migrate and check_tree executables")
    return tool, floor


# --- tools -------------------------------------------------------------------------------------

def ensure_rg():
    rg = shutil.which("rg")
    if rg:
        return rg
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("rg not found: installing ripgrep with apt-get (we are root)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run_quiet(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
        run_quiet(["apt-get", "install", "-y", "-q", "ripgrep"], env=env, stdout=subprocess.DEVNULL)
        return shutil.which("rg")
    say("rg not found and cannot install it (not root or no apt-get): skipping `rg -l` rows")
    return None


def ensure_ruff(cache):
    venv = os.path.join(cache, f"venv-ruff-{RUFF_VERSION}")
    ruff = os.path.join(venv, "bin", "ruff")
    if os.path.exists(ruff):
        return ruff
    say(f"installing ruff=={RUFF_VERSION} into {venv} (python3 -m venv, pip install)")
    try:
        run_quiet([sys.executable, "-m", "venv", venv])
        run_quiet([os.path.join(venv, "bin", "pip"), "install", "-q", f"ruff=={RUFF_VERSION}"])
    except (subprocess.CalledProcessError, OSError) as e:
        say(f"cannot install ruff ({e}): skipping `ruff` rows")
        shutil.rmtree(venv, ignore_errors=True)
        return None
    return ruff


def ensure_time():
    """GNU time, to measure a command's max RSS without counting ours (see Command.run)."""
    def works(path):
        try:
            return subprocess.run([path, "-f", "%M", "-o", "/dev/null", "true"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        except OSError:
            return False
    if works("/usr/bin/time"):
        return "/usr/bin/time"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("GNU time not found: installing the `time` package with apt-get (we are root)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            run_quiet(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
            run_quiet(["apt-get", "install", "-y", "-q", "time"], env=env, stdout=subprocess.DEVNULL)
        except (subprocess.CalledProcessError, OSError):
            pass
        if works("/usr/bin/time"):
            return "/usr/bin/time"
    say("GNU time not available: max RSS falls back to wait4's, which also counts this runner")
    return None


def version_of(cmd):
    try:
        out = subprocess.run(cmd + ["--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=30).stdout
        return out.splitlines()[0].strip() if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


# --- corpora -----------------------------------------------------------------------------------

def corpus_stats(path):
    """Python files, lines, bytes, largest file (bytes) and files mentioning `replicate`."""
    files = lines = size = largest = mentions = 0
    paths = [path] if os.path.isfile(path) else None
    if paths is None:
        paths = []
        for d, dirs, names in os.walk(path):
            dirs[:] = [x for x in dirs if x not in SKIP_DIRS]
            paths += [os.path.join(d, n) for n in names if n.endswith((".py", ".pyi"))]
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        files += 1
        lines += data.count(b"\n")
        size += len(data)
        largest = max(largest, len(data))
        mentions += b"replicate" in data
    return {"files": files, "lines": lines, "bytes": size, "largest": largest, "mentions": mentions}


def cached(cache, name, make):
    """`cache/name`, made by make(tmp) into a temporary directory and renamed when complete."""
    final = os.path.join(cache, name)
    if os.path.exists(final):
        return final
    tmp = final + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    make(tmp)
    os.rename(tmp, final)
    return final


def dense_tree(cache, files):
    tag = file_digest(GEN)
    name = f"dense-{files}-s{DENSE_SEED}-{tag}"

    def make(tmp):
        say(f"generating the dense tree: python3 bench/gen_dense.py --files {files} --seed {DENSE_SEED}")
        run_quiet([sys.executable, GEN, "--files", str(files), "--seed", str(DENSE_SEED),
                   os.path.join(tmp, "tree")])
    return os.path.join(cached(cache, name, make), "tree")


def findings_file(cache, blocks):
    tag = file_digest(GEN)
    name = f"findings-{blocks}-{tag}"

    def make(tmp):
        say(f"generating one file with {blocks} SDK blocks")
        run_quiet([sys.executable, GEN, "--findings-file", str(blocks),
                   os.path.join(tmp, "many_findings.py")])
    return os.path.join(cached(cache, name, make), "many_findings.py")


def copy_python(src, dst):
    """Copies the .py files of src into dst, keeping the layout, leaving SKIP_DIRS out."""
    n = 0
    for d, dirs, names in os.walk(src):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
        for name in sorted(names):
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(d, name), src)
                os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
                shutil.copyfile(os.path.join(d, name), os.path.join(dst, rel))
                n += 1
    return n


def sdist(cache, project, version):
    """The sdist of project==version, downloaded once with pip into cache/sdists."""
    sdists = os.path.join(cache, "sdists")
    os.makedirs(sdists, exist_ok=True)

    def find():
        for f in os.listdir(sdists):
            low = f.lower()
            if low.startswith(f"{project.lower()}-{version}") and low.endswith((".tar.gz", ".zip")):
                return os.path.join(sdists, f)
        return None
    found = find()
    if not found:
        say(f"downloading the {project} {version} sdist with pip")
        run_quiet([sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:",
                   "--no-deps", f"{project}=={version}", "-d", sdists])
        found = find()
        if not found:
            die(f"pip did not leave a {project} {version} sdist in {sdists}")
    return found


def extract(archive, dst):
    if archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            z.extractall(dst)
    else:
        with tarfile.open(archive) as t:
            if hasattr(tarfile, "data_filter"):  # 3.12+, and 3.8.17+/3.9.17+/3.10.12+/3.11.4+
                t.extractall(dst, filter="data")
            else:
                t.extractall(dst)


def stdlib_dir():
    import sysconfig
    return sysconfig.get_paths()["stdlib"]


def big_tree(cache):
    stdlib = stdlib_dir()
    py = platform.python_version()
    tag = file_digest(GEN, extra=f"{stdlib} {py} {DJANGO_VERSION} {SYMPY_VERSION}")
    name = f"big-py{py}-django{DJANGO_VERSION}-sympy{SYMPY_VERSION}-{tag}"
    # the sdists are downloaded before the tree is made, so a failed download leaves no tree
    django = sdist(cache, "django", DJANGO_VERSION)
    sympy = sdist(cache, "sympy", SYMPY_VERSION)

    def make(tmp):
        tree = os.path.join(tmp, "tree")
        say(f"copying the .py files of the Python {py} stdlib ({stdlib}, without site-packages)")
        copy_python(stdlib, os.path.join(tree, f"cpython-{py}"))
        for project, archive in (("django", django), ("sympy", sympy)):
            say(f"extracting {os.path.basename(archive)}")
            unpacked = os.path.join(tmp, "unpacked", project)
            extract(archive, unpacked)
            copy_python(unpacked, os.path.join(tree, project))
        shutil.rmtree(os.path.join(tmp, "unpacked"))
        say("generating 9 small SDK files into sdk/ (bench/gen_dense.py --files 9 --sdk-share 1)")
        run_quiet([sys.executable, GEN, "--files", "9", "--seed", "7", "--sdk-share", "1",
                   "--decoy-share", "0", os.path.join(tree, "sdk")])
    return os.path.join(cached(cache, name, make), "tree")


# --- measuring ---------------------------------------------------------------------------------

class Command:
    def __init__(self, key, label, argv, fresh_copy_of=None, work=None, ok=(0, 1)):
        self.key, self.label, self.argv = key, label, argv
        self.fresh_copy_of, self.work, self.ok = fresh_copy_of, work, ok
        self.wall, self.cpu, self.rss = [], [], []
        self.note = ""

    def prepare(self):
        if self.fresh_copy_of:
            shutil.rmtree(self.work, ignore_errors=True)
            shutil.copytree(self.fresh_copy_of, self.work)
            # The copy's (and the removal's) writeback is set-up, not `fix`'s work: without this
            # the first fsyncs of the run wait for the journal to take in thousands of new files.
            os.sync()

    def run(self, stdout_path=None):
        self.prepare()
        argv = self.argv
        if TIME:
            # GNU time forks the command from a small process and reports that child's rusage
            rusage_file = os.path.join(SCRATCH, "rusage.txt")
            argv = [TIME, "-f", "%M", "-o", rusage_file] + argv
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
            # stderr is small for every command here: read it to the end (the process closes it
            # when it exits), then reap the process with its rusage
            err = proc.stderr.read()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            proc.stderr.close()
        finally:
            if stdout_path:
                out.close()
        if proc.returncode not in self.ok:
            die(f"{self.label}: exit {proc.returncode}: {' '.join(self.argv)}\n"
                f"{err.decode(errors='replace')[-2000:]}")
        if TIME:
            with open(rusage_file) as f:
                rss_kib = f.read().split("\n")[-2].strip()
            # CPU from wait4 (microseconds; it includes time's waited-for child), RSS from time
            return wall, usage.ru_utime + usage.ru_stime, int(rss_kib) / 1024
        # wait4's ru_maxrss of a child counts the memory of the process that forked it (ours)
        # until exec: an upper bound only (the report says so)
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024

    def timed(self):
        wall, cpu, rss = self.run()
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss.append(rss)

    @property
    def median(self):
        return statistics.median(self.wall)


def what_it_found(cmd, text):
    """One line from a warm-up run's output saying what the command did."""
    lines = text.decode(errors="replace").splitlines()
    if cmd.key.endswith("rg"):
        return f"{len(lines)} files listed"
    for line in reversed(lines):
        if line.startswith("parse-only:"):
            return line[len("parse-only: "):]
        m = re.match(r"(Found \d+ errors?|Would fix \d+ errors? in \d+ files?|All checks passed!)", line)
        if m:
            return m.group(1)
    return ""


def measure(title, commands, runs, scratch):
    say(f"{title}: warm-up (one untimed run of each of {len(commands)} commands)")
    for cmd in commands:
        path = os.path.join(scratch, "warmup.out")
        cmd.run(stdout_path=path)
        with open(path, "rb") as f:
            cmd.note = what_it_found(cmd, f.read())
    for i in range(runs):
        order = commands[i % len(commands):] + commands[:i % len(commands)]
        say(f"{title}: round {i + 1}/{runs}")
        for cmd in order:
            cmd.timed()
    return {c.key: c for c in commands}


# --- reporting ---------------------------------------------------------------------------------

def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def table(commands):
    rows = ["| command | median wall s | min–max s | CPU s (user+sys) | CPU/wall | max RSS MiB | output |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for c in commands:
        cpu = statistics.median(c.cpu)
        rows.append(f"| {c.label} | {fmt_s(c.median)} | {fmt_s(min(c.wall))}–{fmt_s(max(c.wall))} | "
                    f"{fmt_s(cpu)} | {cpu / c.median:.2f} | {max(c.rss):.1f} | {c.note} |")
    return "\n".join(rows)


def describe(stats, name):
    return (f"{name}: {stats['files']:,} Python files, {stats['lines']:,} lines, "
            f"{stats['bytes'] / 2**20:.1f} MiB, {stats['mentions']:,} mention `replicate`, "
            f"largest file {stats['largest'] / 1024:.0f} KiB")


def target_rows(results):
    rows = ["| target | measured | limit | result |", "|---|---:|---:|---|"]
    fails = 0
    for key, (what, limit) in TARGETS.items():
        if key not in results:
            continue
        value = results[key]
        ok = value <= limit if not key.startswith("rss_dense") and not key.startswith("rss_big") \
            else value < limit
        fails += not ok
        unit = "" if key in ("rss_dense", "rss_big") else "×"
        rows.append(f"| {what} | {value:.2f}{unit} | {'≤' if unit else '<'} {limit}{unit} | "
                    f"{'PASS' if ok else '**FAIL**'} |")
    return "\n".join(rows), fails


def machine_line(load_start, load_end):
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores ({model}), {mem} RAM, {platform.system()} {platform.release()}; "
            f"load average {load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end "
            f"(1-minute; above {os.cpu_count()} means other work shared the cores)")


def git_rev():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip() or "?"
    except OSError:
        return "?"


def update_readme(report):
    path = os.path.join(ROOT, "README.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
    if start not in text or end not in text:
        die("README.md has no <!-- bench:start --> ... <!-- bench:end --> block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + start + report.rstrip() + "\n" + end + tail)
    say("README.md: benchmark block updated")


# --- the benchmark -----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help=f"a {QUICK_FILES:,}-file dense tree only, tool vs floor (no rg/ruff)")
    ap.add_argument("--dense-files", type=int, help=f"files in the dense tree (default {DENSE_FILES:,}; "
                    f"{QUICK_FILES:,} with --quick)")
    ap.add_argument("--runs", type=int, help="timed rounds per group (default 5; 3 with --quick)")
    ap.add_argument("--scale-runs", type=int, default=3, help="timed rounds of the 10x groups (default 3)")
    ap.add_argument("--tool", help="replicate-migrate binary (default: build it)")
    ap.add_argument("--floor", help="bench binary with --parse-only (default: build it)")
    ap.add_argument("--cache", default=os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "replicate-migrate-bench"))
    ap.add_argument("--no-install", action="store_true", help="use rg/ruff only if already there")
    ap.add_argument("--readme", action="store_true", help="write the report into README.md")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    a = ap.parse_args()
    runs = a.runs or (3 if a.quick else 5)
    cache = os.path.abspath(a.cache)
    os.makedirs(cache, exist_ok=True)
    say(f"cache directory: {cache}")

    if a.tool and a.floor:
        tool, floor = a.tool, a.floor
    else:
        tool, floor = build()
    rg = ruff = None
    if not a.quick:
        rg = shutil.which("rg") if a.no_install else ensure_rg()
        ruff = (os.path.join(cache, f"venv-ruff-{RUFF_VERSION}", "bin", "ruff") if a.no_install
                else ensure_ruff(cache))
        if ruff and not os.path.exists(ruff):
            ruff = None

    dense_files = a.dense_files or (QUICK_FILES if a.quick else DENSE_FILES)
    dense = dense_tree(cache, dense_files)
    corpora = {"dense": dense}
    if not a.quick:
        corpora["dense10"] = dense_tree(cache, dense_files * 10)
        corpora["find1"] = findings_file(cache, FINDINGS_BLOCKS)
        corpora["find10"] = findings_file(cache, FINDINGS_BLOCKS * 10)
        corpora["big"] = big_tree(cache)
    stats = {k: corpus_stats(v) for k, v in corpora.items()}
    scratch = os.path.join(cache, "scratch")
    os.makedirs(scratch, exist_ok=True)
    global TIME, SCRATCH
    SCRATCH = scratch
    TIME = ensure_time() if not a.no_install else ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    empty = os.path.join(scratch, "empty")
    os.makedirs(empty, exist_ok=True)

    def group(tree, name, with_no_prefilter=False):
        cmds = [Command(f"{name}_floor", "parse floor (`--parse-only`)", [floor, "--bench", "--parse-only", tree])]
        if with_no_prefilter:
            cmds.append(Command(f"{name}_floor_all", "parse floor, no prefilter (every file)",
                                [floor, "--bench", "--parse-only", "--no-prefilter", tree]))
        work = os.path.join(scratch, f"fix-{name}")
        cmds += [Command(f"{name}_check", "`check`", [tool, "check", tree]),
                 Command(f"{name}_diff", "`fix --diff`", [tool, "fix", "--diff", tree]),
                 Command(f"{name}_fix", "`fix` (fresh copy each run)", [tool, "fix", work],
                         fresh_copy_of=tree, work=work)]
        if rg:
            cmds.append(Command(f"{name}_rg", "`rg -l replicate`", [rg, "-l", "replicate", tree]))
        if ruff:
            cmds.append(Command(f"{name}_ruff", "`ruff check --select E9,F --no-cache --isolated`",
                                [ruff, "check", "--select", "E9,F", "--no-cache", "--isolated", tree]))
        return cmds

    load_start = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    results, sections = {}, []
    # The start-up run (not in --quick), for the RSS note.
    empty_rss = None

    dense_cmds = group(dense, "dense")
    m = measure("dense tree", dense_cmds, runs, scratch)
    results["dense_check_floor"] = m["dense_check"].median / m["dense_floor"].median
    results["dense_diff_check"] = m["dense_diff"].median / m["dense_check"].median
    results["dense_fix_check"] = m["dense_fix"].median / m["dense_check"].median
    rss = max(max(m[k].rss) for k in ("dense_check", "dense_diff", "dense_fix"))
    results["rss_dense"] = rss
    results["rss_dense_largest"] = rss * 2**20 / stats["dense"]["largest"]
    sections.append(f"**{describe(stats['dense'], 'Dense tree')}** ({runs} rounds)\n\n{table(dense_cmds)}")

    if not a.quick:
        big_cmds = group(corpora["big"], "big", with_no_prefilter=True)
        m = measure("big clean tree", big_cmds, runs, scratch)
        if "big_rg" in m:
            results["big_check_rg"] = m["big_check"].median / m["big_rg"].median
        rss = max(max(m[k].rss) for k in ("big_check", "big_diff", "big_fix"))
        results["rss_big"] = rss
        results["rss_big_largest"] = rss * 2**20 / stats["big"]["largest"]
        sections.append(f"**{describe(stats['big'], 'Big clean tree')}** (CPython {platform.python_version()} "
                        f"stdlib, Django {DJANGO_VERSION}, SymPy {SYMPY_VERSION}, 9 SDK files; {runs} rounds)"
                        f"\n\n{table(big_cmds)}")

        lin = [Command("empty", "`check` of an empty directory (start-up)", [tool, "check", empty]),
               Command("floor_empty", "parse floor of an empty directory", [floor, "--bench", "--parse-only", empty]),
               Command("files1", f"`check`, dense tree, {stats['dense']['files']:,} files", [tool, "check", dense]),
               Command("files10", f"`check`, dense tree, {stats['dense10']['files']:,} files",
                       [tool, "check", corpora["dense10"]]),
               Command("floor1", f"parse floor, {stats['dense']['files']:,} files", [floor, "--bench", "--parse-only", dense]),
               Command("floor10", f"parse floor, {stats['dense10']['files']:,} files",
                       [floor, "--bench", "--parse-only", corpora["dense10"]])]
        m = measure("linearity in files", lin, a.scale_runs, scratch)
        results["files_linear"] = m["files10"].median / m["files1"].median
        su, fsu = m["empty"].median, m["floor_empty"].median
        empty_rss = max(m["empty"].rss)
        lin_note = (f"Net of start-up (each command's run on an empty directory): "
                    f"{(m['files10'].median - su) / (m['files1'].median - su):.2f}× for `check`, "
                    f"{(m['floor10'].median - fsu) / (m['floor1'].median - fsu):.2f}× for the floor.")

        find = [Command("empty", "`check` of an empty directory (start-up)", [tool, "check", empty]),
                Command("floor_empty", "parse floor of an empty directory", [floor, "--bench", "--parse-only", empty]),
                Command("find1_check", f"`check`, one file, {FINDINGS_BLOCKS} SDK blocks "
                        f"({stats['find1']['lines']:,} lines)", [tool, "check", corpora["find1"]]),
                Command("find10_check", f"`check`, one file, {FINDINGS_BLOCKS * 10} SDK blocks "
                        f"({stats['find10']['lines']:,} lines)", [tool, "check", corpora["find10"]]),
                Command("find1_diff", f"`fix --diff`, {FINDINGS_BLOCKS} blocks", [tool, "fix", "--diff", corpora["find1"]]),
                Command("find10_diff", f"`fix --diff`, {FINDINGS_BLOCKS * 10} blocks",
                        [tool, "fix", "--diff", corpora["find10"]]),
                Command("find1_floor", f"parse floor, {FINDINGS_BLOCKS} blocks", [floor, "--bench", "--parse-only", corpora["find1"]]),
                Command("find10_floor", f"parse floor, {FINDINGS_BLOCKS * 10} blocks",
                        [floor, "--bench", "--parse-only", corpora["find10"]])]
        m2 = measure("findings per file", find, a.scale_runs, scratch)
        results["findings_linear_check"] = m2["find10_check"].median / m2["find1_check"].median
        results["findings_linear_diff"] = m2["find10_diff"].median / m2["find1_diff"].median
        def net(k10, k1, base="empty"):
            su = m2[base].median
            return (m2[k10].median - su) / max(m2[k1].median - su, 1e-9)
        find_note = (f"Net of start-up (each command's run on an empty directory): "
                     f"{net('find10_check', 'find1_check'):.2f}× for `check`, "
                     f"{net('find10_diff', 'find1_diff'):.2f}× for `fix --diff`, "
                     f"{net('find10_floor', 'find1_floor', 'floor_empty'):.2f}× for the floor.")
        sections.append(f"**Linearity in files** ({a.scale_runs} rounds)\n\n{table(lin)}\n\n{lin_note}")
        sections.append(f"**Linearity in findings per file** ({a.scale_runs} rounds)\n\n{table(find)}\n\n{find_note}")

    load_end = os.getloadavg()
    targets, fails = target_rows(results)
    versions = [f"replicate-migrate {version_of([tool]).split()[-1]} (commit {git_rev()})"]
    if rg:
        versions.append(version_of([rg]))
    if ruff:
        versions.append(version_of([ruff]))
    report = "\n".join([
        f"Run of {started:%Y-%m-%d %H:%M} UTC{' (`--quick`)' if a.quick else ''}: {machine_line(load_start, load_end)}. "
        f"{'; '.join(versions)}. Medians of interleaved rounds; min–max shows the spread"
        f"{'' if TIME else '; max RSS from wait4 (an upper bound: it includes the runner)'}.",
        "",
        targets,
        "",
        "The RSS rows are the whole process's peak"
        + (f" (a run of `check` on an empty directory alone peaks at {empty_rss:.1f} MiB)" if empty_rss else "")
        + "; the per-largest-file rows divide that by the largest file of the tree.",
        "",
        "\n\n".join(sections),
        "",
    ])
    results_dir = os.path.join(cache, "results")
    os.makedirs(results_dir, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    for name in (f"{stamp}{'-quick' if a.quick else ''}.md", "latest.md"):
        with open(os.path.join(results_dir, name), "w", encoding="utf-8") as f:
            f.write(report)
    with open(os.path.join(results_dir, f"{stamp}.json"), "w", encoding="utf-8") as f:
        json.dump({"results": results, "stats": stats}, f, indent=1)
    print(report)
    say(f"report written to {results_dir}/latest.md; {fails} target(s) failed")
    if a.readme:
        update_readme(report)
    return 1 if a.strict and fails else 0


if __name__ == "__main__":
    sys.exit(main())
