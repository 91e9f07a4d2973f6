//! Tests of the state database: opening, migrations, accounts, decisions,
//! unlinked pairs, the journal and run history, on real files in temp dirs.

use crate::schema::{APPLICATION_ID, MIGRATIONS};
use crate::*;
use musync_core::{Account, AccountId, ServiceName, Track};
use rusqlite::Connection;
use serde_json::json;
use std::collections::HashSet;
use std::path::Path;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn account(id: &str, service: &str, name: &str) -> Account {
    Account {
        id: AccountId::new(id),
        service: ServiceName(service.into()),
        name: name.into(),
        settings: json!({}),
    }
}

fn unicode_track() -> Track {
    Track::new("Déjà Vu — 夜に駆ける 🎶", "Beyoncé, YOASOBI")
        .with_album("B'Day / \"ザ・ブック\"")
        .with_duration_s(240)
        .with_isrc("US-SM1-06-01234")
        .with_id("spotify:track:4uLU6hMCjMI75M1A2tKUQC")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn open_creates_private_dir_and_db_in_wal_mode() {
    let tmp = temp();
    let dir = tmp.path().join("nested").join("musync");
    let store = Store::open(&dir).expect("open");
    assert_eq!(store.data_dir(), Some(dir.as_path()));
    assert_eq!(store.path(), dir.join(DB_FILE));
    assert!(dir.join(DB_FILE).is_file());
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(DB_FILE)), 0o600);
    }
    let conn = Connection::open(dir.join(DB_FILE)).expect("raw open");
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(journal, "wal");
    assert_eq!(
        store.schema_version().expect("version"),
        MIGRATIONS.len() as u32
    );
}

#[test]
fn in_memory_store_has_no_data_dir_and_full_schema() {
    let store = Store::open_in_memory().expect("open");
    assert_eq!(store.data_dir(), None);
    assert_eq!(
        store.schema_version().expect("version"),
        MIGRATIONS.len() as u32
    );
}

#[test]
fn reopening_keeps_data() {
    let tmp = temp();
    {
        let store = Store::open(tmp.path()).expect("open");
        store
            .upsert_account(&account("lastfm-alice", "lastfm", "alice"))
            .expect("upsert");
    }
    let store = Store::open(tmp.path()).expect("reopen");
    assert_eq!(store.accounts().expect("accounts").len(), 1);
}

#[test]
fn migrates_a_v1_database_and_keeps_its_data() {
    let tmp = temp();
    let path = tmp.path().join(DB_FILE);
    {
        let v1 = Store::open_file_at_version(&path, 1).expect("v1");
        assert_eq!(v1.schema_version().expect("version"), 1);
        v1.upsert_account(&account("amazon-A1", "amazon", "Ann"))
            .expect("account");
        v1.set_decision("k1", "amazon-A1:my-music", &Decision::DontSync)
            .expect("decision");
        let run = v1.begin_run("a:1", "b:2", false).expect("run");
        v1.journal_pending(run, "b:2", "k1", &unicode_track())
            .expect("pending");
    }
    let raw = Connection::open(&path).expect("raw");
    let has_index = |conn: &Connection| -> bool {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'journal_target'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .expect("index query")
            == 1
    };
    assert!(!has_index(&raw), "v1 has no journal_target index");
    drop(raw);

    let store = Store::open(tmp.path()).expect("migrate");
    assert_eq!(
        store.schema_version().expect("version"),
        MIGRATIONS.len() as u32
    );
    assert!(has_index(&Connection::open(&path).expect("raw")));
    assert_eq!(store.accounts().expect("accounts")[0].name, "Ann");
    assert_eq!(
        store
            .decision("k1", "amazon-A1:my-music")
            .expect("decision"),
        Some(Decision::DontSync)
    );
    assert_eq!(
        store.journal_state("b:2", "k1").expect("state"),
        Some(JournalState::Pending)
    );
}

