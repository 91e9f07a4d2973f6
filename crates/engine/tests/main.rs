//! The engine end to end over in-memory services: planning both ways,
//! remembered decisions, read-only sides, the journal, failures that do or
//! do not stop a run, dry runs.

use async_trait::async_trait;
use musync_core::NoProgress;
use musync_core::{
    Capabilities, ErrorKind, Playlist, PlaylistId, Progress, Service, ServiceError, ServiceKind,
    Track,
};
use musync_engine::{
    Action, Answer, AnswerError, Direction, Mode, PlanOptions, Session, Side, SideName, Status,
};
use musync_store::{Decision, Store};
use std::sync::{Arc, Mutex};

/// A service holding one playlist in memory; its catalogue is what search
/// finds. `fail_on` makes adding that title fail; `fatal` makes it fail
/// with an expired sign-in.
struct Mem {
    kind: ServiceKind,
    caps: Capabilities,
    playlist: Mutex<Vec<Track>>,
    catalogue: Vec<Track>,
    add_calls: Mutex<Vec<Vec<String>>>,
    searches: Mutex<usize>,
    fail_on: Option<&'static str>,
    fatal: bool,
    /// Reads of the playlist so far.
    reads: Mutex<usize>,
    /// Whether it offers a revision token (the number of adds so far).
    versioned: bool,
}

impl Mem {
    fn writable(playlist: Vec<Track>, catalogue: Vec<Track>) -> Arc<Mem> {
        Arc::new(Mem {
            kind: ServiceKind::new("spotify", "Spotify"),
            caps: Capabilities {
                read_playlists: true,
                read_tracks: true,
                search: true,
                add_tracks: true,
                add_max_batch: Some(2),
                ..Default::default()
            },
            playlist: Mutex::new(playlist),
            catalogue,
            add_calls: Mutex::default(),
            searches: Mutex::new(0),
            fail_on: None,
            fatal: false,
            reads: Mutex::new(0),
            versioned: false,
        })
    }

    fn read_only(playlist: Vec<Track>) -> Arc<Mem> {
        Arc::new(Mem {
            kind: ServiceKind::new("amazon", "Amazon Music"),
            caps: Capabilities {
                read_playlists: true,
                read_tracks: true,
                ..Default::default()
            },
            playlist: Mutex::new(playlist),
            catalogue: vec![],
            add_calls: Mutex::default(),
            searches: Mutex::new(0),
            fail_on: None,
            fatal: false,
            reads: Mutex::new(0),
            versioned: false,
        })
    }

    /// A target without search that takes any track (like a file).
    fn unlisted(playlist: Vec<Track>) -> Arc<Mem> {
        Arc::new(Mem {
            kind: ServiceKind::new("file", "Playlist file"),
            caps: Capabilities {
                read_playlists: true,
                read_tracks: true,
                add_tracks: true,
                add_unlisted: true,
                ..Default::default()
            },
            playlist: Mutex::new(playlist),
            catalogue: vec![],
            add_calls: Mutex::default(),
            searches: Mutex::new(0),
            fail_on: None,
            fatal: false,
            reads: Mutex::new(0),
            versioned: false,
        })
    }

    fn titles(&self) -> Vec<String> {
        self.playlist
            .lock()
            .unwrap()
            .iter()
            .map(|t| t.title.to_string())
            .collect()
    }
}

#[async_trait]
impl Service for Mem {
    fn kind(&self) -> ServiceKind {
        self.kind
    }
    fn capabilities(&self) -> Capabilities {
        self.caps
    }
    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        Ok(vec![])
    }
    async fn tracks(&self, _: &PlaylistId, _: &dyn Progress) -> Result<Vec<Track>, ServiceError> {
        *self.reads.lock().unwrap() += 1;
        Ok(self.playlist.lock().unwrap().clone())
    }
    async fn revision(&self, _: &PlaylistId) -> Option<String> {
        self.versioned
            .then(|| self.add_calls.lock().unwrap().len().to_string())
    }
    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        let n = {
            let mut n = self.searches.lock().unwrap();
            *n += 1;
            *n
        };
        if self.fatal && self.fail_on.is_none() && n >= 3 {
            return Err(ServiceError::new(
                ErrorKind::RateLimited,
                "Spotify",
                "searching",
                "rate limited for an hour",
            )
            .with_temporary(false));
        }
        // Let searches overlap, as a network would.
        tokio::task::yield_now().await;
        let word = track
            .title
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase();
        Ok(self
            .catalogue
            .iter()
            .filter(|c| c.title.to_lowercase().contains(&word))
            .cloned()
            .collect())
    }
    async fn add(&self, _: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        self.add_calls
            .lock()
            .unwrap()
            .push(tracks.iter().map(|t| t.title.to_string()).collect());
        if let Some(bad) = self.fail_on
            && tracks.iter().any(|t| t.title == bad)
        {
            let kind = if self.fatal {
                ErrorKind::AuthExpired
            } else {
                ErrorKind::InvalidInput
            };
            return Err(ServiceError::new(
                kind,
                "Mem",
                "adding",
                format!("refused {bad}"),
            ));
        }
        self.playlist.lock().unwrap().extend_from_slice(tracks);
        Ok(())
    }
}

