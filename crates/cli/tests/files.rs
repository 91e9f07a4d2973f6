//! Playlist files end to end: diff, dry runs, syncs in both directions,
//! export, bad input, usage errors.

use crate::util::*;

const CSV: &str = "Track URI,Track Name,Artist Name(s),Album Name,Duration (ms),ISRC\n\
spotify:track:1,Hoppípolla,Sigur Rós,Takk...,268000,\n\
spotify:track:2,Blinding Lights,The Weeknd,After Hours,200040,USUG11904206\n\
spotify:track:3,Halo,Beyoncé,I Am... Sasha Fierce,261000,\n\
spotify:track:4,First Love,宇多田ヒカル,First Love,259000,\n";

const M3U: &str = "#EXTM3U\n\
#EXTINF:200,The Weeknd - Blinding Lights\n\
music/The Weeknd - Blinding Lights.mp3\n\
#EXTINF:355,Queen - Bohemian Rhapsody - Remastered 2011\n\
music/Queen - Bohemian Rhapsody.flac\n\
# a comment musync must keep\n\
#EXTINF:261,Beyonce - Halo\n\
music/Beyonce - Halo.mp3\n";

#[test]
fn diff_json_gives_indices_into_each_side() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let r = env.write("b.m3u8", M3U);
    let out = ok(env.run(&["diff", l.to_str().unwrap(), r.to_str().unwrap(), "--json"]));
    let v = json(&out);
    assert_eq!(v["matched"], serde_json::json!([[1, 0], [2, 2]]));
    assert_eq!(v["only_left"], serde_json::json!([0, 3]));
    assert_eq!(v["only_right"], serde_json::json!([1]));
}

#[test]
fn a_dry_run_changes_no_file() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let r = env.write("b.m3u8", M3U);
    let out = ok(env.run(&[
        "sync",
        l.to_str().unwrap(),
        r.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]));
    let v = json(&out);
    assert_eq!(v["would_add"], 3);
    assert_eq!(v["added"], 0);
    assert_eq!(read(&l), CSV);
    assert_eq!(read(&r), M3U);
}

#[test]
fn two_way_sync_adds_exactly_the_missing_songs_keeps_order_and_is_idempotent() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let r = env.write("b.m3u8", M3U);
    let out = ok(env.run(&[
        "sync",
        l.to_str().unwrap(),
        r.to_str().unwrap(),
        "--yes",
        "--json",
    ]));
    let v = json(&out);
    assert_eq!(v["added"], 3, "{v:#}");
    assert_eq!(
        (
            v["skipped"].as_u64(),
            v["not_found"].as_u64(),
            v["failed"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    let statuses: Vec<_> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["from"].as_str().unwrap().to_owned(),
                r["source"]["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(statuses.contains(&("left".into(), "Hoppípolla".into())));
    assert!(statuses.contains(&("left".into(), "First Love".into())));
    assert!(statuses.contains(&("right".into(), "Bohemian Rhapsody - Remastered 2011".into())));

    // Existing entries untouched and first; new ones appended in source order.
    let m3u = read(&r);
    assert!(
        m3u.starts_with(M3U),
        "existing M3U content must stay as it was:\n{m3u}"
    );
    let tail = &m3u[M3U.len()..];
    let hop = tail.find("Hoppípolla").expect("added");
    let first = tail.find("First Love").expect("added");
    assert!(hop < first);
    let csv = read(&l);
    assert!(csv.starts_with(CSV), "{csv}");
    assert!(csv[CSV.len()..].contains("Bohemian Rhapsody"));

    let again = ok(env.run(&[
        "sync",
        l.to_str().unwrap(),
        r.to_str().unwrap(),
        "--yes",
        "--json",
    ]));
    let v = json(&again);
    assert_eq!(v["added"], 0, "{v:#}");
    assert_eq!(v["results"].as_array().unwrap().len(), 0, "{v:#}");
}

#[test]
fn direction_restricts_which_side_is_written() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let r = env.write("b.m3u8", M3U);
    let out = ok(env.run(&[
        "sync",
        l.to_str().unwrap(),
        r.to_str().unwrap(),
        "--direction",
        "to-left",
        "--yes",
        "--json",
    ]));
    assert_eq!(json(&out)["added"], 1);
    assert_eq!(read(&r), M3U);
    assert!(read(&l).contains("Bohemian Rhapsody"));
}

#[test]
fn syncing_into_a_new_file_creates_it_in_every_format() {
    for ext in ["m3u8", "xspf", "csv", "json"] {
        let env = Env::new();
        let l = env.write("a.csv", CSV);
        let target = env.path(&format!("new.{ext}"));
        ok(env.run(&[
            "sync",
            l.to_str().unwrap(),
            target.to_str().unwrap(),
            "--yes",
        ]));
        let out = ok(env.run(&["tracks", target.to_str().unwrap(), "--json"]));
        let titles: Vec<String> = json(&out)
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            titles,
            ["Hoppípolla", "Blinding Lights", "Halo", "First Love"],
            "{ext}"
        );
    }
}

#[test]
fn tracks_json_has_the_contract_fields() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let v = json(&ok(env.run(&["tracks", l.to_str().unwrap(), "--json"])));
    let t = &v[1];
    assert_eq!(t["title"], "Blinding Lights");
    assert_eq!(t["artist"], "The Weeknd");
    assert_eq!(t["album"], "After Hours");
    assert_eq!(t["duration_s"], 200);
    assert_eq!(t["isrc"], "USUG11904206");
    assert_eq!(t["id"], "spotify:track:2");
    assert!(v[0]["isrc"].is_null());
}

