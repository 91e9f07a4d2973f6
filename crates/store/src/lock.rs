//! One writer per target across processes: an OS file lock per playlist
//! (or file) musync writes, taken for the span of a run's writes and
//! released when the run ends or the process dies (the kernel drops it; no
//! PID file is left to go stale).
//!
//! Locks live in `DATA_DIR/locks/`, one file per target named by a hash of
//! its reference, holding a line about the holder (command, process id,
//! start time) so a second run can say whom it waits for. Runs that use
//! another data dir are not seen: the lock belongs to one musync state.

use crate::{Store, StoreError, StoreErrorKind};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;

/// What to do when another run holds a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Wait for it (the caller is told once, with the holder).
    Block,
    /// Fail at once, naming the holder.
    NoWait,
}

/// A held target lock; released on drop.
#[derive(Debug)]
pub struct TargetLock {
    _file: Option<File>,
}

impl Store {
    /// Takes the lock of the target `reference`. An in-memory store (tests,
    /// demo) has no other process to exclude and returns at once.
    /// `on_wait` is called once, with a line about the holder, before
    /// blocking.
    pub fn lock_target(
        &self,
        reference: &str,
        wait: Wait,
        on_wait: &dyn Fn(&str),
    ) -> Result<TargetLock, StoreError> {
        let Some(dir) = self.data_dir() else {
            return Ok(TargetLock { _file: None });
        };
        let dir = dir.join("locks");
        let path = dir.join(format!("{:016x}.lock", fnv1a(reference)));
        let io = |doing: &'static str, path: &PathBuf| {
            let path = path.clone();
            move |e| StoreError::io(&path, doing, e)
        };
        crate::fsutil::create_private_dir(&dir).map_err(io("creating the lock folder", &dir))?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io("opening a lock", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = holder_of(&mut file);
                let busy = format!("{reference} is being written by another musync run ({holder})");
                if wait == Wait::NoWait {
                    return Err(StoreError::new(StoreErrorKind::Busy, &path, busy)
                        .with_hint("wait for it to finish, or run again without --no-wait"));
                }
                on_wait(&format!("{busy}; waiting for it to finish…"));
                file.lock().map_err(io("waiting for a lock", &path))?;
            }
            Err(TryLockError::Error(e)) => return Err(io("taking a lock", &path)(e)),
        }
        // Say who holds it now, for the next run that has to wait.
        let line = format!(
            "`{}` (process {}) since {}",
            std::env::args().collect::<Vec<_>>().join(" "),
            std::process::id(),
            time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        );
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = file.write_all(line.as_bytes());
        Ok(TargetLock { _file: Some(file) })
    }
}

/// Waits for, then holds, the renewal turn of `account` in `data_dir`
/// (see [`musync_core::SecretStore::lock_account`]).
pub(crate) fn lock_account(
    data_dir: &std::path::Path,
    account: &musync_core::AccountId,
) -> std::io::Result<musync_core::AccountLock> {
    let dir = data_dir.join("locks");
    crate::fsutil::create_private_dir(&dir)?;
    let path = dir.join(format!("account-{:016x}.lock", fnv1a(account.as_str())));
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    file.lock()?;
    Ok(musync_core::AccountLock(Box::new(file)))
}

fn holder_of(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.read_to_string(&mut text);
    let text = text.trim();
    if text.is_empty() {
        "holder unknown".to_owned()
    } else {
        format!("held by {text}")
    }
}

/// FNV-1a: stable across Rust versions and platforms, unlike std's hasher.
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_holder_and_let_in_after_release() {
        let dir = tempfile::tempdir().unwrap();
        let a = Store::open(dir.path()).unwrap();
        let b = Store::open(dir.path()).unwrap();
        let held = a
            .lock_target("spotify-bob:pl", Wait::NoWait, &|_| {})
            .unwrap();
        let err = b
            .lock_target("spotify-bob:pl", Wait::NoWait, &|_| {})
            .unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Busy);
        assert!(
            err.message.contains("spotify-bob:pl is being written"),
            "{err}"
        );
        assert!(
            err.message
                .contains(&format!("process {}", std::process::id())),
            "{err}"
        );
        // Another target is free.
        b.lock_target("spotify-bob:other", Wait::NoWait, &|_| {})
            .unwrap();
        drop(held);
        b.lock_target("spotify-bob:pl", Wait::NoWait, &|_| {})
            .unwrap();
    }

    #[test]
    fn a_waiting_writer_is_told_once_and_goes_on_when_released() {
        let dir = tempfile::tempdir().unwrap();
        let a = Store::open(dir.path()).unwrap();
        let held = a.lock_target("x", Wait::Block, &|_| {}).unwrap();
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let b = Store::open(&path).unwrap();
            let told = std::sync::Mutex::new(Vec::new());
            let _lock = b
                .lock_target("x", Wait::Block, &|m| {
                    told.lock().unwrap().push(m.to_owned())
                })
                .unwrap();
            told.into_inner().unwrap()
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        drop(held);
        let told = waiter.join().unwrap();
        assert_eq!(told.len(), 1);
        assert!(told[0].contains("waiting"), "{told:?}");
    }
}
