//! Opening the state database: the data dir and file with private
//! permissions, WAL mode (readers never block the one writer), a busy timeout
//! (a second musync waits a little instead of failing at once), foreign keys,
//! and the schema migrations. The tables are served by `accounts`,
//! `decisions` and `journal`, each an `impl Store` block of its own.

use crate::error::{StoreError, StoreErrorKind};
use crate::{fsutil, schema};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// File name of the database inside the data dir.
pub const DB_FILE: &str = "musync.db";

/// How long a statement waits for another musync's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// musync's state: accounts, remembered decisions, unlinked pairs, the sync
/// journal and the run history, in one SQLite file.
///
/// All calls are synchronous and short; the store is `Send + Sync` and may be
/// shared as `Arc<Store>` (calls are serialised on one connection).
pub struct Store {
    conn: Mutex<Connection>,
    /// The database file, or `:memory:`.
    path: PathBuf,
    data_dir: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) `data_dir/musync.db`, migrating it to the
    /// current schema. A missing `data_dir` is created with mode 0700 and the
    /// database file with 0600.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        fsutil::create_private_dir(data_dir)
            .map_err(|e| StoreError::io(data_dir, "create the data directory", e))?;
        let path = data_dir.join(DB_FILE);
        fsutil::create_private_file(&path)
            .map_err(|e| StoreError::io(&path, "create the database file", e))?;
        if path.is_dir() {
            return Err(StoreError::new(
                StoreErrorKind::NotMusyncDatabase,
                &path,
                "is a directory, not a musync database; move it aside or pass --data-dir",
            ));
        }
        // Setting up (WAL mode, migrations) takes SQLite's write lock in a
        // way its busy timeout does not cover: runs starting together on a
        // fresh data dir take turns here instead of failing.
        let gate_path = data_dir.join("open.lock");
        let gate = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&gate_path)
            .map_err(|e| StoreError::io(&gate_path, "opening the set-up lock", e))?;
        gate.lock()
            .map_err(|e| StoreError::io(&gate_path, "waiting for the set-up lock", e))?;
        let conn = Connection::open(&path)
            .map_err(|e| StoreError::sqlite(&path, "opening the database", e))?;
        Self::setup(
            conn,
            path,
            Some(data_dir.to_path_buf()),
            schema::current_version(),
        )
    }

    /// A fresh database in memory, for tests and demo mode.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory()
            .map_err(|e| StoreError::sqlite(&path, "opening an in-memory database", e))?;
        Self::setup(conn, path, None, schema::current_version())
    }

    /// Opens `path` and migrates it only up to `version` (tests of migrations).
    #[cfg(test)]
    pub(crate) fn open_file_at_version(path: &Path, version: u32) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::sqlite(path, "opening", e))?;
        Self::setup(conn, path.to_path_buf(), None, version)
    }

    fn setup(
        mut conn: Connection,
        path: PathBuf,
        data_dir: Option<PathBuf>,
        version: u32,
    ) -> Result<Store, StoreError> {
        let err = |doing: &'static str| {
            let path = path.clone();
            move |e| StoreError::sqlite(&path, doing, e)
        };
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(err("setting up the database"))?;
        // The first statement that reads the file: a damaged or foreign file
        // fails here with "not a database".
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(err("setting up the database"))?;
        if mode != "wal" && mode != "memory" {
            tracing::warn!(path = %path.display(), mode, "the state database is not in WAL mode");
        }
        // WAL with synchronous=NORMAL stays consistent after a crash; it may
        // lose the last commits on power loss, which the journal tolerates
        // (an add that is not journalled as done is re-checked on resume).
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(err("setting up the database"))?;
        schema::migrate(&mut conn, &path, version)?;
        // A file damaged inside (torn pages, junk written over it) can still
        // open and even list accounts; check it before anything is written
        // into it, so damage is reported instead of spread.
        if data_dir.is_some() {
            let verdict: String = conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(err("checking the database"))?;
            if verdict != "ok" {
                return Err(StoreError::new(
                    StoreErrorKind::NotMusyncDatabase,
                    &path,
                    format!("the musync database is damaged ({verdict})"),
                )
                .with_hint(format!(
                    "move it aside (e.g. to {}.broken) and add your accounts again; \
                     nothing was written to it",
                    path.display()
                )));
            }
        }
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            data_dir,
        })
    }

    /// The data dir this store lives in (`None` in memory).
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// The database file (`:memory:` in memory).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sql_err("reading the schema version", e))
    }

    /// The connection. A panic while holding it cannot leave a transaction
    /// open (it rolls back on drop), so a poisoned lock is still usable.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn sql_err(&self, doing: &str, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, doing, e)
    }

    /// A row that cannot be decoded (damaged or hand-edited database).
    pub(crate) fn bad_data(&self, what: impl std::fmt::Display) -> StoreError {
        StoreError::new(
            StoreErrorKind::BadData,
            &self.path,
            format!(
                "{what}; the database may be damaged or was edited by hand (move it aside \
                 to start fresh)"
            ),
        )
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
