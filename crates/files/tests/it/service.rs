//! `FileService` as the engine sees it: capabilities, listing, reading,
//! search, appending that keeps what is there, atomic writes.

use crate::util::{block_on, names_in};
use musync_core::{Checked, ErrorKind, NoProgress, PlaylistId, Progress, Service, Track, TrackId};
use musync_files::{FileService, Format, read, write_new};
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

fn titles(tracks: &[Track]) -> Vec<&str> {
    tracks.iter().map(|t| t.title.as_str()).collect()
}

fn id_of(path: &Path) -> PlaylistId {
    PlaylistId(path.to_string_lossy().into_owned())
}

#[tokio::test]
async fn declares_a_writable_file_that_takes_any_track() {
    let dir = tempfile::tempdir().unwrap();
    let svc = FileService::open_or_new(dir.path().join("new.m3u8")).unwrap();
    assert_eq!(svc.kind(), musync_files::KIND);
    let caps = svc.capabilities();
    assert!(caps.read_playlists && caps.read_tracks);
    assert!(caps.add_tracks && caps.add_unlisted);
    // Nothing to search: planning adds the source itself, id included.
    assert!(!caps.search && !caps.create_playlist && !caps.search_isrc);
    assert_eq!(caps.add_max_batch, None);
    assert!(!caps.read_only());
}

#[tokio::test]
async fn playlists_use_the_files_title_or_its_stem() {
    let dir = tempfile::tempdir().unwrap();
    let titled = dir.path().join("a.xspf");
    fs::write(
        &titled,
        "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><title>Chill</title><trackList><track><title>x</title></track><track/></trackList></playlist>",
    )
    .unwrap();
    let svc = FileService::open(&titled).unwrap();
    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].id, id_of(&titled));
    assert_eq!(lists[0].name, "Chill");
    assert!(lists[0].writable);
    assert_eq!(lists[0].track_count, Some(2));

    let plain = dir.path().join("Road Trip.csv");
    fs::write(&plain, "Track Name,Artist Name(s)\nA,B\n").unwrap();
    let lists = FileService::open(&plain)
        .unwrap()
        .playlists()
        .await
        .unwrap();
    assert_eq!(
        (lists[0].name.as_str(), lists[0].track_count),
        ("Road Trip", Some(1))
    );
}

#[derive(Default)]
struct Counting(AtomicU64, AtomicU64);
impl Progress for Counting {
    fn set_total(&self, total: u64) {
        self.0.store(total, Ordering::SeqCst);
    }
    fn advance(&self, n: u64) {
        self.1.fetch_add(n, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn tracks_come_in_file_order_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mix.json");
    fs::write(
        &path,
        r#"{"name": "Mix", "tracks": [{"title": "3", "artist": "c"}, {"title": "1", "artist": "a"}, {"title": "2", "artist": "b"}]}"#,
    )
    .unwrap();
    let svc = FileService::open(&path).unwrap();
    let progress = Counting::default();
    let tracks = svc.tracks(&id_of(&path), &progress).await.unwrap();
    assert_eq!(titles(&tracks), ["3", "1", "2"]);
    assert_eq!(progress.0.load(Ordering::SeqCst), 3);
    assert_eq!(progress.1.load(Ordering::SeqCst), 3);
    // The CLI's `file:` prefix names the same playlist; another id does not.
    let prefixed = PlaylistId(format!("file:{}", path.display()));
    assert_eq!(svc.tracks(&prefixed, &NoProgress).await.unwrap().len(), 3);
    let err = svc
        .tracks(&PlaylistId::new("other.json"), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn a_missing_file_is_empty_until_the_first_add_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let path = dir.path().join(format!("new.{}", format.extension()));
        let svc = Checked(FileService::open_or_new(&path).unwrap());
        let lists = svc.playlists().await.unwrap();
        assert_eq!(
            (lists[0].name.as_str(), lists[0].track_count),
            ("new", Some(0))
        );
        assert!(
            svc.tracks(&id_of(&path), &NoProgress)
                .await
                .unwrap()
                .is_empty()
        );
        svc.add(&id_of(&path), &[]).await.unwrap();
        assert!(!path.exists(), "an empty add must not create {format}");

        svc.add(&id_of(&path), &[Track::new("Halo", "Beyoncé")])
            .await
            .unwrap();
        svc.add(
            &id_of(&path),
            &[
                Track::new("Hikari", "宇多田ヒカル"),
                Track::new("Joga", "Björk"),
            ],
        )
        .await
        .unwrap();
        let tracks = svc.tracks(&id_of(&path), &NoProgress).await.unwrap();
        assert_eq!(titles(&tracks), ["Halo", "Hikari", "Joga"], "{format}");
        assert_eq!(tracks[1].artist, "宇多田ヒカル");
    }
}

#[tokio::test]
async fn open_refuses_missing_unknown_and_directory_paths() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.m3u8");
    let err = FileService::open(&missing).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("gone.m3u8"), "{}", err.message);

