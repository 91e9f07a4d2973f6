//! The generated music folder is indexed by both real servers with its
//! tags and durations intact.

use musync_testservers::{Mpd, MusicDir, Supysonic, TestSong};

fn songs() -> Vec<TestSong> {
    vec![
        TestSong::new("Jóga", "Björk", "Homogenic", 305).with_isrc("GBAAA9700001"),
        TestSong::new(
            "戦場のメリークリスマス",
            "坂本龍一",
            "Merry Christmas Mr. Lawrence",
            281,
        ),
    ]
}

#[test]
fn supysonic_indexes_titles_artists_and_durations() {
    let music = MusicDir::new(&songs());
    let server = Supysonic::start(&music, &[("alice", "sécret pw")]);
    let body = server
        .get("/rest/search3.view?u=alice&p=s%C3%A9cret%20pw&v=1.10.2&c=t&f=json&query=")
        .expect("search3 answers");
    assert!(
        body.contains("\"title\": \"J\\u00f3ga\"")
            || body.contains("Jóga")
            || body.contains("J\\u00f3ga"),
        "{body}"
    );
    assert!(
        body.contains("\"duration\": 305") || body.contains("\"duration\":305"),
        "{body}"
    );
}

#[test]
fn mpd_indexes_titles_artists_and_durations() {
    let music = MusicDir::new(&songs());
    let mpd = Mpd::start(&music, Some("pw"));
    let found = mpd
        .command("find \"(artist == \\\"坂本龍一\\\")\"")
        .expect("find answers");
    assert!(found.contains("Title: 戦場のメリークリスマス"), "{found}");
    assert!(found.contains("Time: 281"), "{found}");
    let all = mpd.command("listallinfo").unwrap();
    assert!(
        all.contains("Title: Jóga") && all.contains("Time: 305"),
        "{all}"
    );
}