#[test]
fn database_from_a_newer_musync_is_refused_untouched() {
    let tmp = temp();
    let path = tmp.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).expect("raw");
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42);")
            .expect("future table");
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("app id");
        conn.pragma_update(None, "user_version", 99)
            .expect("version");
    }
    let err = Store::open(tmp.path()).expect_err("must refuse");
    assert_eq!(err.kind, StoreErrorKind::TooNew);
    let msg = err.to_string();
    assert!(msg.contains("made by a newer musync"), "{msg}");
    assert!(msg.contains("schema version 99"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    let conn = Connection::open(&path).expect("raw");
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 99, "nothing was migrated");
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .expect("tables");
    assert_eq!(tables, 1, "no musync table was created");
}

#[test]
fn garbage_file_is_a_clear_error_naming_the_path() {
    let tmp = temp();
    let path = tmp.path().join(DB_FILE);
    let garbage =
        b"this is not a database at all, just some text that is long enough ...\n".repeat(20);
    std::fs::write(&path, &garbage).expect("write");
    let err = Store::open(tmp.path()).expect_err("must refuse");
    assert_eq!(err.kind, StoreErrorKind::NotMusyncDatabase);
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert!(msg.contains("not a musync database"), "{msg}");
    assert!(err.hint.as_deref().unwrap_or("").contains(".broken"));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        garbage,
        "file untouched"
    );
}

#[test]
fn junk_written_inside_the_database_is_found_before_anything_is_written() {
    // issue 11: 4 KB of junk inside musync.db used to let `sync` write on.
    let tmp = temp();
    {
        let store = Store::open(tmp.path()).expect("open");
        for i in 0..400 {
            store
                .upsert_account(&account(
                    &format!("lastfm-u{i}"),
                    "lastfm",
                    &"x".repeat(200),
                ))
                .expect("fill");
        }
    }
    let path = tmp.path().join(DB_FILE);
    // Fold the WAL into the file, then damage a page in its middle.
    Connection::open(&path)
        .expect("raw")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    let mut bytes = std::fs::read(&path).expect("read");
    assert!(bytes.len() > 16 * 1024, "{}", bytes.len());
    let middle = bytes.len() / 2 / 4096 * 4096;
    for b in &mut bytes[middle..middle + 4096] {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).expect("damage");
    let err = Store::open(tmp.path()).expect_err("damage is found");
    assert_eq!(err.kind, StoreErrorKind::NotMusyncDatabase, "{err}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(err.hint.as_deref().unwrap_or("").contains(".broken"));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        bytes,
        "nothing written"
    );
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let tmp = temp();
    let path = tmp.path().join(DB_FILE);
    Connection::open(&path)
        .expect("raw")
        .execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY);")
        .expect("foreign schema");
    let err = Store::open(tmp.path()).expect_err("must refuse");
    assert_eq!(err.kind, StoreErrorKind::NotMusyncDatabase);
    assert!(err.to_string().contains("another program's SQLite file"));
    let conn = Connection::open(&path).expect("raw");
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .expect("tables");
    assert_eq!(tables, 1, "nothing was added to the foreign file");
}

