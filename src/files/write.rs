//! Writing a fixed file back: only while it is still what was read, never half-written, and
//! keeping what the file is (the target of a link, its owner, group, mode, extended attributes
//! and hard links).
//!
//! A file with one link is replaced: the new bytes go to a temporary file beside it
//! (`.<name>.XXXXXX.replicate-migrate.tmp`, registered for removal on a signal), which gets the
//! file's owner, group, extended attributes and mode, and is then swapped in. Just before the
//! swap the file is checked against its [`Snapshot`]; on Linux the swap is an atomic exchange
//! (`renameat2(RENAME_EXCHANGE)`) after which the file that was swapped out is checked once more
//! and swapped back if it had changed, so an edit made up to the exchange itself is never lost.
//! Where the exchange is not supported, the check is followed by a plain rename. The new file is
//! synced before the swap; the directories the swaps changed are synced once each, when the
//! run's writes are done ([`sync_renamed_dirs`]), not once per file.
//!
//! A file with several hard links is written in place, through its inode, so that every link
//! sees the new contents (a rename would leave the other links on the old file).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::read::{unchanged, Snapshot, Stat};
use super::signals::{self, Interrupted};

/// How `write_fixed` treats a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Write a read-only file (one with no write permission bit) too; by default it is refused
    /// with [`WriteError::ReadOnly`].
    pub force_read_only: bool,
}

/// Why a fixed file was not written. In every case the file is left exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file is not what was read: someone wrote it (or replaced it, or pointed its link
    /// elsewhere) while it was being fixed.
    #[error("it changed while it was being fixed")]
    Changed,
    /// The file has no write permission bit, and [`WriteOptions::force_read_only`] is off.
    #[error("it is read-only")]
    ReadOnly,
    /// The replacement could not be given the file's owner and group.
    #[error("cannot keep its owner and group {uid}:{gid}: {}", super::io_reason(.error))]
    Owner {
        uid: u32,
        gid: u32,
        error: std::io::Error,
    },
    /// The replacement could not be given one of the file's extended attributes.
    #[error("cannot keep its extended attribute `{name}`: {}", super::io_reason(.error))]
    Attribute { name: String, error: std::io::Error },
    /// The fixed text cannot be written in the file's codec.
    #[error(transparent)]
    Encode(#[from] crate::syntax::EncodeError),
    /// A signal stopped the run before the file was written.
    #[error("the run was interrupted")]
    Interrupted,
    #[error("{}", super::io_reason(.0))]
    Io(#[from] std::io::Error),
}

impl From<Interrupted> for WriteError {
    fn from(_: Interrupted) -> Self {
        WriteError::Interrupted
    }
}

impl WriteError {
    /// The finding's code: `RM005` changed meanwhile, `RM006` read-only, `RM007` the fix cannot
    /// be encoded in the file's codec, else `RM001`.
    pub fn code(&self) -> &'static str {
        match self {
            WriteError::Changed => "RM005",
            WriteError::ReadOnly => "RM006",
            WriteError::Encode(e) => e.code(),
            _ => "RM001",
        }
    }

    /// The finding's name, to go with [`WriteError::code`].
    pub fn name(&self) -> &'static str {
        match self {
            WriteError::Changed => "file-changed-while-fixing",
            WriteError::ReadOnly => "read-only-file",
            WriteError::Encode(e) => e.name(),
            _ => "io-error",
        }
    }

    /// What to tell the user about the file shown as `name`.
    pub fn message(&self, name: &str) -> String {
        match self {
            WriteError::Changed => {
                format!("{name} changed while it was being fixed; not written: run again")
            }
            WriteError::ReadOnly => format!("{name} is read-only; not written"),
            WriteError::Encode(e) => e.message(name),
            other => format!("cannot write {name}: {other}"),
        }
    }
}

/// Writes `bytes` as the new contents of the file read as `snapshot` (through `path`, which may
/// be a symbolic link: its target is written and the link stays). Nothing is written unless the
/// file is still exactly what was read.
pub fn write_fixed(
    path: &Path,
    snapshot: &Snapshot,
    bytes: &[u8],
    options: &WriteOptions,
) -> Result<(), WriteError> {
    signals::guard_signals();
    let real = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WriteError::Changed),
        Err(e) => return Err(e.into()),
    };
    let meta = std::fs::metadata(&real)?;
    if Stat::of(&meta) != snapshot.stat {
        return Err(WriteError::Changed);
    }
    check_writable(&real, &meta, options)?;
    let written = if links(&meta) > 1 {
        write_in_place(&real, snapshot, bytes)
    } else {
        replace(&real, &meta, snapshot, bytes)
    };
    if written.is_ok() {
        signals::count_written();
    }
    if signals::stopping() {
        // A signal came during this write: the signal thread exits the process once the
        // commits under way are done; the run must not finish first.
        drop(written);
        signals::wait_for_exit();
    }
    written
}