fn side(service: Arc<Mem>, name: &str) -> Side {
    Side {
        writable: service.caps.add_tracks,
        service,
        playlist: PlaylistId::new(name),
        reference: format!("mem:{name}"),
        label: name.to_owned(),
        missing_file: false,
    }
}

fn t(title: &str, artist: &str) -> Track {
    Track::new(title, artist).with_id(format!("id:{artist}:{title}"))
}

async fn sync(
    left: &Side,
    right: &Side,
    store: &Store,
    direction: Direction,
    mode: Mode,
) -> musync_engine::Report {
    let session = Session::compare(
        store,
        left.clone(),
        right.clone(),
        &musync_core::NoProgress,
        &musync_core::NoProgress,
    )
    .await
    .unwrap();
    let opts = PlanOptions {
        direction,
        search_concurrency: 3,
    };
    let plan = session.plan(store, opts, &|| {}).await.unwrap();
    session.run(store, plan, mode, &|_| {}).await.unwrap()
}

#[tokio::test]
async fn two_way_sync_adds_what_each_side_lacks_in_order_and_a_second_run_adds_nothing() {
    let shared = t("Shared", "Band");
    let left = Mem::writable(
        vec![shared.clone(), t("Alpha", "Band"), t("Beta", "Band")],
        vec![t("Gamma", "Band")],
    );
    let right = Mem::writable(
        vec![shared.clone(), t("Gamma", "Band")],
        vec![t("Alpha", "Band"), t("Beta", "Band")],
    );
    let (l, r) = (side(left.clone(), "left"), side(right.clone(), "right"));
    let store = Store::open_in_memory().unwrap();

    let report = sync(&l, &r, &store, Direction::Both, Mode::Apply).await;
    assert_eq!((report.added, report.failed, report.not_found), (3, 0, 0));
    assert_eq!(right.titles(), vec!["Shared", "Gamma", "Alpha", "Beta"]);
    assert_eq!(left.titles(), vec!["Shared", "Alpha", "Beta", "Gamma"]);
    // Batches respect add_max_batch = 2.
    assert!(right.add_calls.lock().unwrap().iter().all(|b| b.len() <= 2));

    let again = sync(&l, &r, &store, Direction::Both, Mode::Apply).await;
    assert_eq!(again.results.len(), 0, "{:?}", again.results);
    assert_eq!(right.titles().len(), 4);
}

