//! SIGINT and SIGTERM during `fix`: no temporary file is left in the user's tree, and no file is
//! left half-written.
//!
//! Every temporary file is registered here from the moment it exists until it is renamed over
//! its file or removed. Every commit (the check that a file is unchanged, and the rename or the
//! in-place write) runs inside a [`commit`] section. On a signal, [`guard_signals`]'s thread
//! stops new commits, waits for the ones under way to finish, removes every registered temporary
//! file (the files being prepared are abandoned, untouched) and exits with 128 + the signal's
//! number: 130 for SIGINT, 143 for SIGTERM.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

/// Set once a signal arrived: no new temporary file, no new commit.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// Read-held by each commit under way; write-held by the signal thread until the process exits.
static COMMITS: RwLock<()> = RwLock::new(());
/// The temporary files that exist now.
static TEMPS: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
/// Files written in this run, for the message on a signal.
static WRITTEN: AtomicUsize = AtomicUsize::new(0);

fn temps() -> MutexGuard<'static, Option<HashSet<PathBuf>>> {
    TEMPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// The run is stopping on a signal.
#[derive(Debug)]
pub(crate) struct Interrupted;

/// Creates a temporary file with `create` and registers its path, unless a signal arrived.
/// Registration and creation happen under one lock, so the signal thread either sees the path
/// or the file is never made.
pub(crate) fn create_temp<T>(
    create: impl FnOnce() -> std::io::Result<(T, PathBuf)>,
) -> Result<std::io::Result<T>, Interrupted> {
    let mut temps = temps();
    if STOPPING.load(Ordering::SeqCst) {
        return Err(Interrupted);
    }
    Ok(create().map(|(value, path)| {
        temps.get_or_insert_with(HashSet::new).insert(path);
        value
    }))
}

/// The temporary file at `path` no longer exists (renamed or removed).
pub(crate) fn forget_temp(path: &Path) {
    if let Some(set) = temps().as_mut() {
        set.remove(path);
    }
}

/// Runs `f` as one commit: a signal waits for it to finish. `Err` when a signal already arrived.
pub(crate) fn commit<T>(f: impl FnOnce() -> T) -> Result<T, Interrupted> {
    let _section = COMMITS.read().unwrap_or_else(|e| e.into_inner());
    if STOPPING.load(Ordering::SeqCst) {
        return Err(Interrupted);
    }
    Ok(f())
}

/// After a signal: this thread waits while the signal thread ends the process (so that the run
/// cannot finish first with another exit code).
pub(crate) fn wait_for_exit() -> ! {
    loop {
        std::thread::park();
    }
}

/// Whether a signal arrived.
pub(crate) fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// Counts a file written, for the message printed on a signal.
pub(crate) fn count_written() {
    WRITTEN.fetch_add(1, Ordering::Relaxed);
}

/// Installs the SIGINT/SIGTERM handling described in the module documentation (once; later
/// calls do nothing). A signal the process was started with ignored (`nohup`, a background job
/// of a non-interactive shell) stays ignored. `fix` calls this before it writes anything.
pub fn guard_signals() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(unix::install);
    }
}

/// What the signal thread does: stop new commits, wait for the running ones, remove the
/// temporary files, exit.
#[cfg(unix)]
fn stop(signal: i32) -> ! {
    STOPPING.store(true, Ordering::SeqCst);
    let _no_more_commits = COMMITS.write().unwrap_or_else(|e| e.into_inner());
    let leftover: Vec<PathBuf> = temps()
        .as_mut()
        .map(|set| set.drain().collect())
        .unwrap_or_default();
    for path in leftover {
        let _ = std::fs::remove_file(path);
    }
    // The files written before the signal stay written: make their renames durable too.
    super::write::sync_renamed_dirs();
    let name = if signal == libc::SIGINT {
        "SIGINT"
    } else {
        "SIGTERM"
    };
    let written = WRITTEN.load(Ordering::SeqCst);
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "replicate-migrate: stopped by {name}: {written} {} written, every other file left as it was",
            if written == 1 { "file" } else { "files" }
        );
    }
    std::process::exit(128 + signal)
}

#[cfg(unix)]
mod unix {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    /// Whether `signal` is ignored now (inherited `SIG_IGN`).
    fn ignored(signal: i32) -> bool {
        // SAFETY: sigaction with a null new action only reads the current disposition into
        // `old`, a zeroed plain C struct.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(signal, std::ptr::null(), &mut old) == 0
                && old.sa_sigaction == libc::SIG_IGN
        }
    }

    pub(super) fn install() {
        let wanted: Vec<i32> = [SIGINT, SIGTERM]
            .into_iter()
            .filter(|s| !ignored(*s))
            .collect();
        if wanted.is_empty() {
            return;
        }
        let Ok(mut signals) = Signals::new(&wanted) else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("replicate-migrate-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    super::stop(signal);
                }
            });
        drop(spawned);
    }
}

/// A debug-build hook for tests that must act at an exact moment of a write: with
/// `REPLICATE_MIGRATE_TEST_PAUSE_AT=<point>` and `REPLICATE_MIGRATE_TEST_PAUSE_DIR=<dir>`, a
/// write reaching `<point>` creates `<dir>/paused` (holding the file's path) and waits until
/// `<dir>/resume` exists (for at most a minute). Points: `before-commit` (the temporary file is
/// complete, the file not yet checked), `in-commit` (inside the commit, before the check) and
/// `pre-exchange` (the file checked, not yet swapped). Release builds have no hook.
pub(crate) fn test_pause(point: &str, file: &Path) {
    #[cfg(test)]
    tests_hook::call(point, file);
    #[cfg(debug_assertions)]
    {
        let (Some(at), Some(dir)) = (
            std::env::var_os("REPLICATE_MIGRATE_TEST_PAUSE_AT"),
            std::env::var_os("REPLICATE_MIGRATE_TEST_PAUSE_DIR"),
        ) else {
            return;
        };
        if at != point {
            return;
        }
        let dir = PathBuf::from(dir);
        let _ = std::fs::write(dir.join("paused"), file.display().to_string());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !dir.join("resume").exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = (point, file);
}

/// Unit tests' version of the pause: a function run at a point of the write of one file.
#[cfg(test)]
pub(crate) mod tests_hook {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    type Hook = Box<dyn FnMut() + Send>;
    static HOOKS: Mutex<Vec<(String, PathBuf, Hook)>> = Mutex::new(Vec::new());

    /// Runs `hook` (once) when the write of `file` (its real path) reaches `point`.
    pub fn at(point: &str, file: &Path, hook: impl FnMut() + Send + 'static) {
        let file = std::fs::canonicalize(file).expect("the file exists");
        HOOKS
            .lock()
            .unwrap()
            .push((point.to_string(), file, Box::new(hook)));
    }

    pub(super) fn call(point: &str, file: &Path) {
        let found = {
            let mut hooks = HOOKS.lock().unwrap();
            let i = hooks.iter().position(|(p, f, _)| p == point && f == file);
            i.map(|i| hooks.remove(i))
        };
        if let Some((_, _, mut hook)) = found {
            hook();
        }
    }
}