    let err = FileService::open_or_new(dir.path().join("list.txt")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("'.txt'"), "{}", err.message);

    let err = FileService::open_or_new(dir.path().join("no/such/dir/x.csv")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("does not exist"), "{}", err.message);

    let folder = dir.path().join("folder.json");
    fs::create_dir(&folder).unwrap();
    assert_eq!(
        FileService::open(&folder).unwrap_err().kind,
        ErrorKind::InvalidInput
    );
    let err = read(&folder).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert_eq!(
        err.message,
        format!(
            "{}: is a directory, not a playlist file (musync reads only regular files)",
            folder.display()
        )
    );
}

/// Original content of each format with things musync does not model.
fn rich_files() -> Vec<(&'static str, String)> {
    vec![
        (
            "rich.m3u8",
            "\u{FEFF}#EXTM3U\r\n#PLAYLIST:Rich\r\n# my favourite\r\n#EXTGRP:rock\r\n#EXTINF:355,Queen - Bohemian Rhapsody\r\n#EXTVLCOPT:start-time=10\r\n/m/queen.mp3\r\n/m/Sigur Rós - Hoppípolla.flac\r\n".to_owned(),
        ),
        (
            "rich.csv",
            "\"Track URI\",\"Track Name\",\"Artist Name(s)\",\"Popularity\",\"Added By\"\n\"spotify:track:1\",\"Halo\",\"Beyoncé\",\"77\",\"me\"\n\"spotify:track:2\",\"Crazy In Love (feat. Jay-Z)\",\"Beyoncé,JAY-Z\",\"80\",\"you\"\n".to_owned(),
        ),
        (
            "rich.xspf",
            "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n  <title>Rich</title>\n  <meta rel=\"http://x.test/m\">v</meta>\n  <trackList>\n    <track>\n      <title>Halo</title><creator>Beyoncé</creator>\n      <extension application=\"http://x.test/app\"><rating>5</rating></extension>\n    </track>\n  </trackList>\n</playlist>\n".to_owned(),
        ),
        (
            "rich.json",
            "{\n  \"name\": \"Rich\",\n  \"source\": {\"tool\": \"other\", \"version\": 3},\n  \"tracks\": [\n    {\"title\": \"Halo\", \"artist\": \"Beyoncé\", \"mood\": \"happy\"}\n  ]\n}\n".to_owned(),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_tracks_are_written_as_owned_ones_are() {
    // The engine hands its shared tracks to `add_shared`; every format
    // must come out byte for byte as `add` writes it.
    let dir = tempfile::tempdir().unwrap();
    let new = [
        Track::new("Svefn-g-englar", "Sigur Rós").with_duration_s(604),
        Track::new("First Love", "宇多田ヒカル").with_isrc("JPTO09900130"),
    ];
    let shared: Vec<Arc<Track>> = new.iter().cloned().map(Arc::new).collect();
    for (name, original) in rich_files() {
        let (owned, via_shared) = (
            dir.path().join(format!("a-{name}")),
            dir.path().join(format!("b-{name}")),
        );
        fs::write(&owned, &original).unwrap();
        fs::write(&via_shared, &original).unwrap();
        let a = FileService::open(&owned).unwrap();
        a.add(&id_of(&owned), &new).await.unwrap();
        let b = FileService::open(&via_shared).unwrap();
        b.add_shared(&id_of(&via_shared), &shared).await.unwrap();
        assert_eq!(
            fs::read(&owned).unwrap(),
            fs::read(&via_shared).unwrap(),
            "{name}"
        );
        assert_ne!(fs::read(&owned).unwrap(), original.as_bytes(), "{name}");
    }
}

#[tokio::test]
async fn add_appends_and_keeps_existing_entries_and_unknown_content() {
    let dir = tempfile::tempdir().unwrap();
    for (name, original) in rich_files() {
        let path = dir.path().join(name);
        fs::write(&path, &original).unwrap();
        let svc = FileService::open(&path).unwrap();
        let before = svc.tracks(&id_of(&path), &NoProgress).await.unwrap();
        let new = [
            Track::new("Svefn-g-englar", "Sigur Rós").with_duration_s(604),
            Track::new("First Love", "宇多田ヒカル").with_isrc("JPTO09900130"),
        ];
        svc.add(&id_of(&path), &new).await.unwrap();
        let after = svc.tracks(&id_of(&path), &NoProgress).await.unwrap();
        assert_eq!(after.len(), before.len() + 2, "{name}");
        assert_eq!(
            after[..before.len()],
            before[..],
            "{name}: existing entries changed"
        );
        assert_eq!(
            titles(&after[before.len()..]),
            ["Svefn-g-englar", "First Love"]
        );
        if name != "rich.csv" {
            // That CSV has no duration column to keep it in.
            assert_eq!(after[before.len()].duration_s, Some(604), "{name}");
        }

        let written = fs::read_to_string(&path).unwrap();
        match name {
            // Line-based formats: the old file is a byte-exact prefix.
            "rich.m3u8" | "rich.csv" => {
                assert!(written.starts_with(&original), "{name}:\n{written}")
            }
            // Tree formats: everything around the insertion point is kept.
            "rich.xspf" => {
                let cut = original.find("  </trackList>").unwrap();
                assert!(written.starts_with(&original[..cut]), "{written}");
                assert!(written.ends_with(&original[cut..]), "{written}");
                assert!(written.contains("<identifier>isrc:JPTO09900130</identifier>"));
            }
            _ => {
                let cut = original.find("\n  ]").unwrap();
                assert!(written.starts_with(&original[..cut]), "{written}");
                assert!(written.ends_with(&original[cut..]), "{written}");
            }
        }
        if name == "rich.m3u8" {
            assert!(written.ends_with("#EXTINF:604,Sigur Rós - Svefn-g-englar\r\nSigur Rós - Svefn-g-englar\r\n#EXTINF:-1,宇多田ヒカル - First Love\r\n#EXTISRC:JPTO09900130\r\n宇多田ヒカル - First Love\r\n"), "{written:?}");
        }
        if name == "rich.csv" {
            assert!(written.ends_with("\"\",\"Svefn-g-englar\",\"Sigur Rós\",\"\",\"\"\n\"\",\"First Love\",\"宇多田ヒカル\",\"\",\"\"\n"), "{written}");
        }
    }
    assert_eq!(
        names_in(dir.path()),
        ["rich.csv", "rich.json", "rich.m3u8", "rich.xspf"]
    );
}

#[tokio::test]
async fn removals_rewrite_every_format_in_its_own_style() {
    use musync_core::PlaylistEntry;
    let dir = tempfile::tempdir().unwrap();
    for (name, original) in rich_files() {
        let path = dir.path().join(name);
        fs::write(&path, &original).unwrap();
        let svc = FileService::open(&path).unwrap();
        let id = id_of(&path);
        let song = Track::new("Svefn-g-englar", "Sigur Rós").with_duration_s(604);
        let other = Track::new("First Love", "宇多田ヒカル");
        svc.add(&id, &[song.clone(), other, song]).await.unwrap();
        let read = svc.tracks(&id, &NoProgress).await.unwrap();
        let n = read.len();
        let entry = |position: usize| PlaylistEntry {
            position,
            track: read[position].clone(),
        };

        // One occurrence of a song listed twice: the other one stays.
        svc.remove(&id, &[entry(n - 1)]).await.unwrap();
        let after = svc.tracks(&id, &NoProgress).await.unwrap();
        assert_eq!(after[..], read[..n - 1], "{name}");

        // An entry that no longer holds what was read: refused, untouched.
        let before = fs::read(&path).unwrap();
        let stale = PlaylistEntry {
            position: n - 2,
            track: read[0].clone(),
        };
        let err = svc.remove(&id, &[stale]).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound, "{name}");
        assert!(
            err.to_string().contains("nothing was removed") && err.to_string().contains(name),
            "{name}: {err}"
        );
        assert_eq!(fs::read(&path).unwrap(), before, "{name}: changed");

        // The added songs go again: the file is its old self, byte for byte.
        svc.remove(&id, &[entry(n - 3), entry(n - 2)])
            .await
            .unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), original, "{name}");
    }
    assert_eq!(
        names_in(dir.path()),
        ["rich.csv", "rich.json", "rich.m3u8", "rich.xspf"],
        "no temporary file left"
    );
}

