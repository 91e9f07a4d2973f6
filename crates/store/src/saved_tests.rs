//! Tests of saved syncs in the store: the v2 → v3 upgrade, pairs, baselines,
//! the review inbox and the removal journal.

use crate::*;
use musync_core::Track;
use serde_json::json;

fn pair(name: &str) -> SavedPair {
    SavedPair {
        name: name.into(),
        left: "/music/a.m3u8".into(),
        right: "spotify-x:liked".into(),
        direction: "both".into(),
        removals: "propagate".into(),
        created_ms: 1,
        last_run_ms: None,
        last_result: None,
    }
}

fn question(pair: &str, key: &str) -> PendingQuestion {
    PendingQuestion {
        pair: pair.into(),
        from: "left".into(),
        source_key: key.into(),
        target_ref: "spotify-x:liked".into(),
        source: Track::new(key, "Artist"),
        candidates: json!([{"track": {"title": "T", "artist": "A"}, "score": 0.5, "reason": "r"}]),
        unlisted: false,
    }
}

#[test]
fn a_v2_database_upgrades_keeping_its_data_and_gains_saved_syncs() {
    let tmp = tempfile::tempdir().expect("temp");
    let path = tmp.path().join(DB_FILE);
    {
        let v2 = Store::open_file_at_version(&path, 2).expect("v2");
        assert_eq!(v2.schema_version().expect("version"), 2);
        v2.set_decision("k1", "x:y", &Decision::DontSync)
            .expect("decision");
        assert!(v2.pairs().is_err(), "v2 has no pairs table");
    }
    let store = Store::open(tmp.path()).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), 3);
    assert_eq!(
        store.decision("k1", "x:y").expect("decision"),
        Some(Decision::DontSync)
    );
    store.add_pair(&pair("nightly")).expect("pair");
    assert_eq!(store.pairs().expect("pairs").len(), 1);
}

#[test]
fn pairs_are_unique_listed_by_name_and_removed_with_their_state() {
    let store = Store::open_in_memory().expect("open");
    assert!(store.pairs().expect("pairs").is_empty());
    store.add_pair(&pair("zeta")).expect("zeta");
    store.add_pair(&pair("alpha")).expect("alpha");
    let dup = store.add_pair(&pair("alpha")).expect_err("duplicate");
    assert_eq!(dup.kind, StoreErrorKind::Exists);
    assert!(dup.message.contains("'alpha' already exists"), "{dup}");
    let names: Vec<String> = store
        .pairs()
        .expect("pairs")
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["alpha", "zeta"]);

    store
        .record_pair_run("alpha", 42, &json!({"added": 3}))
        .expect("run");
    let alpha = store.pair("alpha").expect("read").expect("exists");
    assert_eq!(alpha.last_run_ms, Some(42));
    assert_eq!(alpha.last_result, Some(json!({"added": 3})));

    let mut b = Baseline::default();
    b.left.insert("k".into(), BaselineState::Present);
    store.set_baseline("alpha", &b).expect("baseline");
    store
        .replace_pending("alpha", &[question("alpha", "q")])
        .expect("pending");
    assert!(store.remove_pair("alpha").expect("remove"));
    assert!(!store.remove_pair("alpha").expect("again"), "unknown now");
    assert!(store.baseline("alpha").expect("baseline").is_empty());
    assert!(store.pending(Some("alpha")).expect("pending").is_empty());
    assert_eq!(store.pairs().expect("pairs").len(), 1);
}

#[test]
fn baselines_are_replaced_whole_per_pair() {
    let store = Store::open_in_memory().expect("open");
    store.add_pair(&pair("a")).expect("a");
    store.add_pair(&pair("b")).expect("b");
    let mut first = Baseline::default();
    first.left.insert("x".into(), BaselineState::Present);
    first.right.insert("y".into(), BaselineState::Removed);
    store.set_baseline("a", &first).expect("set");
    store.set_baseline("b", &first).expect("set b");
    assert_eq!(store.baseline("a").expect("read"), first);

    let mut second = Baseline::default();
    second.right.insert("z".into(), BaselineState::Present);
    store.set_baseline("a", &second).expect("replace");
    assert_eq!(store.baseline("a").expect("read"), second);
    assert_eq!(
        store.baseline("b").expect("b"),
        first,
        "other pairs untouched"
    );
}

#[test]
fn the_inbox_keeps_run_order_and_answers_remove_one_question() {
    let store = Store::open_in_memory().expect("open");
    store.add_pair(&pair("a")).expect("a");
    store.add_pair(&pair("b")).expect("b");
    store
        .replace_pending("a", &[question("a", "zz"), question("a", "aa")])
        .expect("pending");
    store
        .replace_pending("b", &[question("b", "mm")])
        .expect("pending b");
    let a = store.pending(Some("a")).expect("a");
    let keys: Vec<&str> = a.iter().map(|q| q.source_key.as_str()).collect();
    assert_eq!(keys, ["zz", "aa"], "the order the run found them");
    assert_eq!(a[0], question("a", "zz"));
    assert_eq!(store.pending(None).expect("all").len(), 3);
    assert_eq!(store.pending_count("a").expect("count"), 2);

    assert!(store.remove_pending("a", "left", "zz").expect("answer"));
    assert!(!store.remove_pending("a", "left", "zz").expect("again"));
    assert_eq!(store.pending_count("a").expect("count"), 1);

    store.replace_pending("a", &[]).expect("nothing left");
    assert_eq!(store.pending_count("a").expect("count"), 0);
    assert_eq!(store.pending_count("b").expect("count"), 1);
}

#[test]
fn only_removals_of_interrupted_runs_count_as_unfinished() {
    let store = Store::open_in_memory().expect("open");
    let crashed = store.begin_run("l", "r", false).expect("run");
    store
        .journal_removing(crashed, "r", "song", 2)
        .expect("removing");
    let finished = store.begin_run("l", "r", false).expect("run");
    store
        .journal_removing(finished, "r", "other", 1)
        .expect("removing");
    store
        .journal_removal_done(finished, "r", "other", 1, &JournalOutcome::Added)
        .expect("done");
    store.finish_run(finished, &json!({})).expect("finish");
    let now = store.begin_run("l", "r", false).expect("run");

    let found = store
        .unfinished_removal("r", "song", now)
        .expect("read")
        .expect("the crashed run's removal");
    assert_eq!(found.run, crashed);
    assert_eq!(found.seen, 2);
    assert_eq!(
        store.unfinished_removal("r", "other", now).expect("read"),
        None
    );
    assert_eq!(
        store
            .unfinished_removal("r", "song", crashed)
            .expect("read"),
        None,
        "a run's own rows are not a resume"
    );
    assert_eq!(store.prune_runs(1).expect("prune"), 2);
    assert_eq!(
        store.unfinished_removal("r", "song", now).expect("read"),
        None
    );
}