/// Refuses a read-only file (unless forced), and a file this process may not write: a rename
/// would replace it all the same.
#[cfg(unix)]
fn check_writable(
    real: &Path,
    meta: &std::fs::Metadata,
    options: &WriteOptions,
) -> Result<(), WriteError> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;

    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    if meta.mode() & 0o222 == 0 {
        if !options.force_read_only {
            return Err(WriteError::ReadOnly);
        }
        if euid == 0 || euid == meta.uid() {
            return Ok(());
        }
        return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied).into());
    }
    let c_path = std::ffi::CString::new(real.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: c_path is a valid NUL-terminated string that outlives the call.
    let allowed = unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            libc::W_OK,
            libc::AT_EACCESS,
        )
    };
    if allowed != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_writable(
    _real: &Path,
    meta: &std::fs::Metadata,
    options: &WriteOptions,
) -> Result<(), WriteError> {
    if meta.permissions().readonly() && !options.force_read_only {
        return Err(WriteError::ReadOnly);
    }
    Ok(())
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_meta: &std::fs::Metadata) -> u64 {
    1
}

/// A registered temporary file: removed (and forgotten) when dropped, unless kept.
struct Temp {
    file: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Temp {
    fn new(real: &Path) -> Result<Temp, WriteError> {
        let dir = real
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = signals::create_temp(|| {
            let file = tempfile::Builder::new()
                .prefix(&format!(".{name}."))
                .suffix(".replicate-migrate.tmp")
                .rand_bytes(6)
                .tempfile_in(dir)?;
            let path = file.path().to_path_buf();
            Ok((file, path))
        })??;
        let path = file.path().to_path_buf();
        Ok(Temp {
            file: Some(file),
            path,
        })
    }

    fn file(&self) -> &std::fs::File {
        self.file.as_ref().expect("present until dropped").as_file()
    }

    /// The path no longer holds our temporary file (it was renamed away): do not remove it.
    fn disarm(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = file.into_temp_path().keep();
        }
        signals::forget_temp(&self.path);
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        // Remove first, then forget: a signal in between still finds the path.
        drop(self.file.take());
        signals::forget_temp(&self.path);
    }
}

fn replace(
    real: &Path,
    meta: &std::fs::Metadata,
    snapshot: &Snapshot,
    bytes: &[u8],
) -> Result<(), WriteError> {
    let mut temp = Temp::new(real)?;
    let mut file: &std::fs::File = temp.file();
    file.write_all(bytes)?;
    keep_metadata(real, meta, file)?;
    file.sync_all()?;
    signals::test_pause("before-commit", real);
    signals::commit(|| -> Result<(), WriteError> {
        signals::test_pause("in-commit", real);
        let mut current = match std::fs::File::open(real) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WriteError::Changed),
            Err(e) => return Err(e.into()),
        };
        if unchanged(&mut current, snapshot, true)?.is_none() {
            return Err(WriteError::Changed);
        }
        drop(current);
        signals::test_pause("pre-exchange", real);
        match exchange(&temp.path, real) {
            Ok(()) => {
                // The file as it was just before the exchange is now at the temporary path.
                let mut old = std::fs::File::open(&temp.path)?;
                // A rename changes the ctime of the file it moves: compare the rest.
                if unchanged(&mut old, snapshot, false)?.is_none() {
                    drop(old);
                    if let Err(e) = exchange(&temp.path, real) {
                        temp.disarm();
                        return Err(std::io::Error::other(format!(
                            "it changed while it was being fixed, and putting it back failed \
                             ({e}): the changed file is {}",
                            temp.path.display()
                        ))
                        .into());
                    }
                    return Err(WriteError::Changed);
                }
                drop(temp);
            }
            Err(e) if exchange_unsupported(&e) => {
                std::fs::rename(&temp.path, real)?;
                temp.disarm();
            }
            Err(e) => return Err(e.into()),
        }
        sync_dir_later(real);
        Ok(())
    })?
}

/// Writes through the file's own inode, keeping every hard link to it.
fn write_in_place(real: &Path, snapshot: &Snapshot, bytes: &[u8]) -> Result<(), WriteError> {
    signals::test_pause("before-commit", real);
    signals::commit(|| -> Result<(), WriteError> {
        signals::test_pause("in-commit", real);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(real)?;
        let Some(original) = unchanged(&mut file, snapshot, true)? else {
            return Err(WriteError::Changed);
        };
        signals::test_pause("pre-exchange", real);
        let written = overwrite(&file, bytes);
        if let Err(e) = written {
            // Put the original back rather than leave a half-written file.
            let _ = overwrite(&file, &original);
            return Err(e.into());
        }
        Ok(())
    })?
}

