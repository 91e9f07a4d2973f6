//! What the fake remembers: the catalogue of videos (songs, music videos,
//! user uploads), the account's playlists (own and saved), the liked list
//! (`LM`), and the session (its cookies, rotation, dead-session mode, the
//! playlist-creation throttle).

use std::collections::BTreeMap;

/// What kind of video a catalogue entry is (`musicVideoType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoKind {
    /// An artist's audio track (`MUSIC_VIDEO_TYPE_ATV`), the "song".
    Song,
    /// An official music video (`MUSIC_VIDEO_TYPE_OMV`).
    MusicVideo,
    /// A user upload (`MUSIC_VIDEO_TYPE_UGC`); its "artist" is a channel.
    Upload,
}

impl VideoKind {
    /// The wire name.
    pub fn wire(self) -> &'static str {
        match self {
            VideoKind::Song => "MUSIC_VIDEO_TYPE_ATV",
            VideoKind::MusicVideo => "MUSIC_VIDEO_TYPE_OMV",
            VideoKind::Upload => "MUSIC_VIDEO_TYPE_UGC",
        }
    }
}

/// One catalogue entry.
#[derive(Clone, Debug)]
pub struct Video {
    /// The 11-character video id (set by [`crate::FakeYtMusic::add_video`]
    /// when empty).
    pub video_id: String,
    /// Title.
    pub title: String,
    /// Every artist, in order.
    pub artists: Vec<String>,
    /// Album (songs only).
    pub album: Option<String>,
    /// Whole seconds.
    pub duration_s: u32,
    /// Song, music video or upload.
    pub kind: VideoKind,
    /// False: rows holding it are greyed out.
    pub available: bool,
}

impl Video {
    /// An available artist audio track.
    pub fn song(title: &str, artists: &[&str], album: &str, duration_s: u32) -> Video {
        Video {
            video_id: String::new(),
            title: title.to_owned(),
            artists: artists.iter().map(|a| (*a).to_owned()).collect(),
            album: Some(album.to_owned()).filter(|a| !a.is_empty()),
            duration_s,
            kind: VideoKind::Song,
            available: true,
        }
    }

    /// An available official music video (no album).
    pub fn music_video(title: &str, artists: &[&str], duration_s: u32) -> Video {
        Video {
            album: None,
            kind: VideoKind::MusicVideo,
            ..Video::song(title, artists, "", duration_s)
        }
    }

    /// The same entry, greyed out.
    pub fn unavailable(self) -> Video {
        Video {
            available: false,
            ..self
        }
    }
}

/// One occurrence in a playlist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The video.
    pub video_id: String,
    /// The per-occurrence handle used to remove it.
    pub set_video_id: String,
}

/// One playlist of the library.
#[derive(Clone, Debug)]
pub struct FakePlaylist {
    /// Id without the `VL` prefix (`PL…`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The account's own (editable) or saved from someone else.
    pub owned: bool,
    /// Its occurrences, in order.
    pub items: Vec<Item>,
}

/// The fake's whole state.
#[derive(Debug)]
pub struct FakeState {
    /// Catalogue by video id.
    pub videos: BTreeMap<String, Video>,
    /// Catalogue order (search returns in this order within a rank).
    pub order: Vec<String>,
    /// Playlists in library order.
    pub playlists: Vec<FakePlaylist>,
    /// Liked songs, newest first.
    pub liked: Vec<String>,
    /// Session cookies by name, as issued (all on `.youtube.com`).
    pub cookies: BTreeMap<String, String>,
    /// The account name and handle `account_menu` shows.
    pub account_name: String,
    /// `@handle`.
    pub handle: String,
    /// Dead-session mode: every API call answers 200 signed out.
    pub signed_out: bool,
    /// Rotate `SIDCC` (and `__Secure-3PSIDCC`) every this many answers.
    pub rotate_every: Option<usize>,
    /// The previous `SIDCC`, still accepted once rotated.
    pub previous_sidcc: Option<String>,
    /// How many cookie rotations happened.
    pub rotations: usize,
    /// Answers served since the last rotation.
    pub since_rotation: usize,
    /// Playlists that may still be created before "too many playlists".
    pub create_limit: Option<usize>,
    /// The HTTP status of the throttle answer (400 or 429).
    pub throttle_status: u16,
    /// `playlist/create` requests received (throttled ones included).
    pub create_attempts: usize,
    /// Why requests were refused as unauthenticated, in order.
    pub auth_failures: Vec<String>,
    /// Edits sent to `LM` or to a saved playlist (must stay empty).
    pub forbidden_edits: Vec<String>,
    /// Counter for ids.
    pub next_id: u64,
}

