//! Saved-pair runs over playlist files, in process: resuming after a run
//! killed in the middle of a removal, and the per-pair lock.

use musync_engine::{PairLock, RunOptions, Status, run_pair};
use musync_store::{FileSecretStore, SavedPair, Store};
use std::path::Path;
use std::sync::Arc;

fn m3u(titles: &[&str]) -> String {
    let mut s = String::from("#EXTM3U\n");
    for (i, t) in titles.iter().enumerate() {
        s.push_str(&format!("#EXTINF:{},Band - {t}\n/m/{t}.mp3\n", i + 1));
    }
    s
}

fn count(p: &Path, title: &str) -> usize {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| l.ends_with(&format!(",Band - {title}")))
        .count()
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    opener: musync_engine::Opener,
    pair: SavedPair,
    left: std::path::PathBuf,
    right: std::path::PathBuf,
}

fn fixture(left: &[&str]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = Store::open(&data).unwrap();
    let secrets = data.clone();
    let opener = musync_engine::Opener::new(move || Arc::new(FileSecretStore::new(&secrets)));
    let l = dir.path().join("left.m3u8");
    let r = dir.path().join("right.m3u8");
    std::fs::write(&l, m3u(left)).unwrap();
    let pair = SavedPair {
        name: "p".into(),
        left: l.display().to_string(),
        right: r.display().to_string(),
        direction: "both".into(),
        removals: "propagate".into(),
        created_ms: 0,
        last_run_ms: None,
        last_result: None,
    };
    store.add_pair(&pair).unwrap();
    Fixture {
        _dir: dir,
        store,
        opener,
        pair,
        left: l,
        right: r,
    }
}

fn confirmed() -> RunOptions {
    RunOptions {
        allow_mass_removal: true,
        ..RunOptions::default()
    }
}

#[tokio::test]
async fn a_removal_an_interrupted_run_already_made_is_not_made_again() {
    // The left holds "Dup" twice; the right (after the first run) once.
    let f = fixture(&["A", "Dup", "B", "Dup", "C"]);
    let first = run_pair(&f.store, &f.opener, &f.pair, confirmed())
        .await
        .unwrap();
    assert!(!first.failed(), "{first:?}");
    // The person removes "Dup" on the right.
    let right = std::fs::read_to_string(&f.right).unwrap();
    let kept: Vec<&str> = right.lines().filter(|l| !l.contains("Dup")).collect();
    std::fs::write(&f.right, kept.join("\n") + "\n").unwrap();
    assert_eq!(count(&f.right, "Dup"), 0);

    // A run was killed right after removing one "Dup" from the left: its
    // journal says "removing, 2 seen" and the run never finished.
    let key = {
        let t = musync_core::Track::new("Dup", "Band");
        musync_engine::source_key(&t)
    };
    let crashed = f
        .store
        .begin_run(&f.pair.left, &f.pair.right, false)
        .unwrap();
    f.store
        .journal_removing(crashed, &f.pair.left, &key, 2)
        .unwrap();
    std::fs::write(&f.left, m3u(&["A", "B", "Dup", "C"])).unwrap();

    let resumed = run_pair(&f.store, &f.opener, &f.pair, confirmed())
        .await
        .unwrap();
    assert_eq!(count(&f.left, "Dup"), 1, "no second removal: {resumed:?}");
    assert!(
        resumed
            .results
            .iter()
            .any(|r| r.status == Status::Removed && r.source.title == "Dup"),
        "{resumed:?}"
    );
    assert_eq!(
        count(&f.right, "Dup"),
        0,
        "not copied back either: {resumed:#?}"
    );
    // And it stays so.
    let again = run_pair(&f.store, &f.opener, &f.pair, confirmed())
        .await
        .unwrap();
    assert_eq!(count(&f.left, "Dup"), 1, "{again:?}");
    assert_eq!(count(&f.right, "Dup"), 0);
}

#[tokio::test]
async fn a_pair_held_by_another_run_is_skipped_with_a_note_and_nothing_written() {
    let f = fixture(&["A", "B"]);
    let held = PairLock::try_acquire(f.store.data_dir(), "p")
        .unwrap()
        .unwrap();
    let r = run_pair(&f.store, &f.opener, &f.pair, RunOptions::default())
        .await
        .unwrap();
    assert!(!r.failed());
    assert!(
        r.note.as_deref().unwrap().contains("another musync"),
        "{r:?}"
    );
    assert!(!f.right.exists(), "nothing written");
    drop(held);
    let r = run_pair(&f.store, &f.opener, &f.pair, RunOptions::default())
        .await
        .unwrap();
    assert_eq!(r.added, 2);
}