#[tokio::test]
async fn concurrent_adds_through_one_service_keep_both() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("both.csv");
    let svc = Arc::new(FileService::open_or_new(&path).unwrap());
    let id = id_of(&path);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (svc, id) = (svc.clone(), id.clone());
            tokio::spawn(async move { svc.add(&id, &[Track::new(format!("t{i}"), "a")]).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let mut got: Vec<String> = svc
        .tracks(&id, &NoProgress)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title.to_string())
        .collect();
    got.sort();
    assert_eq!(got, (0..8).map(|i| format!("t{i}")).collect::<Vec<_>>());
}

#[test]
fn plain_path_lines_give_artist_and_title_from_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.m3u");
    fs::write(
        &path,
        "/music/Beyoncé - Halo.mp3\nC:\\Music\\Sigur Rós - Hoppípolla.FLAC\nhttp://host.test/a/宇多田ヒカル%20-%20First%20Love.m4a?sig=1\nrelative/Untitled Demo.ogg\n./Björk - Jóga - Live.opus\n",
    )
    .unwrap();
    let (name, tracks) = read(&path).unwrap();
    assert_eq!(name, None);
    let pairs: Vec<(&str, &str)> = tracks
        .iter()
        .map(|t| (t.artist.as_str(), t.title.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Beyoncé", "Halo"),
            ("Sigur Rós", "Hoppípolla"),
            ("宇多田ヒカル", "First Love"),
            ("", "Untitled Demo"),
            ("Björk", "Jóga - Live"),
        ]
    );
    assert_eq!(
        tracks[0].id,
        Some(TrackId("/music/Beyoncé - Halo.mp3".into()))
    );
}

