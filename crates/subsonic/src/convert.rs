//! Subsonic songs and playlists as musync's types.

use crate::model;
use musync_core::{Playlist, PlaylistId, Track};

/// A song as a [`Track`]: the OpenSubsonic artist list when sent, else the
/// display string; durations are whole seconds (servers truncate); the
/// first ISRC when the server sends any.
pub(crate) fn track(c: &model::Child) -> Track {
    let display = c
        .display_artist
        .clone()
        .filter(|a| !a.trim().is_empty())
        .or_else(|| c.artist.clone())
        .unwrap_or_default();
    let names: Vec<String> = c
        .artists
        .iter()
        .map(|a| a.name.clone())
        .filter(|n| !n.trim().is_empty())
        .collect();
    let mut t = if names.is_empty() {
        Track::new(&c.title, display)
    } else {
        let mut t = Track::new(&c.title, "").with_artists(names);
        if !display.is_empty() {
            t.artist = display.into();
        }
        t
    };
    if let Some(album) = &c.album {
        t = t.with_album(album);
    }
    if let Some(d) = c.duration.filter(|d| d.is_finite() && *d >= 0.0) {
        t = t.with_duration_s(d as u32);
    }
    if let Some(isrc) = c.isrc.iter().find(|i| !i.trim().is_empty()) {
        t = t.with_isrc(isrc);
    }
    t.with_id(c.id.clone())
}

/// A server playlist as a [`Playlist`]: owned when its owner is the
/// account's user (or unnamed), writable when owned and not read-only.
pub(crate) fn playlist(p: &model::Playlist, user: &str) -> Playlist {
    let owned = p
        .owner
        .as_deref()
        .is_none_or(|o| o.is_empty() || o.eq_ignore_ascii_case(user));
    Playlist {
        id: PlaylistId::new(p.id.clone()),
        name: p.name.clone(),
        writable: owned && !p.readonly,
        track_count: p.song_count,
        owned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opensubsonic_fields_are_used_when_sent() {
        let c: model::Child = serde_json::from_value(serde_json::json!({
            "id": 12, "title": "Get Lucky", "artist": "Daft Punk", "displayArtist": "Daft Punk feat. Pharrell Williams",
            "artists": [{"id": "a1", "name": "Daft Punk"}, {"id": "a2", "name": "Pharrell Williams"}],
            "album": "Random Access Memories", "duration": 369.9, "isrc": ["USQX91300108"]
        }))
        .unwrap();
        let t = track(&c);
        assert_eq!(t.artists, ["Daft Punk", "Pharrell Williams"]);
        assert_eq!(t.duration_s, Some(369));
        assert_eq!(t.isrc.as_deref(), Some("USQX91300108"));
        assert_eq!(t.id.unwrap().as_str(), "12");
    }

    #[test]
    fn others_playlists_are_read_only() {
        let p = |owner: &str, readonly| model::Playlist {
            id: "1".into(),
            name: "x".into(),
            owner: Some(owner.into()),
            song_count: Some(2),
            readonly,
            entry: vec![],
        };
        assert!(playlist(&p("alice", false), "alice").writable);
        let theirs = playlist(&p("bob", false), "alice");
        assert!(!theirs.writable && !theirs.owned);
        assert!(!playlist(&p("alice", true), "alice").writable);
    }
}