#[test]
fn export_writes_every_format_and_reads_back_the_same_songs() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    for fmt in ["m3u8", "xspf", "csv", "json"] {
        let out = env.path(&format!("out.{fmt}"));
        ok(env.run(&[
            "export",
            l.to_str().unwrap(),
            "--format",
            fmt,
            "-o",
            out.to_str().unwrap(),
        ]));
        let v = json(&ok(env.run(&["tracks", out.to_str().unwrap(), "--json"])));
        assert_eq!(v.as_array().unwrap().len(), 4, "{fmt}");
        assert_eq!(v[3]["artist"], "宇多田ヒカル", "{fmt}");
    }
    let stdout_json = ok(env.run(&["export", l.to_str().unwrap(), "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_slice(&stdout_json.stdout).unwrap();
    assert_eq!(doc["tracks"].as_array().unwrap().len(), 4);
}

/// The `id` of each track `musync tracks` lists in `path`.
fn ids_in(env: &Env, path: &std::path::Path) -> Vec<serde_json::Value> {
    let out = ok(env.run(&["tracks", path.to_str().unwrap(), "--json"]));
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect()
}

#[test]
fn syncing_into_a_file_of_any_format_keeps_each_songs_location() {
    let sources = [
        ("a.csv", CSV),
        ("b.m3u8", M3U),
        (
            "c.xspf",
            "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><trackList>\
<track><location>file:///m/Sigur%20R%C3%B3s%20-%20Hopp%C3%ADpolla.flac</location></track>\
<track><location>https://radio.test/live.ogg</location><title>Live</title><creator>DJ</creator></track>\
</trackList></playlist>",
        ),
    ];
    for (source, text) in sources {
        for ext in ["m3u8", "xspf", "csv", "json"] {
            let env = Env::new();
            let from = env.write(source, text);
            let target = env.path(&format!("into.{ext}"));
            ok(env.run(&[
                "sync",
                from.to_str().unwrap(),
                target.to_str().unwrap(),
                "--direction",
                "to-right",
                "--yes",
            ]));
            assert_eq!(
                ids_in(&env, &target),
                ids_in(&env, &from),
                "{source} into {ext}:\n{}",
                read(&target)
            );
        }
    }
}

#[test]
fn different_recordings_of_one_song_are_both_synced() {
    let env = Env::new();
    let from = env.write(
        "two.csv",
        "Track URI,Track Name,Artist Name(s),Duration (ms),ISRC\n\
spotify:track:short,Intro,Band,94000,GBAAA0000001\n\
spotify:track:long,Intro,Band,283000,GBAAA0000002\n",
    );
    let target = env.path("into.m3u8");
    let out = ok(env.run(&[
        "sync",
        from.to_str().unwrap(),
        target.to_str().unwrap(),
        "--direction",
        "to-right",
        "--yes",
        "--json",
    ]));
    assert_eq!(json(&out)["added"], 2, "{}", stdout(&out));
    assert_eq!(ids_in(&env, &target), ids_in(&env, &from));
}

#[test]
fn export_names_the_playlist_after_its_own_title_not_the_path_typed() {
    let env = Env::new();
    std::fs::create_dir(env.path("in")).unwrap();
    let titled = env.write(
        "in/x.xspf",
        "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><title>Chill &amp; Calm</title><trackList><track><title>A</title><creator>B</creator></track></trackList></playlist>",
    );
    let out = ok(env.run(&["export", titled.to_str().unwrap(), "--format", "m3u8"]));
    assert!(
        stdout(&out).starts_with("#EXTM3U\n#PLAYLIST:Chill & Calm\n"),
        "{}",
        stdout(&out)
    );
    let untitled = env.write("in/road-trip.csv", CSV);
    let out = ok(env.run(&["export", untitled.to_str().unwrap(), "--format", "xspf"]));
    assert!(
        stdout(&out).contains("<title>road-trip</title>"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn old_mac_utf16_and_songless_files_read_through_the_cli() {
    let env = Env::new();
    let cr = env.write(
        "mac.m3u",
        "#EXTM3U\r#EXTINF:180,The Beatles - Tomorrow Never Knows\r/m/tnk.mp3\r/m/Queen - Bohemian Rhapsody.mp3\r",
    );
    let v = json(&ok(env.run(&["tracks", cr.to_str().unwrap(), "--json"])));
    assert_eq!(v.as_array().unwrap().len(), 2, "{v:#}");
    assert_eq!(v[1]["artist"], "Queen");

    let wide = env.path("wide.csv");
    let text = "Track Name\tArtist Name(s)\r\nHoppípolla\tSigur Rós\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&wide, &bytes).unwrap();
    let v = json(&ok(env.run(&["tracks", wide.to_str().unwrap(), "--json"])));
    assert_eq!(v[0]["artist"], "Sigur Rós", "{v:#}");

    let empty = env.write(
        "comments.m3u8",
        "#EXTM3U\n#PLAYLIST:Nothing\n# just notes\n",
    );
    let out = ok(env.run(&["tracks", empty.to_str().unwrap()]));
    let err = stderr(&out);
    assert!(
        err.contains("comments.m3u8: the file is not empty but holds no songs"),
        "a 0-track read must say why: {err}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_to_dev_zero_fails_at_once_naming_it() {
    let env = Env::new();
    let fifo = env.path("pipe.m3u8");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let zero = env.path("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let good = env.write("good.m3u8", M3U);
    for (bad, what) in [(&fifo, "is a FIFO"), (&zero, "is a device")] {
        for args in [
            vec!["tracks", bad.to_str().unwrap()],
            vec![
                "sync",
                good.to_str().unwrap(),
                bad.to_str().unwrap(),
                "--yes",
            ],
        ] {
            let out = env
                .cmd(&args)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(&bad.display().to_string()), "{err}");
            assert!(err.contains(what), "{err}");
        }
    }
    assert_eq!(read(&good), M3U, "nothing may be written");
}

#[test]
fn a_malformed_file_fails_with_its_name_and_line_and_writes_nothing() {
    let cases = [
        (
            "bad.csv",
            "Track Name,Artist Name(s)\nOk,Band\n\"Broken,Band\nMore,Band\n",
        ),
        (
            "bad.xspf",
            "<?xml version=\"1.0\"?>\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n<trackList>\n<track><title>A</title></trak>\n</trackList></playlist>\n",
        ),
        (
            "bad.json",
            "{\"name\": \"x\",\n \"tracks\": [\n {\"title\": \"A\", \"artist\": \"B\"},\n oops\n]}\n",
        ),
        // `Title,Artist` is a known header set now; these names are not.
        ("nocol.csv", "Song Title Here,Performer\nA,B\n"),
    ];
    for (name, text) in cases {
        let env = Env::new();
        let bad = env.write(name, text);
        let good = env.write("good.m3u8", M3U);
        let out = env.run(&[
            "sync",
            bad.to_str().unwrap(),
            good.to_str().unwrap(),
            "--yes",
        ]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(name),
            "{name}: error must name the file: {err}"
        );
        if name != "nocol.csv" {
            assert!(
                err.contains(&format!("{name}:")),
                "{name}: error must name the line: {err}"
            );
        } else {
            assert!(
                err.contains("Track Name"),
                "names the missing column: {err}"
            );
        }
        assert_eq!(read(&good), M3U, "{name}: nothing may be written");
        assert_eq!(read(&bad), text, "{name}: the bad file is untouched");
    }
}

#[test]
fn an_unreadable_path_is_a_failure_naming_it() {
    let env = Env::new();
    let missing = env.path("missing.csv");
    let out = env.run(&["tracks", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.csv"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let out = env.run(&["sync", "only-one.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.run(&["sync", "a.csv", "b.csv", "--direction", "sideways"]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.run(&["tracks", "not-a-playlist"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ACCOUNT:PLAYLIST"));
}

#[test]
fn an_unknown_account_is_a_failure_with_a_hint() {
    let env = Env::new();
    let out = env.run(&["tracks", "spotify-nobody:liked"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("musync accounts list"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn accounts_list_json_is_an_empty_array_on_a_fresh_data_dir() {
    let env = Env::new();
    let v = json(&ok(env.run(&["accounts", "list", "--json"])));
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn completions_name_the_commands_for_each_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["sync", "accounts", "services", "dry-run"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = env.run(&["completions", "tcsh"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn an_unlinked_pair_is_listed_and_matched_again_after_relink() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let r = env.write("b.m3u8", M3U);
    let (l, r) = (l.to_str().unwrap(), r.to_str().unwrap());
    let diff = || json(&ok(env.run(&["diff", l, r, "--json"])))["matched"].clone();
    assert_eq!(diff(), serde_json::json!([[1, 0], [2, 2]]));
    assert_eq!(
        json(&ok(env.run(&["unlinked", "--json"]))),
        serde_json::json!([])
    );

    // The wizard's compare step unlinks; the CLI lists and takes it back.
    let key = |artist: &str| musync_match::track_key(&musync_core::Track::new("Halo", artist));
    let store = musync_store::Store::open(&env.data_dir()).expect("store");
    store
        .unlink(&key("Beyoncé"), &key("Beyonce"))
        .expect("unlink");
    drop(store);
    assert_eq!(
        diff(),
        serde_json::json!([[1, 0]]),
        "the unlinked pair is split"
    );
    let listed = json(&ok(env.run(&["unlinked", "--json"])));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    let unknown = env.run(&["unlinked", "--relink", "Nobody - Nothing"]);
    assert!(!unknown.status.success());
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("no unlinked pair has `Nobody - Nothing`"),
        "{err}"
    );
    assert!(
        err.contains("musync unlinked"),
        "says how to list them: {err}"
    );
    assert_eq!(
        json(&ok(env.run(&["unlinked", "--json"]))),
        listed,
        "nothing relinked"
    );

    let relinked = json(&ok(env.run(&[
        "unlinked",
        "--relink",
        "Beyonce - Halo",
        "--json",
    ])));
    assert_eq!(relinked, serde_json::json!({"relinked": 1}));
    assert_eq!(
        json(&ok(env.run(&["unlinked", "--json"]))),
        serde_json::json!([])
    );
    assert_eq!(diff(), serde_json::json!([[1, 0], [2, 2]]), "matched again");
}

#[test]
fn verbose_says_what_musync_does_in_sentences_and_quiet_stays_quiet() {
    let env = Env::new();
    let l = env.write("a.csv", CSV);
    let r = env.write("b.m3u8", M3U);
    let (l, r) = (l.to_str().unwrap(), r.to_str().unwrap());
    let quiet = ok(env.run(&["sync", l, r, "--dry-run", "--json"]));
    let quiet_err = String::from_utf8_lossy(&quiet.stderr);
    assert!(!quiet_err.contains("Reading"), "{quiet_err}");

    let told = ok(env.run(&["-v", "sync", l, r, "--yes", "--json"]));
    let err = String::from_utf8_lossy(&told.stderr);
    assert!(err.contains("Reading "), "{err}");
    assert!(err.contains("Read ") && err.contains("(4 songs)"), "{err}");
    assert!(
        err.contains("Adding 2 songs to ") || err.contains("Adding 1 song to "),
        "{err}"
    );
    assert!(err.contains("Finished adding to "), "{err}");
    for technical in ["INFO", "musync_", "http://", "https://"] {
        assert!(
            !err.contains(technical),
            "no technical line without -vv: {err}"
        );
    }
}
