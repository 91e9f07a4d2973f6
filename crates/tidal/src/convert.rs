//! TIDAL's wire types → musync's domain types; the only file that sees
//! both. Tracks are assembled from a document's `included` resources
//! (artists and albums by relationship), titles carry their `version`
//! ("Title (Live)"), durations are ISO 8601.

use crate::model as wire;
use musync_core::{Playlist, PlaylistId, Track};
use std::collections::HashMap;

/// The prefix of musync's ids for TIDAL tracks.
pub(crate) const TRACK_PREFIX: &str = "tidal:track:";

/// Included resources by `(type, id)`.
pub(crate) struct Included<'a>(HashMap<(&'a str, &'a str), &'a wire::Resource>);

impl<'a> Included<'a> {
    pub fn new(resources: &'a [wire::Resource]) -> Self {
        Included(
            resources
                .iter()
                .map(|r| ((r.kind.as_str(), r.id.as_str()), r))
                .collect(),
        )
    }

    pub fn get(&self, kind: &str, id: &str) -> Option<&'a wire::Resource> {
        self.0.get(&(kind, id)).copied()
    }
}

/// Seconds of an ISO 8601 duration (`PT4M24S`, `PT1H2M5.5S`, `P1DT2S`),
/// rounded; `None` when it is not one.
pub(crate) fn iso_duration_s(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = 0f64;
    let mut take = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                number.push(if c == ',' { '.' } else { c });
            } else {
                let factor = units.iter().find(|(u, _)| *u == c)?.1;
                total += number.parse::<f64>().ok()? * factor;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    take(days, &[('W', 604_800.0), ('D', 86_400.0)])?;
    take(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    if rest.is_empty() || rest == "T" {
        return None;
    }
    Some(total.round() as u32)
}

/// "Title (version)", unless the title already says it.
pub(crate) fn full_title(title: &str, version: Option<&str>) -> String {
    match version.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if !title.to_lowercase().contains(&v.to_lowercase()) => format!("{title} ({v})"),
        _ => title.to_owned(),
    }
}

/// A track from its resource, with artists and album from `included`
/// when those relationships were included. `None` for resources that are
/// not tracks or carry no title.
pub(crate) fn track(r: &wire::Resource, included: &Included<'_>) -> Option<Track> {
    if r.kind != "tracks" {
        return None;
    }
    let a = &r.attributes;
    let title = a.title.as_deref().filter(|t| !t.trim().is_empty())?;
    let related = |rel: &str, kind: &str| -> Vec<&wire::Resource> {
        r.relationships
            .get(rel)
            .and_then(|x| x.data.as_ref())
            .map(|l| {
                l.ids()
                    .into_iter()
                    .filter_map(|i| included.get(kind, &i.id))
                    .collect()
            })
            .unwrap_or_default()
    };
    let artists: Vec<String> = related("artists", "artists")
        .into_iter()
        .filter_map(|x| x.attributes.name.clone())
        .filter(|n| !n.trim().is_empty())
        .collect();
    let mut t = Track::new(full_title(title, a.version.as_deref()), "")
        .with_artists(artists)
        .with_id(format!("{TRACK_PREFIX}{}", r.id));
    if let Some(album) = related("albums", "albums")
        .first()
        .and_then(|x| x.attributes.title.clone())
    {
        t = t.with_album(album);
    }
    if let Some(s) = a.duration.as_deref().and_then(iso_duration_s) {
        t = t.with_duration_s(s);
    }
    if let Some(isrc) = &a.isrc {
        t = t.with_isrc(isrc);
    }
    Some(t)
}

/// One of the user's own playlists.
pub(crate) fn playlist(r: &wire::Resource) -> Playlist {
    Playlist {
        id: PlaylistId::new(r.id.clone()),
        name: r.attributes.name.clone().unwrap_or_default(),
        writable: true,
        track_count: r.attributes.number_of_items,
        owned: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(iso_duration_s("PT4M24S"), Some(264));
        assert_eq!(iso_duration_s("PT1H2M5.6S"), Some(3726));
        assert_eq!(iso_duration_s("PT45S"), Some(45));
        assert_eq!(iso_duration_s("P1DT2S"), Some(86_402));
        assert_eq!(iso_duration_s("PT0S"), Some(0));
        assert_eq!(iso_duration_s("4:24"), None);
        assert_eq!(iso_duration_s("PT4X"), None);
        assert_eq!(iso_duration_s("P"), None);
    }

    #[test]
    fn versions_are_appended_once() {
        assert_eq!(
            full_title("Karma Police", Some("Live")),
            "Karma Police (Live)"
        );
        assert_eq!(full_title("Song (Live)", Some("live")), "Song (Live)");
        assert_eq!(full_title("Song", Some(" ")), "Song");
        assert_eq!(full_title("Song", None), "Song");
    }

    #[test]
    fn a_track_takes_artists_and_album_from_included_and_ignores_unknowns() {
        let doc: wire::Document<Vec<wire::Resource>> = serde_json::from_str(
            r#"{"data":[{"id":"7","type":"tracks","attributes":{"title":"Halo","version":"Remix",
              "isrc":"ussm10804548","duration":"PT4M21S","keyScale":"SOMETHING_NEW","brandNew":1},
              "relationships":{"artists":{"data":[{"id":"1","type":"artists"},{"id":"2","type":"artists"}]},
              "albums":{"data":[{"id":"9","type":"albums"}]},"usageRules":{"links":{"self":"/x"}}}}],
              "included":[{"id":"1","type":"artists","attributes":{"name":"Beyoncé"}},
              {"id":"2","type":"artists","attributes":{"name":"Guest"}},
              {"id":"9","type":"albums","attributes":{"title":"I Am","albumType":"NEW_KIND"}}]}"#,
        )
        .unwrap();
        let inc = Included::new(&doc.included);
        let t = track(&doc.data[0], &inc).unwrap();
        assert_eq!(t.title, "Halo (Remix)");
        assert_eq!(t.artists, vec!["Beyoncé", "Guest"]);
        assert_eq!(t.album.as_deref(), Some("I Am"));
        assert_eq!(t.duration_s, Some(261));
        assert_eq!(t.isrc.as_deref(), Some("USSM10804548"));
        assert_eq!(t.id.unwrap().as_str(), "tidal:track:7");
    }
}