#[test]
fn database_path_that_is_a_directory_is_a_clear_error() {
    let tmp = temp();
    std::fs::create_dir(tmp.path().join(DB_FILE)).expect("dir");
    let err = Store::open(tmp.path()).expect_err("must refuse");
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[test]
fn a_writer_holding_the_lock_gives_a_busy_error_saying_another_musync() {
    let tmp = temp();
    let store = Store::open(tmp.path()).expect("open");
    let other = Connection::open(tmp.path().join(DB_FILE)).expect("raw");
    other.execute_batch("BEGIN IMMEDIATE;").expect("lock");
    // Shorten the wait: the store's 5 s busy timeout is not under test here.
    store
        .conn()
        .busy_timeout(std::time::Duration::from_millis(50))
        .expect("timeout");
    let err = store
        .upsert_account(&account("lastfm-x", "lastfm", "x"))
        .expect_err("locked");
    assert_eq!(err.kind, StoreErrorKind::Busy);
    assert!(
        err.to_string().contains("another musync is using it"),
        "{err}"
    );
    other.execute_batch("ROLLBACK;").expect("unlock");
    store
        .upsert_account(&account("lastfm-x", "lastfm", "x"))
        .expect("works after the lock is gone");
}

#[test]
fn accounts_crud_sorted_by_id() {
    let store = Store::open_in_memory().expect("open");
    assert!(store.accounts().expect("empty").is_empty());
    let mut spotify = account("spotify-bob", "spotify", "Bob");
    let amazon = Account {
        settings: json!({"host": "music.amazon.co.uk", "market": "GB"}),
        ..account("amazon-A1B2", "amazon", "Ann")
    };
    store.upsert_account(&spotify).expect("spotify");
    store.upsert_account(&amazon).expect("amazon");
    let ids: Vec<_> = store
        .accounts()
        .expect("list")
        .into_iter()
        .map(|a| a.id.0)
        .collect();
    assert_eq!(ids, ["amazon-A1B2", "spotify-bob"]);
    assert_eq!(
        store.account(&AccountId::new("amazon-A1B2")).expect("get"),
        Some(amazon.clone())
    );

    spotify.name = "Robert 🎸".into();
    store.upsert_account(&spotify).expect("update");
    assert_eq!(store.accounts().expect("list").len(), 2);
    assert_eq!(
        store
            .account(&spotify.id)
            .expect("get")
            .expect("present")
            .name,
        "Robert 🎸"
    );

    assert!(store.remove_account(&spotify.id).expect("remove"));
    assert!(!store.remove_account(&spotify.id).expect("remove twice"));
    assert_eq!(store.account(&spotify.id).expect("get"), None);
    assert_eq!(store.accounts().expect("list"), vec![amazon]);
}

#[test]
fn removing_an_account_keeps_its_decisions() {
    let store = Store::open_in_memory().expect("open");
    let a = account("spotify-bob", "spotify", "Bob");
    store.upsert_account(&a).expect("add");
    store
        .set_decision("k", "spotify-bob:pl", &Decision::NotAvailable)
        .expect("decide");
    store.remove_account(&a.id).expect("remove");
    assert_eq!(
        store.decision("k", "spotify-bob:pl").expect("get"),
        Some(Decision::NotAvailable)
    );
}

#[test]
fn an_account_of_a_service_this_musync_does_not_know_is_still_listed() {
    // The registry reports it when the account is opened; `accounts list`
    // and `accounts remove` must keep working.
    let tmp = temp();
    let store = Store::open(tmp.path()).expect("open");
    store
        .conn()
        .execute(
            "INSERT INTO accounts (id, service, name, settings, updated_ms)
             VALUES ('tape-x', 'tape', 'x', '{}', 0)",
            [],
        )
        .expect("raw insert");
    let accounts = store.accounts().expect("listed");
    assert_eq!(accounts[0].service.as_str(), "tape");
}

#[test]
fn decisions_round_trip_including_unicode_tracks() {
    let store = Store::open_in_memory().expect("open");
    let target = "spotify-bob:37i9dQZF1DXcBWIGoYBM5M";
    let chosen = Decision::Chosen(unicode_track());
    assert_eq!(store.decision("k1", target).expect("none"), None);
    store.set_decision("k1", target, &chosen).expect("set");
    store
        .set_decision("k2", target, &Decision::DontSync)
        .expect("set");
    store
        .set_decision("k3", "/music/ünïcode list.m3u8", &Decision::NotAvailable)
        .expect("set");
    assert_eq!(
        store.decision("k1", target).expect("get"),
        Some(chosen.clone())
    );

    let all = store.decisions_for(target).expect("bulk");
    assert_eq!(all.len(), 2);
    assert_eq!(all["k1"], chosen);
    assert_eq!(all["k2"], Decision::DontSync);
    assert_eq!(
        store
            .decisions_for("/music/ünïcode list.m3u8")
            .expect("bulk")["k3"],
        Decision::NotAvailable
    );

    // A new answer replaces the old one.
    store
        .set_decision("k1", target, &Decision::DontSync)
        .expect("replace");
    assert_eq!(
        store.decision("k1", target).expect("get"),
        Some(Decision::DontSync)
    );
    store.clear_decision("k1", target).expect("clear");
    store
        .clear_decision("k1", target)
        .expect("clear again is fine");
    assert_eq!(store.decision("k1", target).expect("get"), None);
    assert_eq!(store.decisions_for(target).expect("bulk").len(), 1);
}

#[test]
fn decision_json_shape() {
    let json = serde_json::to_value(Decision::Chosen(Track::new("T", "A"))).expect("json");
    assert_eq!(json["kind"], "chosen");
    assert_eq!(json["track"]["title"], "T");
    assert_eq!(
        serde_json::to_value(Decision::DontSync).expect("json"),
        json!({"kind": "dont_sync"})
    );
}

#[test]
fn unlinked_pairs_are_order_free() {
    let store = Store::open_in_memory().expect("open");
    store.unlink("zeta|song", "alpha|song").expect("unlink");
    store
        .unlink("alpha|song", "zeta|song")
        .expect("same pair again");
    store.unlink("b", "c").expect("unlink");
    let set = store.unlinked().expect("list");
    assert!(set.contains(&("zeta|song".into(), "alpha|song".into())));
    assert!(set.contains(&("alpha|song".into(), "zeta|song".into())));
    assert!(set.contains(&("c".into(), "b".into())));
    assert_eq!(set.len(), 4, "two pairs, each in both orders: {set:?}");
    let rows: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM unlinked", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 2, "stored once per pair");

    assert_eq!(
        store.unlinked_pairs().expect("list"),
        [
            ("alpha|song".to_owned(), "zeta|song".to_owned()),
            ("b".to_owned(), "c".to_owned())
        ],
        "each pair listed once, oldest first"
    );
    assert!(store.relink("c", "b").expect("relink"));
    assert!(!store.relink("b", "c").expect("already gone"));
    let set: HashSet<_> = store.unlinked().expect("list");
    assert!(!set.contains(&("b".into(), "c".into())));
}

#[test]
fn journal_pending_then_added_and_failed() {
    let store = Store::open_in_memory().expect("open");
    let run = store
        .begin_run("left.m3u8", "spotify-bob:pl", false)
        .expect("run");
    let t = unicode_track();
    assert_eq!(
        store.journal_state("spotify-bob:pl", "k1").expect("none"),
        None
    );
    store
        .journal_pending(run, "spotify-bob:pl", "k1", &t)
        .expect("p1");
    store
        .journal_pending(run, "spotify-bob:pl", "k2", &t)
        .expect("p2");
    assert_eq!(
        store.journal_state("spotify-bob:pl", "k1").expect("state"),
        Some(JournalState::Pending)
    );
    store
        .journal_done(run, "spotify-bob:pl", "k1", &JournalOutcome::Added)
        .expect("done");
    store
        .journal_done(
            run,
            "spotify-bob:pl",
            "k2",
            &JournalOutcome::Failed("HTTP 500 — server error".into()),
        )
        .expect("failed");
    assert_eq!(
        store.journal_state("spotify-bob:pl", "k1").expect("state"),
        Some(JournalState::Added)
    );
    assert_eq!(
        store.journal_state("spotify-bob:pl", "k2").expect("state"),
        Some(JournalState::Failed("HTTP 500 — server error".into()))
    );
    // Other targets are separate.
    assert_eq!(store.journal_state("other:pl", "k1").expect("none"), None);
}

#[test]
fn interrupted_run_leaves_pending_and_a_later_run_resumes() {
    let tmp = temp();
    let target = "spotify-bob:pl";
    let t = Track::new("Song", "Artist");
    {
        // First sync: three adds planned, one confirmed, then "crash".
        let store = Store::open(tmp.path()).expect("open");
        let run = store.begin_run("a.csv", target, false).expect("run");
        store
            .journal_pending_many(run, target, [("k1", &t), ("k2", &t), ("k3", &t)])
            .expect("pending");
        store
            .journal_done(run, target, "k1", &JournalOutcome::Added)
            .expect("done");
    }
    let store = Store::open(tmp.path()).expect("reopen after crash");
    let states = store.journal_for(target).expect("bulk");
    assert_eq!(states.len(), 3);
    assert_eq!(states["k1"], JournalState::Added);
    assert_eq!(
        states["k2"],
        JournalState::Pending,
        "never confirmed stays pending"
    );
    assert_eq!(states["k3"], JournalState::Pending);
    let unfinished = &store.runs(10).expect("runs")[0];
    assert_eq!(
        unfinished.finished_ms, None,
        "the crashed run is not finished"
    );

    // Resume: k2 turned out to be there, k3 is added now.
    let run2 = store.begin_run("a.csv", target, false).expect("run 2");
    store
        .journal_done_many(
            run2,
            target,
            [
                ("k2", &JournalOutcome::Added),
                ("k3", &JournalOutcome::Added),
            ],
        )
        .expect("done");
    let states = store.journal_for(target).expect("bulk");
    assert!(
        states.values().all(|s| *s == JournalState::Added),
        "{states:?}"
    );

    // A later run that retries k1 and fails makes failed the latest state.
    let run3 = store.begin_run("a.csv", target, false).expect("run 3");
    store
        .journal_pending(run3, target, "k1", &t)
        .expect("pending");
    store
        .journal_done(run3, target, "k1", &JournalOutcome::Failed("gone".into()))
        .expect("failed");
    assert_eq!(
        store.journal_for(target).expect("bulk")["k1"],
        JournalState::Failed("gone".into())
    );
}

#[test]
fn dry_runs_never_count_as_journal_state() {
    let store = Store::open_in_memory().expect("open");
    let t = Track::new("Song", "Artist");
    let dry = store.begin_run("a", "b", true).expect("dry");
    store.journal_pending(dry, "b", "k", &t).expect("pending");
    store
        .journal_done(dry, "b", "k", &JournalOutcome::Added)
        .expect("done");
    assert_eq!(store.journal_state("b", "k").expect("state"), None);
    assert!(store.journal_for("b").expect("bulk").is_empty());
}

#[test]
fn journal_writes_to_an_unknown_run_fail_and_write_nothing() {
    let store = Store::open_in_memory().expect("open");
    let t = Track::new("Song", "Artist");
    let real = store.begin_run("a", "b", false).expect("run");
    let err = store
        .journal_pending_many(RunId(real.0 + 100), "b", [("k", &t)])
        .expect_err("unknown run");
    assert_eq!(err.kind, StoreErrorKind::NotFound);
    assert!(err.to_string().contains("no run"), "{err}");
    let rows: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 0);
    let err = store
        .finish_run(RunId(real.0 + 100), &json!({}))
        .expect_err("unknown run");
    assert_eq!(err.kind, StoreErrorKind::NotFound);
}