#[test]
fn write_new_replaces_a_file_and_reads_back_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let tracks = [
        Track::new("Hikari", "宇多田ヒカル")
            .with_duration_s(302)
            .with_id("/m/hikari.flac"),
        Track::new("Déjà Vu", "Beyoncé").with_duration_s(240),
    ];
    for format in Format::ALL {
        let path = dir.path().join(format!("out.{}", format.extension()));
        fs::write(&path, "old content that is not a playlist").unwrap();
        write_new(&path, format, "Export ✓", &tracks).unwrap();
        let (name, back) = read(&path).unwrap();
        let expect_name = (format != Format::Csv).then(|| "Export ✓".to_owned());
        assert_eq!(name, expect_name, "{format}");
        assert_eq!(titles(&back), ["Hikari", "Déjà Vu"], "{format}");
        assert_eq!(back[0].id, tracks[0].id, "{format}");
        assert_eq!(back[1].duration_s, Some(240), "{format}");
    }
}

#[cfg(unix)]
#[test]
fn a_write_into_a_read_only_directory_fails_and_keeps_the_original() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    let path = locked.join("list.m3u8");
    let original = "#EXTM3U\n#EXTINF:1,A - B\n/m/b.mp3\n";
    fs::write(&path, original).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions; then there is nothing to observe.
    let probe = locked.join(".probe");
    if fs::write(&probe, "").is_ok() {
        let _ = fs::remove_file(&probe);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("running as root: read-only directories are writable, skipped");
        return;
    }
    let svc = FileService::open(&path).unwrap();
    let err = block_on(svc.add(&id_of(&path), &[Track::new("C", "D")])).unwrap_err();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(err.kind, ErrorKind::Io);
    assert!(err.message.contains("list.m3u8"), "{}", err.message);
    assert!(err.message.contains("not changed"), "{}", err.message);
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
    assert_eq!(names_in(&locked), ["list.m3u8"]);
}

