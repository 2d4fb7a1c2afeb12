//! Progress on a terminal: a run that takes more than about a second shows `files done / total`
//! on stderr, redrawn in place and erased at the end. Never when stderr is not a terminal (a
//! pipe, a file, CI logs), in CI (`CI` set), or with `--quiet`.

use std::io::{IsTerminal as _, Write as _};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run goes before progress shows.
const DELAY: Duration = Duration::from_millis(1000);
const TICK: Duration = Duration::from_millis(100);

pub struct Progress {
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn start(total: usize, quiet: bool) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let wanted = !quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false");
        let thread = wanted.then(|| {
            let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
            std::thread::spawn(move || {
                // For tests: how long to wait before showing progress.
                let delay = std::env::var("REPLICATE_MIGRATE_PROGRESS_DELAY_MS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .map_or(DELAY, Duration::from_millis);
                let mut waited = Duration::ZERO;
                let mut shown = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(TICK);
                    waited += TICK;
                    if waited < delay {
                        continue;
                    }
                    shown = true;
                    let n = done.load(Ordering::Relaxed);
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K{n}/{total} files");
                    let _ = err.flush();
                }
                if shown {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K");
                    let _ = err.flush();
                }
            })
        });
        Progress { done, stop, thread }
    }

    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops and erases the line, before the report is printed.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
