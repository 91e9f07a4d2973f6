//! Which CSV column holds what: the header sets of the exporters people
//! use, matched case-insensitively and ignoring spaces and punctuation (so
//! `Track Name`, `track_name` and `TRACK-NAME` are one name, as a
//! spreadsheet may rename them).
//!
//! Known sets: Exportify (`Track URI`, `Track Name`, `Artist Name(s)`,
//! `Album Name`, `Track Duration (ms)`/`Duration (ms)`, `ISRC`, `Artist
//! URI(s)`), its older Spotify-id layout (`Spotify ID`, `Artist IDs`), its
//! translated exports (German, Spanish, French, Italian, Dutch, Portuguese,
//! Swedish), TuneMyMusic (`Track name`, `Artist name`, `Album`, `ISRC`,
//! `Spotify - id`), and plain `Title`/`Artist`/`Album` sheets.

use crate::error::Malformed;
use crate::model::CsvColumns;

/// Normalised names (lower case, letters and digits only) per field.
const NAME: &[&str] = &[
    "trackname",
    "title",
    "songtitle",
    "songname",
    "song",
    "name",
    "nombredelacanción",
    "nomdutitre",
    "nomedellatraccia",
    "nummernaam",
    "nomedafaixa",
    "låtensnamn",
];
const ARTISTS: &[&str] = &[
    "artistnames",
    "artistname",
    "artists",
    "artist",
    "künstlernamen",
    "nombresdelartista",
    "nomsdelartiste",
    "nomedellartista",
    "naamvanartiest",
    "nomesdoartista",
    "artistensnamn",
];
const ALBUM: &[&str] = &[
    "albumname",
    "album",
    "nombredelálbum",
    "nomdelalbum",
    "nomedellalbum",
    "naamvanalbum",
    "nomedoálbum",
    "albumetsnamn",
];
const DURATION_MS: &[&str] = &[
    "durationms",
    "trackdurationms",
    "trackdauerms",
    "duracióndelacanciónms",
    "duréedutitrems",
    "duratadellatracciams",
    "nummerduurms",
    "duraçãodafaixams",
    "låtlängdms",
];
const ISRC: &[&str] = &["isrc"];
const URI: &[&str] = &[
    "trackuri",
    "spotifyuri",
    "uri",
    "uridelacanción",
    "uridutitre",
    "uridellatraccia",
    "nummeruri",
    "uridafaixa",
    "låtensuri",
];
/// Bare Spotify track ids (22 characters), not URIs.
const SPOTIFY_ID: &[&str] = &["spotifyid", "trackid"];
const ARTIST_IDS: &[&str] = &[
    "artisturis",
    "artistids",
    "künstleruris",
    "urisdelartista",
    "urisdelartiste",
    "uridellartista",
    "artiesturi",
    "urisdoartista",
    "artistensuri",
];

/// A header cell reduced to what names it: lower-case letters and digits.
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Finds musync's columns in the header.
pub(crate) fn columns(header: &::csv::StringRecord) -> Result<CsvColumns, Malformed> {
    let names: Vec<String> = header.iter().map(normalise).collect();
    // The first column whose name is in `aliases`, trying aliases in order
    // so `Track Name` wins over a later generic `Name`.
    let find = |aliases: &[&str]| {
        aliases
            .iter()
            .find_map(|a| names.iter().position(|n| n == a))
    };
    let name = find(NAME);
    let artists = find(ARTISTS);
    let (Some(name), Some(artists)) = (name, artists) else {
        return Err(missing(header, name.is_none(), artists.is_none()));
    };
    Ok(CsvColumns {
        uri: find(URI),
        spotify_id: find(SPOTIFY_ID),
        name,
        artists,
        artist_ids: find(ARTIST_IDS),
        album: find(ALBUM),
        duration_ms: find(DURATION_MS),
        isrc: find(ISRC),
        width: header.len(),
    })
}

/// The error for a header without a title or artist column.
fn missing(header: &::csv::StringRecord, name: bool, artists: bool) -> Malformed {
    let missing: Vec<&str> = [("'Track Name'", name), ("'Artist Name(s)'", artists)]
        .into_iter()
        .filter(|(_, gone)| *gone)
        .map(|(n, _)| n)
        .collect();
    let found: Vec<String> = header.iter().map(|h| format!("'{}'", h.trim())).collect();
    Malformed::at(
        1,
        format!(
            "missing column{} {} (columns found: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(" and "),
            if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            }
        ),
        "the first row must name the columns: a title ('Track Name', 'Title' …) and an artist ('Artist Name(s)', 'Artist' …) column at least; rename the matching columns",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(header: &[&str]) -> CsvColumns {
        columns(&::csv::StringRecord::from(header.to_vec())).unwrap()
    }

    #[test]
    fn every_known_header_set_is_recognised() {
        let exportify = cols(&[
            "Track URI",
            "Track Name",
            "Artist URI(s)",
            "Artist Name(s)",
            "Album Name",
            "Track Duration (ms)",
            "ISRC",
        ]);
        assert_eq!(
            (exportify.uri, exportify.name, exportify.artist_ids),
            (Some(0), 1, Some(2))
        );
        assert_eq!((exportify.artists, exportify.album), (3, Some(4)));
        assert_eq!((exportify.duration_ms, exportify.isrc), (Some(5), Some(6)));

        let old = cols(&[
            "Spotify ID",
            "Artist IDs",
            "Track Name",
            "Album Name",
            "Artist Name(s)",
            "Duration (ms)",
        ]);
        assert_eq!(
            (old.spotify_id, old.artist_ids, old.artists),
            (Some(0), Some(1), 4)
        );

        let german = cols(&[
            "Track-URI",
            "Track-Name",
            "Künstler-URI(s)",
            "Künstlername(n)",
            "Album-Name",
            "Track-Dauer (ms)",
            "ISRC",
        ]);
        assert_eq!(
            (german.uri, german.name, german.artist_ids, german.artists),
            (Some(0), 1, Some(2), 3)
        );
        assert_eq!((german.album, german.duration_ms), (Some(4), Some(5)));

        let spanish = cols(&[
            "URI de la canción",
            "Nombre de la canción",
            "Nombre(s) del artista",
            "Duración de la canción (ms)",
        ]);
        assert_eq!(
            (
                spanish.uri,
                spanish.name,
                spanish.artists,
                spanish.duration_ms
            ),
            (Some(0), 1, 2, Some(3))
        );

        let tmm = cols(&[
            "Track name",
            "Artist name",
            "Album",
            "Playlist name",
            "Type",
            "ISRC",
            "Spotify - id",
        ]);
        assert_eq!(
            (tmm.name, tmm.artists, tmm.album, tmm.isrc, tmm.spotify_id),
            (0, 1, Some(2), Some(5), Some(6))
        );
        assert_eq!(tmm.uri, None);

        let renamed = cols(&["track_name", "ARTIST", "album-name", "duration_ms"]);
        assert_eq!(
            (
                renamed.name,
                renamed.artists,
                renamed.album,
                renamed.duration_ms
            ),
            (0, 1, Some(2), Some(3))
        );
    }

    #[test]
    fn a_specific_name_wins_over_a_generic_one() {
        let c = cols(&["Name", "Artist", "Track Name"]);
        assert_eq!(c.name, 2);
        // Album artists are not the song's artists.
        let e = columns(&::csv::StringRecord::from(vec![
            "Track Name",
            "Album Artist Name(s)",
        ]))
        .unwrap_err();
        assert_eq!(
            e.message,
            "missing column 'Artist Name(s)' (columns found: 'Track Name', 'Album Artist Name(s)')"
        );
    }
}