fn overwrite(file: &std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    let old_len = file.metadata()?.len();
    // Claim the room first, so that a full disk fails before any byte changes.
    if (bytes.len() as u64) > old_len {
        file.set_len(bytes.len() as u64)?;
        reserve(file, bytes.len() as u64)?;
    }
    write_at(file, bytes)?;
    file.set_len(bytes.len() as u64)?;
    file.sync_all()
}

#[cfg(unix)]
fn write_at(file: &std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, 0)
}

#[cfg(not(unix))]
fn write_at(mut file: &std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Seek as _;
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(bytes)
}

#[cfg(target_os = "linux")]
fn reserve(file: &std::fs::File, len: u64) -> std::io::Result<()> {
    use std::os::fd::AsRawFd as _;
    // SAFETY: a valid open descriptor; fallocate only allocates blocks (mode 0 keeps data).
    let r = unsafe { libc::fallocate(file.as_raw_fd(), 0, 0, len as libc::off_t) };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    // Not every file system can allocate ahead; then the write itself must do.
    if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP | libc::ENOSYS)) {
        Ok(())
    } else {
        Err(e)
    }
}

#[cfg(not(target_os = "linux"))]
fn reserve(_file: &std::fs::File, _len: u64) -> std::io::Result<()> {
    Ok(())
}

/// Gives the replacement the file's owner and group, extended attributes, and mode (last: a
/// change of owner clears set-user-ID bits).
#[cfg(unix)]
fn keep_metadata(
    real: &Path,
    meta: &std::fs::Metadata,
    file: &std::fs::File,
) -> Result<(), WriteError> {
    use std::os::fd::AsRawFd as _;
    use std::os::unix::fs::MetadataExt;

    let mine = file.metadata()?;
    let (uid, gid) = (meta.uid(), meta.gid());
    if (mine.uid(), mine.gid()) != (uid, gid) {
        // SAFETY: a valid open descriptor.
        if unsafe { libc::fchown(file.as_raw_fd(), uid, gid) } != 0 {
            return Err(WriteError::Owner {
                uid,
                gid,
                error: std::io::Error::last_os_error(),
            });
        }
    }
    keep_attributes(real, file)?;
    file.set_permissions(meta.permissions())?;
    Ok(())
}

#[cfg(not(unix))]
fn keep_metadata(
    _real: &Path,
    meta: &std::fs::Metadata,
    file: &std::fs::File,
) -> Result<(), WriteError> {
    file.set_permissions(meta.permissions())?;
    Ok(())
}

/// Copies every extended attribute of `real` onto `file` (those it does not have already: a
/// new file may get a security label of its own, the same as the original's).
#[cfg(unix)]
fn keep_attributes(real: &Path, file: &std::fs::File) -> Result<(), WriteError> {
    use xattr::FileExt as _;

    if !xattr::SUPPORTED_PLATFORM {
        return Ok(());
    }
    let names = match xattr::list(real) {
        Ok(names) => names,
        // A file system without extended attributes has none to keep.
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOTSUP)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    for name in names {
        let label = name.to_string_lossy().into_owned();
        let attribute = |error| WriteError::Attribute {
            name: label.clone(),
            error,
        };
        let Some(value) = xattr::get(real, &name).map_err(attribute)? else {
            continue;
        };
        if file.get_xattr(&name).ok().flatten().as_deref() == Some(value.as_slice()) {
            continue;
        }
        file.set_xattr(&name, &value).map_err(attribute)?;
    }
    Ok(())
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

/// The directories a rename changed and that were not synced since: each is synced once, by
/// [`sync_renamed_dirs`] at the end of the run (or on a signal), not once per file written in it.
static RENAMED_IN: Mutex<Option<BTreeSet<PathBuf>>> = Mutex::new(None);

fn renamed_in() -> MutexGuard<'static, Option<BTreeSet<PathBuf>>> {
    RENAMED_IN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Records that a rename changed `real`'s directory (made durable by [`sync_renamed_dirs`]).
fn sync_dir_later(real: &Path) {
    let dir = real.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new(".")).to_path_buf();
    renamed_in().get_or_insert_with(BTreeSet::new).insert(dir);
}

/// The directories waiting for [`sync_renamed_dirs`].
#[cfg(test)]
pub(super) fn dirs_to_sync() -> Vec<PathBuf> {
    renamed_in().iter().flatten().cloned().collect()
}

/// Makes the renames of the files written so far durable: syncs each directory they changed,
/// once (best effort: not every system can sync a directory). The file's own contents were
/// synced before its rename, so until then a crash leaves each file whole, old or new.
pub fn sync_renamed_dirs() {
    let dirs = renamed_in().take().unwrap_or_default();
    for dir in dirs {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}
