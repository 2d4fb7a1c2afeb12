//! Reading a file together with what it was when read (a [`Snapshot`]), so that writing it back
//! can tell whether anyone changed it in between.

use std::hash::Hasher as _;
use std::io::Read as _;
use std::path::Path;

/// A file's bytes and what the file was when they were read.
#[derive(Debug)]
pub struct ReadFile {
    pub bytes: Vec<u8>,
    stat: Stat,
}

impl ReadFile {
    /// What the file was when read, for writing it back. Hashing the bytes is left to the
    /// files that may be written: a `check` reads thousands it never writes.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            stat: self.stat,
            hash: hash(&self.bytes),
        }
    }
}

/// What a file was when it was read: its identity (device and inode of the file a symbolic
/// link leads to), size, modification and change times, and a hash of the bytes read.
///
/// [`crate::files::write_fixed`] writes only while the file still matches its snapshot: a link
/// turned to another file meanwhile shows as another identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub(crate) stat: Stat,
    pub(crate) hash: u64,
}

/// The metadata that changes whenever the file's contents (or its mode, owner, links) do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
}

impl Stat {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &std::fs::Metadata) -> Stat {
        let nanos = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| {
                    (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                })
        };
        Stat {
            dev: 0,
            ino: 0,
            len: meta.len(),
            mtime: nanos(meta.modified()),
            ctime: nanos(meta.created()),
        }
    }
}

/// The hash a snapshot keeps of a file's bytes (SipHash with fixed keys: the same in every run).
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Reads a file (following symbolic links) and what it was when read.
pub fn read(path: &Path) -> std::io::Result<ReadFile> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok(ReadFile {
        bytes,
        stat: Stat::of(&meta),
    })
}

/// The file's bytes if it is still what was read (same identity, size, times and bytes), read
/// from `file`, freshly opened on it; `None` if it changed. `ctime` is not compared when
/// `check_ctime` is false (a rename changes the ctime of the file it moves).
pub(crate) fn unchanged(
    file: &mut std::fs::File,
    snapshot: &Snapshot,
    check_ctime: bool,
) -> std::io::Result<Option<Vec<u8>>> {
    let meta = file.metadata()?;
    let mut now = Stat::of(&meta);
    if !check_ctime {
        now.ctime = snapshot.stat.ctime;
    }
    if now != snapshot.stat {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok((hash(&bytes) == snapshot.hash).then_some(bytes))
}