#[tokio::test]
async fn a_dry_run_reports_would_add_and_writes_nothing() {
    let left = Mem::writable(vec![t("Alpha", "Band")], vec![]);
    let right = Mem::writable(vec![], vec![t("Alpha", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right.clone(), "r"),
        &store,
        Direction::Both,
        Mode::DryRun,
    )
    .await;
    assert_eq!(report.would_add, 1);
    assert_eq!(report.results[0].status, Status::WouldAdd);
    assert!(right.add_calls.lock().unwrap().is_empty());
    assert!(right.titles().is_empty());
}

#[tokio::test]
async fn a_read_only_side_turns_both_ways_into_one_way_with_a_note() {
    let amazon = Mem::read_only(vec![t("Alpha", "Band")]);
    let spotify = Mem::writable(vec![t("Only Here", "Band")], vec![t("Alpha", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(amazon.clone(), "amazon"),
        &side(spotify.clone(), "spotify"),
        &store,
        Direction::Both,
        Mode::Apply,
    )
    .await;
    assert_eq!(report.added, 1);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("Amazon Music is read-only in musync")),
        "{:?}",
        report.notes
    );
    assert_eq!(amazon.titles(), vec!["Alpha"]);
    assert!(amazon.add_calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn syncing_only_into_a_read_only_side_is_refused() {
    let amazon = Mem::read_only(vec![]);
    let spotify = Mem::writable(vec![t("Alpha", "Band")], vec![]);
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(amazon, "amazon"), side(spotify, "spotify"));
    let cmp = musync_engine::compare(
        &l,
        &r,
        &store,
        &musync_core::NoProgress,
        &musync_core::NoProgress,
    )
    .await
    .unwrap();
    let opts = PlanOptions {
        direction: Direction::ToLeft,
        search_concurrency: 1,
    };
    let err = musync_engine::plan(&cmp, &l, &r, &store, opts, &|| {})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

#[tokio::test]
async fn remembered_decisions_are_applied_without_searching() {
    let left = Mem::writable(vec![t("Alpha", "Band"), t("Beta", "Band")], vec![]);
    let right = Mem::writable(vec![], vec![t("Alpha", "Band"), t("Beta", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(left, "l"), side(right.clone(), "r"));
    let alpha_key = musync_engine::source_key(&t("Alpha", "Band"));
    let beta_key = musync_engine::source_key(&t("Beta", "Band"));
    store
        .set_decision(&alpha_key, &r.reference, &Decision::DontSync)
        .unwrap();
    let chosen = t("Beta (Chosen)", "Band");
    store
        .set_decision(&beta_key, &r.reference, &Decision::Chosen(chosen.clone()))
        .unwrap();

    let report = sync(&l, &r, &store, Direction::ToRight, Mode::Apply).await;
    assert_eq!(*right.searches.lock().unwrap(), 0);
    assert_eq!(right.titles(), vec!["Beta (Chosen)"]);
    let alpha = report
        .results
        .iter()
        .find(|x| x.source.title == "Alpha")
        .unwrap();
    assert_eq!(alpha.status, Status::Skipped);
    assert_eq!(alpha.reason.as_deref(), Some("don't sync (remembered)"));
}

#[tokio::test]
async fn an_uncertain_match_goes_to_review_and_is_not_added_without_a_person() {
    // The only candidate is a live version: never picked automatically.
    let left = Mem::writable(vec![t("Alpha", "Band")], vec![]);
    let right = Mem::writable(vec![], vec![t("Alpha - Live", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(left, "l"), side(right.clone(), "r"));
    let cmp = musync_engine::compare(
        &l,
        &r,
        &store,
        &musync_core::NoProgress,
        &musync_core::NoProgress,
    )
    .await
    .unwrap();
    let plan = musync_engine::plan(&cmp, &l, &r, &store, PlanOptions::default(), &|| {})
        .await
        .unwrap();
    assert!(
        matches!(plan.items[0].action, Action::Review),
        "{:?}",
        plan.items[0].action
    );
    assert_eq!(plan.items[0].candidates.len(), 1);
    let run = store.begin_run("l", "r", false).unwrap();
    let report = musync_engine::apply(&plan, &cmp, &l, &r, &store, Some(run), Mode::Apply, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.not_found, 1);
    assert!(
        report.results[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("no confident match")
    );
    assert!(right.titles().is_empty());
}

#[tokio::test]
async fn one_failing_song_does_not_stop_the_others() {
    let left = Mem::writable(
        vec![t("Alpha", "Band"), t("Beta", "Band"), t("Gamma", "Band")],
        vec![],
    );
    let mut right = Mem::writable(
        vec![],
        vec![t("Alpha", "Band"), t("Beta", "Band"), t("Gamma", "Band")],
    );
    let r_mut = Arc::get_mut(&mut right).unwrap();
    r_mut.caps.add_max_batch = Some(1);
    r_mut.fail_on = Some("Beta");
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right.clone(), "r"),
        &store,
        Direction::ToRight,
        Mode::Apply,
    )
    .await;
    assert_eq!((report.added, report.failed), (2, 1));
    let beta = report
        .results
        .iter()
        .find(|x| x.source.title == "Beta")
        .unwrap();
    assert_eq!(beta.status, Status::Failed);
    assert!(beta.reason.as_deref().unwrap().contains("refused Beta"));
    assert_eq!(right.titles(), vec!["Alpha", "Gamma"]);
}

#[tokio::test]
async fn an_expired_sign_in_stops_the_side_and_says_what_was_not_attempted() {
    let left = Mem::writable(
        vec![t("Alpha", "Band"), t("Beta", "Band"), t("Gamma", "Band")],
        vec![],
    );
    let mut right = Mem::writable(
        vec![],
        vec![t("Alpha", "Band"), t("Beta", "Band"), t("Gamma", "Band")],
    );
    let r_mut = Arc::get_mut(&mut right).unwrap();
    r_mut.caps.add_max_batch = Some(1);
    r_mut.fail_on = Some("Alpha");
    r_mut.fatal = true;
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right.clone(), "r"),
        &store,
        Direction::ToRight,
        Mode::Apply,
    )
    .await;
    assert_eq!(report.failed, 3);
    assert_eq!(
        right.add_calls.lock().unwrap().len(),
        1,
        "nothing sent after the expiry"
    );
    assert!(
        report
            .results
            .iter()
            .filter(|x| x.source.title != "Alpha")
            .all(|x| x.reason.as_deref().unwrap().starts_with("not attempted"))
    );
    assert!(report.notes.iter().any(|n| n.contains("stopped adding")));
}

#[tokio::test]
async fn a_search_answer_that_fails_every_next_one_stops_the_searches_at_once() {
    // issue 11: a persistent rate limit on the 3rd search. At most the
    // searches already in flight (concurrency 3) may still be sent.
    let songs: Vec<Track> = (0..40).map(|i| t(&format!("Song{i}"), "Band")).collect();
    let left = Mem::writable(songs.clone(), vec![]);
    let mut right = Mem::writable(vec![], songs);
    Arc::get_mut(&mut right).unwrap().fatal = true;
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right.clone(), "r"),
        &store,
        Direction::ToRight,
        Mode::Apply,
    )
    .await;
    let sent = *right.searches.lock().unwrap();
    assert!(sent <= 3 + 2, "{sent} searches sent");
    let not_attempted = report
        .results
        .iter()
        .filter(|r| {
            r.reason
                .as_deref()
                .is_some_and(|x| x.starts_with("not attempted"))
        })
        .count();
    assert!(not_attempted >= 40 - sent, "{not_attempted} not attempted");
    assert!(
        report.notes.iter().any(|n| n.contains("stopped searching")),
        "{:?}",
        report.notes
    );
    // Every song is either added (its search came back before the stop)
    // or failed with the reason; none is silently dropped.
    assert_eq!(report.added + report.failed, 40, "{:?}", report.results);
    assert_eq!(
        report.failed,
        not_attempted + 1,
        "one failed search, the rest not attempted"
    );
}

#[tokio::test]
async fn a_song_the_target_no_longer_has_is_added_again_not_kept_out_by_the_journal() {
    // issue 11: the journal is history, not a gate. Once the target lost
    // the song (a file deleted, a song removed), the next sync adds it.
    let left = Mem::writable(vec![t("Alpha", "Band")], vec![]);
    let right = Mem::writable(vec![], vec![t("Alpha", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(left, "l"), side(right.clone(), "r"));
    assert_eq!(
        sync(&l, &r, &store, Direction::ToRight, Mode::Apply)
            .await
            .added,
        1
    );
    right.playlist.lock().unwrap().clear();
    let report = sync(&l, &r, &store, Direction::ToRight, Mode::Apply).await;
    assert_eq!(report.added, 1, "{:?}", report.results);
    assert_eq!(right.titles(), vec!["Alpha"]);
    // And while the target has it, nothing is sent again.
    let report = sync(&l, &r, &store, Direction::ToRight, Mode::Apply).await;
    assert_eq!((report.added, report.results.len()), (0, 0));
}

#[tokio::test]
async fn two_recordings_with_one_name_are_both_added_where_the_target_takes_anything() {
    // issue 20 #7: one rule for "same song" within a run, the matcher's.
    let short = Track::new("Intro", "Band")
        .with_duration_s(94)
        .with_isrc("QZAAA2600001");
    let long = Track::new("Intro", "Band")
        .with_duration_s(283)
        .with_isrc("QZAAA2600002");
    let left = Mem::writable(vec![short, long], vec![]);
    let right = Mem::unlisted(vec![]);
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right.clone(), "r"),
        &store,
        Direction::ToRight,
        Mode::Apply,
    )
    .await;
    assert_eq!(report.added, 2, "{:?}", report.results);
    assert_eq!(right.titles(), vec!["Intro", "Intro"]);
}

#[tokio::test]
async fn a_dry_run_remembers_no_answer_and_no_unlink_and_journals_nothing() {
    let left = Mem::writable(vec![t("Alpha", "Band"), t("Beta", "Band")], vec![]);
    let right = Mem::writable(vec![t("Beta", "Band")], vec![t("Alpha - Live", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(left, "l"), side(right.clone(), "r"));
    let mut session = Session::compare(&store, l, r, &NoProgress, &NoProgress)
        .await
        .unwrap();
    assert!(session.unlink(1, 0), "Beta is a matched pair");
    let mut plan = session
        .plan(&store, PlanOptions::default(), &|| {})
        .await
        .unwrap();
    let alpha = plan
        .items
        .iter()
        .position(|i| i.source.title == "Alpha")
        .unwrap();
    plan.answer(alpha, Answer::DontSync, false).unwrap();
    let report = session
        .run(&store, plan, Mode::DryRun, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.added, 0);
    assert!(
        store.decisions_for("mem:r").unwrap().is_empty(),
        "no answer stored"
    );
    assert!(store.unlinked().unwrap().is_empty(), "no unlink stored");
    assert!(store.runs(10).unwrap().is_empty(), "no run recorded");
    assert_eq!(right.titles(), vec!["Beta"]);
}

#[tokio::test]
async fn a_real_run_remembers_the_answers_and_unlinks_and_skipped_songs_say_skipped() {
    let left = Mem::writable(vec![t("Alpha", "Band"), t("Gamma", "Band")], vec![]);
    let right = Mem::writable(
        vec![],
        vec![t("Alpha - Live", "Band"), t("Gamma - Live", "Band")],
    );
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(left, "l"), side(right, "r"));
    let session = Session::compare(&store, l, r, &NoProgress, &NoProgress)
        .await
        .unwrap();
    let mut plan = session
        .plan(&store, PlanOptions::default(), &|| {})
        .await
        .unwrap();
    let pos = |title: &str| {
        plan.items
            .iter()
            .position(|i| i.source.title == title)
            .unwrap()
    };
    let (alpha, gamma) = (pos("Alpha"), pos("Gamma"));
    assert_eq!(
        plan.answer(alpha, Answer::Candidate(7), false),
        Err(AnswerError::NoSuchCandidate {
            song: alpha,
            candidate: 7
        })
    );
    plan.answer(alpha, Answer::DontSync, false).unwrap();
    plan.answer(gamma, Answer::Skip, false).unwrap();
    let report = session
        .run(&store, plan, Mode::Apply, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        store
            .decision(&musync_engine::source_key(&t("Alpha", "Band")), "mem:r")
            .unwrap(),
        Some(Decision::DontSync)
    );
    assert_eq!(
        store
            .decisions_for("mem:r")
            .unwrap()
            .values()
            .collect::<Vec<_>>(),
        vec![&Decision::DontSync]
    );
    let gamma_row = report
        .results
        .iter()
        .find(|r| r.source.title == "Gamma")
        .unwrap();
    assert_eq!(
        gamma_row.status,
        Status::Skipped,
        "skipped, not 'not found'"
    );
}

#[tokio::test]
async fn two_sources_that_find_the_same_track_add_it_once() {
    let left = Mem::writable(
        vec![t("Alpha", "Band"), t("Alpha (2011 Remaster)", "Band")],
        vec![],
    );
    let right = Mem::writable(vec![], vec![t("Alpha", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right.clone(), "r"),
        &store,
        Direction::ToRight,
        Mode::Apply,
    )
    .await;
    assert_eq!(right.titles(), vec!["Alpha"]);
    assert_eq!(report.added + report.skipped, report.results.len());
}

#[tokio::test]
async fn the_report_serialises_to_the_cli_contract() {
    let left = Mem::writable(vec![t("Alpha", "Band")], vec![]);
    let right = Mem::writable(vec![], vec![t("Alpha", "Band")]);
    let store = Store::open_in_memory().unwrap();
    let report = sync(
        &side(left, "l"),
        &side(right, "r"),
        &store,
        Direction::Both,
        Mode::Apply,
    )
    .await;
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(v["added"], 1);
    for key in ["skipped", "not_found", "failed"] {
        assert_eq!(v[key], 0, "{key}");
    }
    let row = &v["results"][0];
    assert_eq!(row["from"], "left");
    assert_eq!(row["status"], "added");
    assert_eq!(row["source"]["title"], "Alpha");
    assert_eq!(row["target"]["artist"], "Band");
    assert!(row["reason"].is_null());
    let _ = SideName::Left;
}

#[tokio::test]
async fn a_remembered_unlink_can_be_taken_back_and_the_pair_matches_again() {
    let left = Mem::writable(vec![t("Alpha", "Band"), t("Beta", "Band")], vec![]);
    let right = Mem::writable(vec![t("Beta", "Band")], vec![]);
    let store = Store::open_in_memory().unwrap();
    let (l, r) = (side(left, "l"), side(right, "r"));
    let mut session = Session::compare(&store, l.clone(), r.clone(), &NoProgress, &NoProgress)
        .await
        .unwrap();
    assert!(session.unlink_and_remember(&store, 1, 0).unwrap());
    assert_eq!(session.comparison().unlinked, vec![(1, 0)]);
    assert!(!store.unlinked().unwrap().is_empty());

    // A later comparison reads the remembered unlink and offers it back.
    let mut again = Session::compare(&store, l, r, &NoProgress, &NoProgress)
        .await
        .unwrap();
    assert_eq!(again.comparison().unlinked, vec![(1, 0)]);
    assert_eq!(again.comparison().diff.only_right, vec![0]);
    assert!(
        !again.relink_and_forget(&store, 0, 0).unwrap(),
        "not an unlinked pair"
    );
    assert!(again.relink_and_forget(&store, 1, 0).unwrap());
    assert_eq!(again.comparison().diff.matched, vec![(1, 0)]);
    assert_eq!(again.comparison().diff.only_left, vec![0]);
    assert!(again.comparison().diff.only_right.is_empty());
    assert!(again.comparison().unlinked.is_empty());
    assert!(store.unlinked().unwrap().is_empty(), "the store forgot it");
}

/// Compares and plans both ways, then lets `meanwhile` act (another run
/// writing the target) before running the plan for real.
async fn sync_with_a_writer_in_between(
    left: &Side,
    right: &Side,
    store: &Store,
    meanwhile: impl std::future::Future<Output = ()>,
) -> musync_engine::Report {
    let session = Session::compare(store, left.clone(), right.clone(), &NoProgress, &NoProgress)
        .await
        .unwrap();
    let plan = session
        .plan(store, PlanOptions::default(), &|| {})
        .await
        .unwrap();
    meanwhile.await;
    session
        .run(store, plan, Mode::Apply, &|_| {})
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unchanged_revision_spares_the_read_under_the_lock() {
    let left = Mem::writable(vec![t("Alpha", "Band")], vec![]);
    let mut right = Mem::unlisted(vec![t("Beta", "Band")]);
    Arc::get_mut(&mut right).unwrap().versioned = true;
    let (l, r) = (side(left, "l"), side(right.clone(), "r"));
    let store = Store::open_in_memory().unwrap();

    let report = sync_with_a_writer_in_between(&l, &r, &store, async {}).await;
    assert_eq!(report.added, 1);
    assert_eq!(right.titles(), vec!["Beta", "Alpha"]);
    assert_eq!(
        *right.reads.lock().unwrap(),
        1,
        "read once, not again under the lock"
    );
}

#[tokio::test]
async fn a_moved_revision_reads_the_target_again_and_sends_nothing_twice() {
    let left = Mem::writable(vec![t("Alpha", "Band"), t("Gamma", "Band")], vec![]);
    let mut right = Mem::unlisted(vec![t("Beta", "Band")]);
    Arc::get_mut(&mut right).unwrap().versioned = true;
    let (l, r) = (side(left, "l"), side(right.clone(), "r"));
    let store = Store::open_in_memory().unwrap();

    // Another run adds Alpha after this one read the target.
    let other = right.clone();
    let report = sync_with_a_writer_in_between(&l, &r, &store, async move {
        other
            .add(&PlaylistId::new("r"), &[t("Alpha", "Band")])
            .await
            .unwrap();
    })
    .await;
    assert_eq!(*right.reads.lock().unwrap(), 2, "read again under the lock");
    assert_eq!(right.titles(), vec!["Beta", "Alpha", "Gamma"]);
    assert_eq!(report.added, 1);
    assert_eq!(report.skipped, 1, "{:?}", report.results);
}