#[cfg(unix)]
#[test]
fn a_write_onto_a_directory_fails_and_changes_nothing() {
    // Fails for root too, unlike a read-only directory.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("busy.json");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep"), "x").unwrap();
    let err = write_new(&target, Format::Json, "x", &[Track::new("a", "b")]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert!(err.message.contains("busy.json"), "{}", err.message);
    assert_eq!(fs::read_to_string(target.join("keep")).unwrap(), "x");
    assert_eq!(names_in(dir.path()), ["busy.json"]);
}

#[test]
fn the_example_playlists_read() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let expect = [
        ("road-trip.csv", None, 12),
        ("favourites.m3u8", Some("Favourites"), 10),
        ("chill.xspf", Some("Chill"), 7),
        ("mix.json", Some("Mix"), 8),
    ];
    for (file, name, count) in expect {
        let (got_name, tracks) = read(&dir.join(file)).unwrap();
        assert_eq!(got_name.as_deref(), name, "{file}");
        assert_eq!(tracks.len(), count, "{file}");
        assert!(
            tracks
                .iter()
                .all(|t| !t.title.is_empty() && !t.artist.is_empty()),
            "{file}"
        );
    }
    let (_, road) = read(&dir.join("road-trip.csv")).unwrap();
    assert_eq!(road[1].artists.len(), 3);
    assert_eq!(road[0].isrc.as_deref(), Some("GBUM71029604"));
    let (_, fav) = read(&dir.join("favourites.m3u8")).unwrap();
    assert_eq!(fav[9].label(), "Björk - Jóga");
}

/// A CSV with one row (`A` by `B`) in a fresh folder, opened as a service.
fn one_row_csv() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Checked<FileService>,
    PlaylistId,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mix.csv");
    fs::write(&path, "Track Name,Artist Name(s)\nA,B\n").unwrap();
    let svc = Checked(FileService::open(&path).unwrap());
    let id = id_of(&path);
    (dir, path, svc, id)
}

#[tokio::test]
async fn the_revision_moves_with_every_write_and_only_then() {
    let (_dir, path, svc, id) = one_row_csv();
    let first = svc.revision(&id).await.expect("a file has a revision");
    svc.tracks(&id, &NoProgress).await.unwrap();
    assert_eq!(svc.revision(&id).await.as_deref(), Some(first.as_str()));

    svc.add(&id, &[Track::new("C", "D")]).await.unwrap();
    let after_add = svc.revision(&id).await.unwrap();
    assert_ne!(after_add, first, "musync's own atomic write moves it");

    // Another program rewriting the file in place, same length.
    let text = fs::read_to_string(&path).unwrap().replace("C,D", "E,F");
    fs::write(&path, text).unwrap();
    assert_ne!(svc.revision(&id).await.unwrap(), after_add);

    assert_eq!(svc.revision(&PlaylistId::new("other.csv")).await, None);
    fs::remove_file(&path).unwrap();
    assert_eq!(svc.revision(&id).await, None, "a missing file has none");
}

/// The CLI and the wizard run on a multi-threaded runtime, where adding
/// writes from the caller's slice in place (no copy of the batch).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_on_a_multi_threaded_runtime_appends_in_order() {
    let (_dir, path, svc, id) = one_row_csv();
    svc.add(&id, &[Track::new("C", "D"), Track::new("E", "F")])
        .await
        .unwrap();
    let tracks = svc.tracks(&id, &NoProgress).await.unwrap();
    assert_eq!(titles(&tracks), vec!["A", "C", "E"]);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "Track Name,Artist Name(s)\nA,B\nC,D\nE,F\n"
    );
}
