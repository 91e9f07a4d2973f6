//! Wire → domain: Amazon's playlist and track JSON into musync's
//! [`Playlist`] and [`Track`]. The only file that sees both.
//!
//! Rules (research §4.2, §9): the placeholders "Unknown Artist", "Unknown
//! Album" and "Unknown Genre" mean "not known" and become empty; durations are
//! seconds, as numbers or strings; a track is identified by its ASIN, or by
//! its library `objectId` when it has none (uploads), and is kept either way.

use crate::error::protocol;
use crate::model as wire;
use musync_core::{Playlist, PlaylistId, ServiceError, Track};

/// Amazon's stand-ins for a missing name.
const PLACEHOLDERS: &[&str] = &["unknown artist", "unknown album", "unknown genre"];

/// `None` for an absent value or one of Amazon's placeholders.
fn real_name(value: &wire::Loose) -> Option<String> {
    let text = value.text()?;
    let lower = text.to_lowercase();
    (!PLACEHOLDERS.contains(&lower.as_str())).then_some(text)
}

/// One owned playlist from the listing; `op` names the call for errors.
pub(crate) fn playlist(p: &wire::OwnedPlaylist, op: &str) -> Result<Playlist, ServiceError> {
    let id = p
        .playlist_id
        .text()
        .ok_or_else(|| protocol(op, "a playlist in the answer has no `playlistId`"))?;
    let count = p
        .total_track_count
        .number()
        .or_else(|| p.track_count.number())
        .filter(|n| *n >= 0.0)
        .map(|n| n as u64);
    Ok(Playlist {
        id: PlaylistId::new(id),
        name: p.title.text().unwrap_or_default(),
        writable: false,
        track_count: count,
        owned: true,
    })
}

/// One track; `position` (0-based) and `op` name it in errors.
pub(crate) fn track(
    m: &wire::TrackMetadata,
    position: usize,
    op: &str,
) -> Result<Track, ServiceError> {
    let id = m.asin.text().or_else(|| m.object_id.text());
    let title = m.title.text().unwrap_or_default();
    if id.is_none() && title.is_empty() {
        return Err(protocol(
            op,
            format!(
                "track {} has neither `asin`, `objectId` nor `title`",
                position + 1
            ),
        ));
    }
    let mut t = Track::new(title, real_name(&m.artist_name).unwrap_or_default());
    if let Some(album) = real_name(&m.album_name) {
        t = t.with_album(album);
    }
    if let Some(seconds) = m.duration.number().filter(|s| *s > 0.0) {
        t = t.with_duration_s(seconds.round() as u32);
    }
    if let Some(id) = id {
        t = t.with_id(id);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(json: &str) -> wire::TrackMetadata {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn placeholders_become_empty_and_strings_become_numbers() {
        let t = track(
            &meta(
                r#"{"asin":"B001SG09MY","title":"Big in Japan","artistName":"Unknown Artist",
                    "albumName":"Unknown Album","duration":"234"}"#,
            ),
            0,
            "op",
        )
        .unwrap();
        assert_eq!(t.title, "Big in Japan");
        assert_eq!(t.artist, "");
        assert!(t.artists.is_empty());
        assert_eq!(t.album, None);
        assert_eq!(t.duration_s, Some(234));
        assert_eq!(t.id.unwrap().0, "B001SG09MY");
    }

    #[test]
    fn uploads_keep_their_object_id_and_artists_split() {
        let t = track(
            &meta(r#"{"objectId":"0f1e-aa","title":"Demo","artistName":"A & B","duration":61.6}"#),
            3,
            "op",
        )
        .unwrap();
        assert_eq!(t.id.unwrap().0, "0f1e-aa");
        assert_eq!(t.artists, vec!["A", "B"]);
        assert_eq!(t.duration_s, Some(62));
    }

    #[test]
    fn a_track_with_nothing_to_identify_it_is_an_error_naming_its_position() {
        let e = track(
            &meta(r#"{"artistName":"X"}"#),
            4,
            "reading My Music (getTracks)",
        )
        .unwrap_err();
        assert!(e.message.contains("track 5"), "{}", e.message);
        assert!(e.to_string().contains("getTracks"));
    }

    #[test]
    fn playlists_need_an_id_and_read_counts_as_strings() {
        let p: wire::OwnedPlaylist = serde_json::from_str(
            r#"{"playlistId":"u-1","title":"Road trip","totalTrackCount":"37"}"#,
        )
        .unwrap();
        let p = playlist(&p, "op").unwrap();
        assert_eq!(
            (p.id.0.as_str(), p.track_count, p.writable),
            ("u-1", Some(37), false)
        );
        let drift: wire::OwnedPlaylist =
            serde_json::from_str(r#"{"id":"u-1","title":"Road trip"}"#).unwrap();
        let e = playlist(&drift, "listing playlists (getOwnedPlaylistsInLibrary)").unwrap_err();
        assert_eq!(e.kind, musync_core::ErrorKind::Protocol);
        assert!(e.message.contains("playlistId"));
    }
}
