//! One run of a saved pair at a time, across processes: an OS file lock
//! (`flock`-style, released by the OS when the process dies, so a crashed
//! run never leaves the pair locked) on `DATA_DIR/locks/pair-HEX.lock`.
//! The file name is the pair's name in hex, so any name is a safe file name
//! and two names never share a lock.

use musync_core::{ErrorKind, ServiceError};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// A held lock on a pair; released on drop.
#[derive(Debug)]
pub struct PairLock {
    _file: Option<File>,
}

impl PairLock {
    /// Takes the lock of `pair` in `data_dir` without waiting: `Ok(None)`
    /// when another process holds it. Without a data dir (an in-memory
    /// store: tests, the demo) there is nothing to share, and the lock is
    /// granted.
    pub fn try_acquire(
        data_dir: Option<&Path>,
        pair: &str,
    ) -> Result<Option<PairLock>, ServiceError> {
        let Some(dir) = data_dir else {
            return Ok(Some(PairLock { _file: None }));
        };
        let path = lock_path(dir, pair);
        let io_err = |doing: &str, e: std::io::Error| {
            ServiceError::new(
                ErrorKind::Io,
                "musync state",
                "locking a saved sync",
                format!("{}: cannot {doing}: {e}", path.display()),
            )
            .with_hint("check the permissions of the data directory, or pass --data-dir")
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err("create the lock directory", e))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err("open the lock file", e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(PairLock { _file: Some(file) })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(io_err("lock the lock file", e)),
        }
    }
}

/// Where the lock of `pair` lives.
pub fn lock_path(data_dir: &Path, pair: &str) -> PathBuf {
    let hex: String = pair.bytes().map(|b| format!("{b:02x}")).collect();
    data_dir.join("locks").join(format!("pair-{hex}.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_pair_is_refused_until_released_and_other_pairs_are_free() {
        let dir = tempfile::tempdir().expect("temp");
        let held = PairLock::try_acquire(Some(dir.path()), "night/ly")
            .expect("lock")
            .expect("free");
        assert!(
            PairLock::try_acquire(Some(dir.path()), "night/ly")
                .expect("lock")
                .is_none(),
            "a second holder is refused"
        );
        assert!(
            PairLock::try_acquire(Some(dir.path()), "other")
                .expect("lock")
                .is_some()
        );
        drop(held);
        assert!(
            PairLock::try_acquire(Some(dir.path()), "night/ly")
                .expect("lock")
                .is_some(),
            "released on drop"
        );
        assert!(lock_path(dir.path(), "night/ly").ends_with("pair-6e696768742f6c79.lock"));
    }
}
