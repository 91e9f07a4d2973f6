//! Wire → domain: Last.fm's track shapes into [`musync_core::Track`]. The
//! only module that sees both.
//!
//! Last.fm has no ISRC and no duration in these lists; a track's id is its
//! Last.fm page URL when given. The now-playing entry of the recent tracks is
//! not a play yet, so it is dropped here.

use crate::model as wire;
use musync_core::Track;

fn with_url(track: Track, url: Option<String>) -> Track {
    match url.filter(|u| !u.trim().is_empty()) {
        Some(u) => track.with_id(u),
        None => track,
    }
}

fn artist_name(a: wire::ArtistRef) -> String {
    a.name
        .filter(|n| !n.is_empty())
        .or(a.text)
        .unwrap_or_default()
}

pub(crate) fn loved(t: wire::LovedTrack) -> Track {
    with_url(Track::new(t.name, artist_name(t.artist)), t.url)
}

/// `None` for the track playing right now.
pub(crate) fn recent(t: wire::RecentTrack) -> Option<Track> {
    let playing = t
        .attr
        .as_ref()
        .and_then(|a| a.nowplaying.as_deref())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if playing {
        return None;
    }
    let mut track = Track::new(t.name, artist_name(t.artist));
    if let Some(album) = t.album.and_then(|a| a.text) {
        track = track.with_album(album);
    }
    Some(with_url(track, t.url))
}

pub(crate) fn search_hit(t: wire::SearchTrack) -> Track {
    with_url(Track::new(t.name, t.artist), t.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_drops_now_playing_and_keeps_album() {
        let page: wire::RecentTracksResponse = serde_json::from_str(
            r##"{"recenttracks":{"@attr":{"page":"1","totalPages":"1","total":"1"},"track":[
              {"name":"Now","artist":{"#text":"A"},"@attr":{"nowplaying":"true"}},
              {"name":"Past","artist":{"#text":"B","mbid":""},"album":{"#text":"LP"},
               "url":"https://www.last.fm/music/B/_/Past","date":{"uts":"1"}},
              {"name":"Bare","artist":{"name":"C"},"album":{"#text":""}}]}}"##,
        )
        .unwrap();
        let tracks: Vec<Track> = page
            .recenttracks
            .track
            .into_vec()
            .into_iter()
            .filter_map(recent)
            .collect();
        assert_eq!(tracks.len(), 2);
        assert_eq!(tracks[0].label(), "B - Past");
        assert_eq!(tracks[0].album.as_deref(), Some("LP"));
        assert_eq!(
            tracks[0].id.as_ref().map(|i| i.0.as_str()),
            Some("https://www.last.fm/music/B/_/Past")
        );
        assert_eq!(tracks[1].label(), "C - Bare");
        assert_eq!(tracks[1].album, None);
        assert_eq!(tracks[1].id, None);
    }
}
