//! Atomic file replacement: write a temporary file in the same directory,
//! fsync it, rename it over the target. A reader sees the old file or the
//! new one, never half of either, and a failure at any step leaves the old
//! file exactly as it was (the temporary file is removed on drop).
//!
//! A crash (kill -9, power loss) between creating and renaming the
//! temporary file leaves it behind; the next write into that directory
//! removes such leftovers: only musync's own names (`.musync-XXXXXX.tmp`),
//! only regular files, only when older than [`STALE_AFTER`], so a write
//! in progress in another musync process is never touched.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How old a leftover temporary file must be before it is removed: far
/// longer than any write takes.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(60);

/// Name parts of musync's temporary files (tempfile adds 6 random
/// alphanumerics in between).
const TMP_PREFIX: &str = ".musync-";
const TMP_SUFFIX: &str = ".tmp";
const TMP_RANDOM_LEN: usize = 6;

/// Replaces `path` with `contents` atomically.
pub(crate) fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    replace_with(path, |file| file.write_all(contents))
}

/// The file a write to `path` must replace: a symlink's target, so the link
/// itself stays a link.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(e),
    }
}

/// Replaces `path` with whatever `write` puts into the temporary file.
pub(crate) fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(io::Error::other("is a directory"));
    }
    remove_stale_temp_files(dir, SystemTime::now());
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .suffix(TMP_SUFFIX)
        .rand_bytes(TMP_RANDOM_LEN)
        .tempfile_in(dir)?;
    // The temporary file is created 0600; keep the playlist's own mode (or
    // the usual 0644 for a new file) so a rewrite does not hide it from the
    // user's music player.
    match existing {
        Some(meta) => tmp.as_file().set_permissions(meta.permissions())?,
        None => default_permissions(tmp.as_file())?,
    }
    write(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// True for a name musync's own temporary files have.
fn is_our_temp_name(name: &str) -> bool {
    name.strip_prefix(TMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(TMP_SUFFIX))
        .is_some_and(|random| {
            random.len() == TMP_RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes musync's temporary files in `dir` last modified before
/// `now - STALE_AFTER`. Best effort: a failure only leaves them there.
fn remove_stale_temp_files(dir: &Path, now: SystemTime) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_our_temp_name) {
            continue;
        }
        // `DirEntry::metadata` does not follow symlinks: a link with our
        // name is not ours to remove.
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_file() && old {
            match fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::debug!(path = %entry.path().display(), "removed a temporary file left by an interrupted write")
                }
                Err(e) => {
                    tracing::debug!(path = %entry.path().display(), error = %e, "could not remove a stale temporary file")
                }
            }
        }
    }
}

#[cfg(unix)]
fn default_permissions(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(_file: &File) -> io::Result<()> {
    Ok(())
}

/// Makes the rename itself durable. Best effort: not every platform or
/// file system can fsync a directory, and the data is already safe.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.m3u8");
        fs::write(&path, "old").unwrap();
        replace(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(entries(dir.path()), ["p.m3u8"]);
    }

    #[test]
    fn a_failing_write_leaves_the_original_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.csv");
        fs::write(&path, "original").unwrap();
        let err = replace_with(&path, |f| {
            f.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(fs::read_to_string(&path).unwrap(), "original");
        assert_eq!(entries(dir.path()), ["p.csv"]);
    }

    #[test]
    fn only_our_old_temp_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            ".musync-a1B2c3.tmp", // ours, old: removed
            ".musync-zzzzzz.tmp", // ours, fresh: kept (a write in progress)
            ".musync-abc.tmp",    // wrong length: kept
            ".musync-ab_12c.tmp", // not alphanumeric: kept
            ".other-a1B2c3.tmp",  // another program's: kept
            "song.mp3",
        ];
        for n in names {
            fs::write(dir.path().join(n), "x").unwrap();
        }
        fs::create_dir(dir.path().join(".musync-dir123.tmp")).unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        for n in [
            ".musync-a1B2c3.tmp",
            ".musync-abc.tmp",
            ".musync-ab_12c.tmp",
            ".other-a1B2c3.tmp",
            "song.mp3",
        ] {
            File::options()
                .write(true)
                .open(dir.path().join(n))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        let target = dir.path().join("p.m3u8");
        replace(&target, b"new").unwrap();
        let mut want: Vec<String> = names[1..].iter().map(|s| s.to_string()).collect();
        want.push(".musync-dir123.tmp".into());
        want.push("p.m3u8".into());
        want.sort();
        assert_eq!(entries(dir.path()), want);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_writes_through_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "{}").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o664)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        replace(&link, b"[]").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "[]");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o664
        );
        let new = dir.path().join("new.json");
        replace(&new, b"x").unwrap();
        assert_eq!(
            fs::metadata(&new).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }
}
