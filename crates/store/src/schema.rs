//! The database schema as an ordered list of migrations.
//!
//! `PRAGMA user_version` holds how many migrations a database has seen; opening
//! runs the missing ones in one transaction, so a database is always at one
//! known version. Migrations are append-only: once released, an entry is never
//! edited (a database in the wild already ran it); a change is a new entry.
//! `PRAGMA application_id` marks the file as musync's, so another program's
//! SQLite file is refused instead of being "migrated".

use crate::error::{StoreError, StoreErrorKind};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// `application_id` of a musync database ("msyn" in ASCII).
pub(crate) const APPLICATION_ID: i32 = 0x6d73_796e;

/// Migration `i` takes a database from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // v1: accounts, remembered decisions, unlinked pairs, runs and the journal.
    r#"
    CREATE TABLE accounts (
        id         TEXT PRIMARY KEY NOT NULL,
        service    TEXT NOT NULL,
        name       TEXT NOT NULL,
        settings   TEXT NOT NULL DEFAULT 'null',  -- JSON, never a secret
        updated_ms INTEGER NOT NULL
    );
    CREATE TABLE decisions (
        target_ref TEXT NOT NULL,                 -- "ACCOUNT:PLAYLIST" or a file path
        source_key TEXT NOT NULL,                 -- musync_match::track_key(source)
        kind       TEXT NOT NULL CHECK (kind IN ('chosen', 'dont_sync', 'not_available')),
        track      TEXT,                          -- JSON TRACK when kind = 'chosen'
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (target_ref, source_key)
    ) WITHOUT ROWID;
    CREATE TABLE unlinked (
        left_key   TEXT NOT NULL,
        right_key  TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (left_key, right_key),
        CHECK (left_key <= right_key)             -- one row per unordered pair
    ) WITHOUT ROWID;
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_ms  INTEGER NOT NULL,
        finished_ms INTEGER,
        left_ref    TEXT NOT NULL,
        right_ref   TEXT NOT NULL,
        dry_run     INTEGER NOT NULL,
        summary     TEXT                          -- JSON, set by finish_run
    );
    -- Append-only: one row before an add (pending), one after (added/failed).
    CREATE TABLE journal (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        target_ref TEXT NOT NULL,
        source_key TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('pending', 'added', 'failed')),
        reason     TEXT,
        track      TEXT,                          -- JSON TRACK being added (pending rows)
        at_ms      INTEGER NOT NULL
    );
    CREATE INDEX journal_run ON journal(run_id);
    "#,
    // v2: resuming a sync looks up the latest journal row of every song of a
    // target at once; without this index that is a scan of the whole journal.
    r#"
    CREATE INDEX journal_target ON journal(target_ref, source_key, id);
    "#,
    // v3: saved syncs (issue 16): pairs, their baselines, the review inbox,
    // and a journal of removals (the add journal's CHECK cannot take a new
    // state, so removals have their own append-only table).
    r#"
    CREATE TABLE pairs (
        name        TEXT PRIMARY KEY NOT NULL,
        left_ref    TEXT NOT NULL,
        right_ref   TEXT NOT NULL,
        direction   TEXT NOT NULL CHECK (direction IN ('both', 'to-right', 'to-left')),
        removals    TEXT NOT NULL CHECK (removals IN ('keep', 'propagate')),
        created_ms  INTEGER NOT NULL,
        last_run_ms INTEGER,
        last_result TEXT                          -- JSON summary of the last run
    );
    -- Songs on both sides after the last run, per side, by source key;
    -- 'removed': the other side lost it on purpose, keep it out.
    CREATE TABLE baselines (
        pair       TEXT NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
        side       TEXT NOT NULL CHECK (side IN ('left', 'right')),
        source_key TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('present', 'removed')),
        PRIMARY KEY (pair, side, source_key)
    ) WITHOUT ROWID;
    CREATE TABLE pending (
        pair       TEXT NOT NULL REFERENCES pairs(name) ON DELETE CASCADE,
        from_side  TEXT NOT NULL CHECK (from_side IN ('left', 'right')),
        source_key TEXT NOT NULL,
        target_ref TEXT NOT NULL,
        source     TEXT NOT NULL,                 -- JSON TRACK
        candidates TEXT NOT NULL,                 -- JSON [{track, score, reason}], best first
        unlisted   INTEGER NOT NULL,              -- the target takes any track
        ord        INTEGER NOT NULL,              -- the order the run found them
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (pair, from_side, source_key)
    ) WITHOUT ROWID;
    -- Append-only: 'removing' before a removal (with how many occurrences
    -- the target held), 'removed' or 'failed' after.
    CREATE TABLE removal_journal (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        target_ref TEXT NOT NULL,
        source_key TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('removing', 'removed', 'failed')),
        seen       INTEGER NOT NULL,
        reason     TEXT,
        at_ms      INTEGER NOT NULL
    );
    CREATE INDEX removal_journal_target ON removal_journal(target_ref, source_key, id);
    "#,
];

/// The version this musync writes.
pub(crate) fn current_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Checks that `conn` is a musync database (or an empty file) and brings it to
/// `target` version. Refuses foreign files and databases from a newer musync.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, target: u32) -> Result<(), StoreError> {
    let sql_err = |doing: &str| {
        let doing = doing.to_owned();
        move |e| StoreError::sqlite(path, &doing, e)
    };
    // IMMEDIATE: two musyncs opening a fresh database must not both migrate it.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_err("opening the database"))?;
    let version: u32 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err("reading the schema version"))?;
    let app_id: i32 = tx
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sql_err("reading the application id"))?;
    let tables: i64 = tx
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(sql_err("reading the schema"))?;

    let foreign = if version == 0 {
        app_id != 0 || tables > 0
    } else {
        app_id != APPLICATION_ID
    };
    if foreign {
        return Err(StoreError::new(
            StoreErrorKind::NotMusyncDatabase,
            path,
            "the file is not a musync database (it is another program's SQLite file); \
             move it aside or pass --data-dir to use another directory",
        ));
    }
    if version > current_version() {
        return Err(StoreError::new(
            StoreErrorKind::TooNew,
            path,
            format!(
                "the database was made by a newer musync (schema version {version}, this \
                 musync knows up to {}); upgrade musync, or pass --data-dir to use another \
                 directory",
                current_version()
            ),
        ));
    }
    if version >= target {
        return Ok(());
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(version as usize)
    {
        tx.execute_batch(sql).map_err(sql_err(&format!(
            "migrating the schema to version {}",
            i + 1
        )))?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql_err("marking the database"))?;
    tx.pragma_update(None, "user_version", target)
        .map_err(sql_err("recording the schema version"))?;
    tx.commit().map_err(sql_err("committing the migration"))?;
    tracing::debug!(from = version, to = target, path = %path.display(), "migrated the state database");
    Ok(())
}
