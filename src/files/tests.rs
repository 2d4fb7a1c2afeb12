//! `read` then `write_fixed`, with the file changed (or linked, owned, protected) in between.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use super::signals::tests_hook;
use super::{read, write_fixed, WriteError, WriteOptions};

const OLD: &[u8] = b"import replicate\nout = replicate.run(\"o/m\", {\"p\": 1})\n";
const NEW: &[u8] = b"import replicate\nout = replicate.run(\"o/m\", input={\"p\": 1})\n";

fn file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn append(path: &Path, bytes: &[u8]) {
    fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

/// Only the files the test made: no temporary file left beside them.
fn assert_no_temp(dir: &Path) {
    let left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("replicate-migrate") || n.starts_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

fn write(path: &Path, snapshot: &super::Snapshot) -> Result<(), WriteError> {
    write_fixed(path, snapshot, NEW, &WriteOptions::default())
}

#[test]
fn unchanged_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    assert_eq!(read.bytes, OLD);
    write(&path, &read.snapshot()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), NEW);
    assert_no_temp(dir.path());
}

#[test]
fn a_replaced_files_directory_is_synced_once_when_the_writes_are_done() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = fs::canonicalize(dir.path()).unwrap();
    let paths = [file(dir.path(), "a.py", OLD), file(dir.path(), "b.py", OLD)];
    for path in &paths {
        let read = read(path).unwrap();
        write(path, &read.snapshot()).unwrap();
    }
    let waiting = super::write::dirs_to_sync();
    assert_eq!(waiting.iter().filter(|d| **d == real_dir).count(), 1);
    super::sync_renamed_dirs();
    assert!(!super::write::dirs_to_sync().contains(&real_dir));
    for path in &paths {
        assert_eq!(fs::read(path).unwrap(), NEW);
    }
}

#[test]
fn append_between_read_and_write_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    append(&path, b"print('autosaved')\n");
    let err = write(&path, &read.snapshot()).unwrap_err();
    assert!(matches!(err, WriteError::Changed), "{err:?}");
    assert_eq!(err.code(), "RM005");
    assert_eq!(
        fs::read(&path).unwrap(),
        [OLD, b"print('autosaved')\n"].concat()
    );
    assert_no_temp(dir.path());
}

#[test]
fn same_size_rewrite_between_read_and_write_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    let edited = OLD.to_ascii_uppercase();
    // In place, same length, times put back: only the bytes differ (and the change time).
    let times = fs::metadata(&path).unwrap().modified().unwrap();
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .write_all(&edited)
        .unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(times)
        .unwrap();
    assert!(matches!(
        write(&path, &read.snapshot()),
        Err(WriteError::Changed)
    ));
    assert_eq!(fs::read(&path).unwrap(), edited);
}

#[test]
fn editor_save_by_rename_between_read_and_write_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    // The same bytes, but a new file: the editor's save, which may be about to change more.
    let saved = file(dir.path(), "app.py~", OLD);
    fs::rename(&saved, &path).unwrap();
    assert!(matches!(
        write(&path, &read.snapshot()),
        Err(WriteError::Changed)
    ));
    assert_eq!(fs::read(&path).unwrap(), OLD);
}

#[test]
fn deleted_between_read_and_write_is_not_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    fs::remove_file(&path).unwrap();
    assert!(matches!(
        write(&path, &read.snapshot()),
        Err(WriteError::Changed)
    ));
    assert!(!path.exists());
    assert_no_temp(dir.path());
}

/// The race the first check cannot see: a write after it and before the swap. The swapped-out
/// file is checked again and swapped back.
#[test]
fn write_just_before_the_swap_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    let target = path.clone();
    tests_hook::at("pre-exchange", &path, move || {
        append(&target, b"# late\n");
    });
    assert!(matches!(
        write(&path, &read.snapshot()),
        Err(WriteError::Changed)
    ));
    assert_eq!(fs::read(&path).unwrap(), [OLD, b"# late\n"].concat());
    assert_no_temp(dir.path());
}

/// Just before the check inside the commit (a hard-linked file is written in place: the check
/// is the last moment).
#[test]
fn write_just_before_the_check_of_a_hard_linked_file_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    fs::hard_link(&path, dir.path().join("other.py")).unwrap();
    let read = read(&path).unwrap();
    let target = path.clone();
    tests_hook::at("in-commit", &path, move || {
        append(&target, b"# late\n");
    });
    assert!(matches!(
        write(&path, &read.snapshot()),
        Err(WriteError::Changed)
    ));
    assert_eq!(fs::read(&path).unwrap(), [OLD, b"# late\n"].concat());
}