impl Default for FakeState {
    fn default() -> Self {
        let mut cookies = BTreeMap::new();
        for (name, value) in [
            ("SID", "g.a000fakeSIDvalue0001"),
            ("HSID", "AfakeHSID01"),
            ("SSID", "AfakeSSID01"),
            ("APISID", "fakeAPISID/Aapisid0001"),
            ("SAPISID", "fakeSAPISID/Asapisid0001"),
            ("__Secure-1PAPISID", "fakeSAPISID/Asapisid0001"),
            ("__Secure-3PAPISID", "fakeSAPISID/Asapisid0001"),
            ("__Secure-1PSID", "g.a000fake1PSIDvalue01"),
            ("__Secure-3PSID", "g.a000fake3PSIDvalue01"),
            ("LOGIN_INFO", "AFmmF2swRQIhAfakeLOGININFO01"),
            ("SIDCC", "AKEyXzfakeSIDCC0000"),
            ("__Secure-3PSIDCC", "AKEyXzfake3PSIDCC0000"),
            ("PREF", "f6=40000000&tz=Europe.London"),
        ] {
            cookies.insert(name.to_owned(), value.to_owned());
        }
        FakeState {
            videos: BTreeMap::new(),
            order: Vec::new(),
            playlists: Vec::new(),
            liked: Vec::new(),
            cookies,
            account_name: "Test Listener".to_owned(),
            handle: "@testlistener".to_owned(),
            signed_out: false,
            rotate_every: None,
            previous_sidcc: None,
            rotations: 0,
            since_rotation: 0,
            create_limit: None,
            throttle_status: 400,
            create_attempts: 0,
            auth_failures: Vec::new(),
            forbidden_edits: Vec::new(),
            next_id: 1,
        }
    }
}

/// Cookies that are HttpOnly in a real browser export.
pub(crate) const HTTP_ONLY: &[&str] = &[
    "SID",
    "HSID",
    "SSID",
    "__Secure-1PSID",
    "__Secure-3PSID",
    "LOGIN_INFO",
    "__Secure-3PSIDCC",
];

impl FakeState {
    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds a video (giving it an id when it has none); returns the id.
    pub fn add_video(&mut self, mut video: Video) -> String {
        if video.video_id.is_empty() {
            let n = self.fresh_id();
            video.video_id = format!("yt{n:09}");
        }
        let id = video.video_id.clone();
        if self.videos.insert(id.clone(), video).is_none() {
            self.order.push(id.clone());
        }
        id
    }

    /// A new per-occurrence handle.
    pub fn set_video_id(&mut self) -> String {
        let n = self.fresh_id();
        format!("{:016X}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Adds a playlist holding `video_ids`; returns its id (`PL…`).
    pub fn add_playlist(&mut self, title: &str, owned: bool, video_ids: &[String]) -> String {
        let n = self.fresh_id();
        let id = format!("PLfake{n:010}");
        let items = video_ids
            .iter()
            .map(|v| Item {
                video_id: v.clone(),
                set_video_id: self.set_video_id(),
            })
            .collect();
        self.playlists.push(FakePlaylist {
            id: id.clone(),
            title: title.to_owned(),
            owned,
            items,
        });
        id
    }

    /// The playlist `id` (without `VL`).
    pub fn playlist(&self, id: &str) -> Option<&FakePlaylist> {
        self.playlists.iter().find(|p| p.id == id)
    }

    /// The playlist `id`, to change.
    pub fn playlist_mut(&mut self, id: &str) -> Option<&mut FakePlaylist> {
        self.playlists.iter_mut().find(|p| p.id == id)
    }

    /// The value `SAPISIDHASH` is built from: `SAPISID`, else
    /// `__Secure-3PAPISID`.
    pub fn sapisid(&self) -> Option<&str> {
        self.cookies
            .get("SAPISID")
            .or_else(|| self.cookies.get("__Secure-3PAPISID"))
            .map(String::as_str)
    }

    /// Counts an answer and rotates the `*SIDCC` cookies when due; returns
    /// the `Set-Cookie` lines to send.
    pub fn rotate_if_due(&mut self) -> Vec<String> {
        let Some(every) = self.rotate_every else {
            return Vec::new();
        };
        self.since_rotation += 1;
        if self.since_rotation < every {
            return Vec::new();
        }
        self.since_rotation = 0;
        self.rotations += 1;
        let n = self.rotations;
        self.previous_sidcc = self.cookies.get("SIDCC").cloned();
        let sidcc = format!("AKEyXzrotated{n:06}");
        let third = format!("AKEyXzrotated3P{n:06}");
        self.cookies.insert("SIDCC".into(), sidcc.clone());
        self.cookies
            .insert("__Secure-3PSIDCC".into(), third.clone());
        vec![
            format!(
                "SIDCC={sidcc}; expires=Thu, 01-Jan-2037 00:00:00 GMT; path=/; domain=.youtube.com; priority=high"
            ),
            format!(
                "__Secure-3PSIDCC={third}; expires=Thu, 01-Jan-2037 00:00:00 GMT; path=/; domain=.youtube.com; Secure; HttpOnly; priority=high; SameSite=none"
            ),
        ]
    }

    /// The session's cookies as a Netscape cookies.txt, the way export
    /// extensions write it: `#HttpOnly_` lines for HttpOnly cookies, plus
    /// cookies of other Google domains that must never be sent.
    pub fn cookies_txt(&self, with_sapisid: bool) -> String {
        let mut out = String::from(
            "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n",
        );
        for (name, value) in &self.cookies {
            if !with_sapisid && name == "SAPISID" {
                continue;
            }
            let prefix = if HTTP_ONLY.contains(&name.as_str()) {
                "#HttpOnly_"
            } else {
                ""
            };
            out.push_str(&format!(
                "{prefix}.youtube.com\tTRUE\t/\tTRUE\t2082758400\t{name}\t{value}\n"
            ));
        }
        out.push_str(".google.com\tTRUE\t/\tTRUE\t2082758400\tNID\tgoogle-only-NID-value\n");
        out.push_str(
            "#HttpOnly_accounts.google.com\tFALSE\t/\tTRUE\t2082758400\t__Host-GAPS\tgoogle-only-GAPS\n",
        );
        out
    }
}