#[test]
fn run_history_newest_first_with_summary() {
    let store = Store::open_in_memory().expect("open");
    let r1 = store.begin_run("left.m3u8", "right.csv", true).expect("r1");
    let r2 = store
        .begin_run("amazon-A1:my-music", "spotify-bob:pl", false)
        .expect("r2");
    let r3 = store.begin_run("x", "y", false).expect("r3");
    assert!(r1 < r2 && r2 < r3);
    let summary = json!({"added": 3, "skipped": 1, "not_found": 0, "failed": 0});
    store.finish_run(r2, &summary).expect("finish");

    let runs = store.runs(10).expect("runs");
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![r3, r2, r1]
    );
    let r = &runs[1];
    assert_eq!(
        (r.left_ref.as_str(), r.right_ref.as_str(), r.dry_run),
        ("amazon-A1:my-music", "spotify-bob:pl", false)
    );
    assert_eq!(r.summary, Some(summary));
    let finished = r.finished_ms.expect("finished");
    assert!(finished >= r.started_ms);
    assert!(runs[2].dry_run);
    assert_eq!(runs[0].finished_ms, None);
    assert_eq!(store.runs(2).expect("limited").len(), 2);
    assert!(store.runs(0).expect("none").is_empty());
}

#[test]
fn pruning_keeps_the_newest_runs_and_their_journal() {
    let store = Store::open_in_memory().expect("open");
    let t = Track::new("Song", "Artist");
    let runs: Vec<RunId> = (0..5)
        .map(|i| {
            let run = store.begin_run("a", "b", false).expect("run");
            store
                .journal_pending(run, "b", &format!("k{i}"), &t)
                .expect("pending");
            run
        })
        .collect();
    assert_eq!(store.prune_runs(2).expect("prune"), 3);
    let left: Vec<RunId> = store.runs(10).expect("runs").iter().map(|r| r.id).collect();
    assert_eq!(left, vec![runs[4], runs[3]]);
    let mut keys: Vec<String> = store.journal_for("b").expect("bulk").into_keys().collect();
    keys.sort();
    assert_eq!(keys, ["k3", "k4"], "journal rows of pruned runs are gone");
    assert_eq!(store.prune_runs(2).expect("prune again"), 0);
}