#[test]
fn symlink_target_is_written_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    let target = file(&dir.path().join("real"), "app.py", OLD);
    let link = dir.path().join("link.py");
    std::os::unix::fs::symlink("real/app.py", &link).unwrap();
    let read = read(&link).unwrap();
    write(&link, &read.snapshot()).unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real/app.py"));
    assert_eq!(fs::read(&target).unwrap(), NEW);
    assert_no_temp(dir.path());
    assert_no_temp(&dir.path().join("real"));
}

#[test]
fn symlink_pointed_elsewhere_between_read_and_write_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = file(dir.path(), "a.py", OLD);
    let b = file(dir.path(), "b.py", OLD);
    let link = dir.path().join("link.py");
    std::os::unix::fs::symlink(&a, &link).unwrap();
    let read = read(&link).unwrap();
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&b, &link).unwrap();
    assert!(matches!(
        write(&link, &read.snapshot()),
        Err(WriteError::Changed)
    ));
    assert_eq!(fs::read(&a).unwrap(), OLD);
    assert_eq!(fs::read(&b).unwrap(), OLD);
}

/// Run as root (as the tests are): the replacement gets the file's owner and group, not root's.
#[test]
fn owner_group_and_mode_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    std::os::unix::fs::chown(&path, Some(1234), Some(4321)).expect("the tests run as root");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let read = read(&path).unwrap();
    write(&path, &read.snapshot()).unwrap();
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (1234, 4321));
    assert_eq!(meta.mode() & 0o7777, 0o640);
    assert_eq!(fs::read(&path).unwrap(), NEW);
}

#[test]
fn read_only_file_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let read = read(&path).unwrap();
    let err = write(&path, &read.snapshot()).unwrap_err();
    assert!(matches!(err, WriteError::ReadOnly), "{err:?}");
    assert_eq!(err.code(), "RM006");
    assert_eq!(fs::read(&path).unwrap(), OLD);
    assert_no_temp(dir.path());

    let forced = WriteOptions {
        force_read_only: true,
    };
    write_fixed(&path, &read.snapshot(), NEW, &forced).unwrap();
    assert_eq!(fs::read(&path).unwrap(), NEW);
    assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o444);
}

#[test]
fn hard_links_stay_linked() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let other = dir.path().join("other.py");
    fs::hard_link(&path, &other).unwrap();
    let ino = fs::metadata(&path).unwrap().ino();
    let read = read(&path).unwrap();
    write(&path, &read.snapshot()).unwrap();
    assert_eq!(fs::read(&other).unwrap(), NEW);
    assert_eq!(fs::metadata(&path).unwrap().ino(), ino);
    assert_eq!(fs::metadata(&path).unwrap().nlink(), 2);
    assert_no_temp(dir.path());
}

#[test]
fn shorter_contents_in_place_leave_no_tail() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", NEW);
    fs::hard_link(&path, dir.path().join("other.py")).unwrap();
    let read = read(&path).unwrap();
    write_fixed(&path, &read.snapshot(), OLD, &WriteOptions::default()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), OLD);
}

#[test]
fn extended_attributes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    xattr::set(&path, "user.origin", b"checked-out").expect("ext4 and tmpfs have user xattrs");
    let read = read(&path).unwrap();
    write(&path, &read.snapshot()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), NEW);
    assert_eq!(
        xattr::get(&path, "user.origin").unwrap().as_deref(),
        Some(b"checked-out".as_slice())
    );
}

#[test]
fn temporary_file_is_named_after_the_file_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "app.py", OLD);
    let read = read(&path).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (seen2, dir2) = (seen.clone(), dir.path().to_path_buf());
    tests_hook::at("in-commit", &path, move || {
        for e in fs::read_dir(&dir2).unwrap() {
            seen2
                .lock()
                .unwrap()
                .push(e.unwrap().file_name().to_string_lossy().into_owned());
        }
    });
    write(&path, &read.snapshot()).unwrap();
    let seen = seen.lock().unwrap();
    let temp: Vec<&String> = seen.iter().filter(|n| *n != "app.py").collect();
    assert_eq!(temp.len(), 1, "{seen:?}");
    assert!(
        temp[0].starts_with(".app.py.") && temp[0].ends_with(".replicate-migrate.tmp"),
        "{temp:?}"
    );
    assert_no_temp(dir.path());
}
