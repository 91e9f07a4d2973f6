//! Spotify's wire types → musync's domain types; the only file that sees
//! both. Entries musync cannot sync (local files, podcast episodes, items
//! Spotify nulls out) convert to `None` and are skipped, never an error.

use crate::model as wire;
use musync_core::{Playlist, PlaylistId, Track};

/// A track from a track object; `None` for episodes, local files and
/// objects without a usable id.
pub(crate) fn track(p: wire::Playable) -> Option<Track> {
    if p.is_local || p.kind.as_deref().is_some_and(|k| k != "track") {
        return None;
    }
    let uri = match (p.uri, p.id) {
        (Some(uri), _) if uri.starts_with("spotify:track:") => uri,
        (_, Some(id)) if !id.is_empty() => format!("spotify:track:{id}"),
        _ => return None,
    };
    let artists: Vec<String> = p
        .artists
        .into_iter()
        .filter_map(|a| a.name)
        .filter(|n| !n.trim().is_empty())
        .collect();
    let mut t = Track::new(p.name.unwrap_or_default(), "")
        .with_artists(artists)
        .with_id(uri);
    if let Some(album) = p.album.and_then(|a| a.name) {
        t = t.with_album(album);
    }
    if let Some(ms) = p.duration_ms {
        t = t.with_duration_s(((ms + 500) / 1000) as u32);
    }
    if let Some(isrc) = p.external_ids.and_then(|e| e.isrc) {
        t = t.with_isrc(isrc);
    }
    Some(t)
}

/// A playlist entry: the new `item` field, else the old `track` field.
pub(crate) fn playlist_item(i: wire::PlaylistItem) -> Option<Track> {
    if i.is_local {
        return None;
    }
    i.item.or(i.track).and_then(track)
}

/// A Liked Songs entry (`track`, or `item` should Spotify rename it too).
pub(crate) fn saved_track(s: wire::SavedTrack) -> Option<Track> {
    s.track.or(s.item).and_then(track)
}

/// A playlist of the user `me`: writable when owned or collaborative.
pub(crate) fn playlist(p: wire::Playlist, me: &str) -> Playlist {
    let owned = p
        .owner
        .as_ref()
        .and_then(|o| o.id.as_deref())
        .is_some_and(|id| id == me);
    Playlist {
        id: PlaylistId::new(p.id),
        name: p.name,
        writable: owned || p.collaborative,
        track_count: p.items.or(p.tracks).and_then(|s| s.total),
        owned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> Option<Track> {
        playlist_item(serde_json::from_str(json).expect("test JSON"))
    }

    #[test]
    fn a_full_track_keeps_isrc_album_artists_and_uri() {
        let t = item(
            r#"{"added_at":"2026-03-01T00:00:00Z","is_local":false,"item":{
                "type":"track","id":"abc","uri":"spotify:track:abc","name":"Get Lucky",
                "artists":[{"name":"Daft Punk"},{"name":"Pharrell Williams"}],
                "album":{"name":"Random Access Memories"},"duration_ms":369626,
                "external_ids":{"isrc":"usqx91300108"},"popularity":null}}"#,
        )
        .expect("a track");
        assert_eq!(t.title, "Get Lucky");
        assert_eq!(t.artists, vec!["Daft Punk", "Pharrell Williams"]);
        assert_eq!(t.artist, "Daft Punk, Pharrell Williams");
        assert_eq!(t.album.as_deref(), Some("Random Access Memories"));
        assert_eq!(t.duration_s, Some(370));
        assert_eq!(t.isrc.as_deref(), Some("USQX91300108"));
        assert_eq!(t.id.as_ref().map(|i| i.as_str()), Some("spotify:track:abc"));
    }

    #[test]
    fn the_old_track_field_still_reads() {
        let t = item(r#"{"track":{"type":"track","id":"x1","name":"Old","artists":[]}}"#);
        assert_eq!(
            t.and_then(|t| t.id).map(|i| i.0),
            Some("spotify:track:x1".into())
        );
    }

    #[test]
    fn local_files_episodes_and_nulls_are_skipped() {
        assert!(item(r#"{"is_local":true,"item":{"type":"track","id":null,"uri":"spotify:local:a::b:1","name":"b"}}"#).is_none());
        assert!(
            item(r#"{"item":{"type":"episode","id":"e1","uri":"spotify:episode:e1","name":"Ep"}}"#)
                .is_none()
        );
        assert!(item(r#"{"item":null}"#).is_none());
        assert!(item(r#"{}"#).is_none());
    }

    #[test]
    fn playlists_are_writable_only_when_owned_or_collaborative() {
        let p = |json: &str| playlist(serde_json::from_str(json).expect("test JSON"), "me");
        let own =
            p(r#"{"id":"1","name":"Mine","owner":{"id":"me"},"items":{"total":3},"tracks":null}"#);
        assert!(own.writable);
        assert_eq!(own.track_count, Some(3));
        let other = p(r#"{"id":"2","name":"Theirs","owner":{"id":"bob"},"tracks":{"total":9}}"#);
        assert!(!other.writable);
        assert_eq!(other.track_count, Some(9));
        let collab = p(r#"{"id":"3","name":"Ours","owner":{"id":"bob"},"collaborative":true}"#);
        assert!(collab.writable);
        assert_eq!(collab.track_count, None);
    }
}