#[test]
fn bulk_journal_of_100k_songs_is_batched() {
    let tmp = temp();
    let store = Store::open(tmp.path()).expect("open");
    let target = "spotify-bob:big";
    let keys: Vec<String> = (0..100_000)
        .map(|i| format!("artist {i}|title {i}"))
        .collect();
    let track = Track::new("Title", "Artist").with_album("Album");
    let run = store.begin_run("big.csv", target, false).expect("run");

    let started = std::time::Instant::now();
    let n = store
        .journal_pending_many(run, target, keys.iter().map(|k| (k.as_str(), &track)))
        .expect("pending");
    let pending_elapsed = started.elapsed();
    assert_eq!(n, 100_000);
    let added = JournalOutcome::Added;
    let failed = JournalOutcome::Failed("not allowed".into());
    let outcomes = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 10 != 9) // every tenth song was never confirmed
        .map(|(i, k)| (k.as_str(), if i % 10 == 0 { &failed } else { &added }));
    let started = std::time::Instant::now();
    assert_eq!(
        store
            .journal_done_many(run, target, outcomes)
            .expect("done"),
        90_000
    );
    let done_elapsed = started.elapsed();

    let started = std::time::Instant::now();
    let states = store.journal_for(target).expect("bulk");
    let read_elapsed = started.elapsed();
    assert_eq!(states.len(), 100_000);
    let count = |want: &dyn Fn(&JournalState) -> bool| states.values().filter(|s| want(s)).count();
    assert_eq!(count(&|s| *s == JournalState::Pending), 10_000);
    assert_eq!(count(&|s| matches!(s, JournalState::Failed(_))), 10_000);
    assert_eq!(count(&|s| *s == JournalState::Added), 80_000);
    eprintln!(
        "100k journal: pending_many {pending_elapsed:?}, done_many (90k) {done_elapsed:?}, \
         journal_for {read_elapsed:?}"
    );
}

#[test]
fn store_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
    assert_send_sync::<StoreError>();
}

#[test]
fn two_processes_writing_at_once_wait_for_each_other() {
    let tmp = temp();
    let a = std::sync::Arc::new(Store::open(tmp.path()).expect("open a"));
    let b = std::sync::Arc::new(Store::open(tmp.path()).expect("open b"));
    let t = Track::new("Song", "Artist");
    let handles: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .enumerate()
        .map(|(n, store)| {
            let t = t.clone();
            std::thread::spawn(move || {
                let run = store.begin_run("l", "r", false).expect("run");
                for i in 0..100 {
                    let key = format!("{n}-{i}");
                    store.journal_pending(run, "r", &key, &t).expect("pending");
                    store
                        .journal_done(run, "r", &key, &JournalOutcome::Added)
                        .expect("done");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    let states = a.journal_for("r").expect("bulk");
    assert_eq!(states.len(), 200);
    assert!(states.values().all(|s| *s == JournalState::Added));
    assert_eq!(b.runs(10).expect("runs").len(), 2);
}
