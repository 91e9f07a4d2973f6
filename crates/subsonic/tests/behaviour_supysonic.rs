//! The behaviour suite against the REAL supysonic: each case starts its
//! own server over a generated music folder. Playlists are seeded with raw
//! API calls, not through the service under test. The fault cases pass
//! through (a real server has no fault switches); the fake covers them.

use musync_core::{Checked, PlaylistId, Secret, Service};
use musync_subsonic::{AuthMethod, Connection, SubsonicService, Timing};
use musync_testkit::{Faults, Harness, Song};
use musync_testservers::{MusicDir, Supysonic, TestSong};
use std::sync::Arc;
use std::time::Duration;

const AUTH: &str = "u=alice&p=pw&v=1.10.2&c=suite&f=json";

struct SupysonicHarness {
    _music: MusicDir,
    server: Supysonic,
    svc: Arc<dyn Service>,
}

impl SupysonicHarness {
    fn api(&self, call: &str, params: &[(&str, &str)]) -> serde_json::Value {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(params);
        let body = self
            .server
            .get(&format!("/rest/{call}.view?{AUTH}&{}", q.finish()))
            .unwrap_or_else(|| panic!("{call} answered"));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["subsonic-response"]["status"], "ok", "{call}: {body}");
        v["subsonic-response"].clone()
    }
}

#[async_trait::async_trait]
impl Harness for SupysonicHarness {
    async fn start(catalogue: &[Song]) -> Self {
        let songs: Vec<TestSong> = catalogue
            .iter()
            .map(|s| TestSong::new(&s.title, &s.artist, &s.album, s.duration_s))
            .collect();
        let music = MusicDir::new(&songs);
        let server = tokio::task::block_in_place(|| Supysonic::start(&music, &[("alice", "pw")]));
        let svc = SubsonicService::connect(Connection {
            url: server.url(),
            user: "alice".into(),
            secret: Secret::new("pw"),
            method: AuthMethod::Password,
            form_post: false,
            timing: Timing {
                timeout: Duration::from_secs(20),
                backoff: Duration::from_millis(10),
                attempts: 3,
            },
        })
        .unwrap();
        SupysonicHarness {
            _music: music,
            server,
            svc: Arc::new(Checked(svc)),
        }
    }

    fn service(&self) -> Arc<dyn Service> {
        self.svc.clone()
    }

    fn faults(&self) -> Option<&Faults> {
        None
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        tokio::task::block_in_place(|| {
            let all = self.api("search3", &[("query", ""), ("songCount", "10000")]);
            let library = all["searchResult3"]["song"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            self.api("createPlaylist", &[("name", name)]);
            let lists = self.api("getPlaylists", &[]);
            let id = lists["playlists"]["playlist"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == name)
                .expect("created")["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let mut params = vec![("playlistId", id.clone())];
            for s in songs {
                let song = library
                    .iter()
                    .find(|c| c["title"] == s.title.as_str())
                    .expect("scanned");
                params.push(("songIdToAdd", song["id"].as_str().unwrap().to_owned()));
            }
            if songs.is_empty() {
                return PlaylistId::new(id);
            }
            let borrowed: Vec<(&str, &str)> =
                params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            self.api("updatePlaylist", &borrowed);
            PlaylistId::new(id)
        })
    }
}

mod real {
    use super::*;

    macro_rules! cases {
        ($($case:ident),*) => {$(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                musync_testkit::suite::$case::<SupysonicHarness>().await;
            }
        )*};
    }

    cases!(
        reads_every_page_in_order,
        lists_playlists,
        search_finds_the_song,
        adds_in_order_in_batches,
        oversized_batches_are_refused,
        creates_a_playlist,
        removes_one_occurrence
    );
}
