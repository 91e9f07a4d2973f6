//! Reading InnerTube answers (research: services-wave2.md §1.3–1.4): the
//! library grid, playlist pages and their two continuation styles, search
//! shelves, and `musicResponsiveListItemRenderer` rows. A missing
//! structure the client relies on is a [`ErrorKind::Protocol`] error naming
//! it, never an empty list.

use crate::error::SERVICE;
use musync_core::{ErrorKind, ServiceError};
use serde_json::Value;

fn protocol(op: &str, what: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::Protocol,
        SERVICE,
        op,
        format!(
            "the answer has no {what}: YouTube Music may have changed its pages; update musync"
        ),
    )
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn text(v: &Value) -> Option<String> {
    if let Some(s) = v["simpleText"].as_str() {
        return Some(s.to_owned());
    }
    let runs = arr(&v["runs"]);
    (!runs.is_empty()).then(|| runs.iter().filter_map(|r| r["text"].as_str()).collect())
}

/// A playlist tile of the library grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tile {
    pub id: String,
    pub title: String,
    pub owned: bool,
    pub count: Option<u64>,
}

/// One page of the library grid and the token of the next (old style).
pub(crate) struct LibraryPage {
    pub tiles: Vec<Tile>,
    pub next: Option<String>,
}

fn grid_items(items: &[Value]) -> Vec<Tile> {
    items
        .iter()
        .filter_map(|item| {
            let r = item.get("musicTwoRowItemRenderer")?;
            // The "New playlist" tile has no playlist to browse.
            let browse = r
                .pointer("/title/runs/0/navigationEndpoint/browseEndpoint/browseId")
                .or_else(|| r.pointer("/navigationEndpoint/browseEndpoint/browseId"))?
                .as_str()?;
            let id = browse.strip_prefix("VL")?.to_owned();
            let owned = arr(&r["menu"]["menuRenderer"]["items"]).iter().any(|m| {
                m.pointer("/menuNavigationItemRenderer/navigationEndpoint/playlistEditorEndpoint/playlistId")
                    .and_then(Value::as_str)
                    == Some(id.as_str())
            });
            let count = arr(&r["subtitle"]["runs"])
                .iter()
                .filter_map(|run| run["text"].as_str())
                .find_map(song_count);
            Some(Tile {
                title: text(&r["title"]).unwrap_or_default(),
                id,
                owned,
                count,
            })
        })
        .collect()
}

/// "12 songs", "1 song", "1,234 songs" → the number.
fn song_count(s: &str) -> Option<u64> {
    let (n, word) = s.trim().split_once(' ')?;
    if !matches!(word, "song" | "songs" | "track" | "tracks") {
        return None;
    }
    n.replace([',', '.'], "").parse().ok()
}

fn old_token(v: &Value) -> Option<String> {
    v.pointer("/continuations/0/nextContinuationData/continuation")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The first page of `FEmusic_liked_playlists`.
pub(crate) fn library_first(v: &Value, op: &str) -> Result<LibraryPage, ServiceError> {
    let sections = v
        .pointer("/contents/singleColumnBrowseResultsRenderer/tabs/0/tabRenderer/content/sectionListRenderer/contents")
        .ok_or_else(|| protocol(op, "library grid"))?;
    let grid = arr(sections).iter().find_map(|s| {
        s.get("gridRenderer")
            .or_else(|| s.pointer("/itemSectionRenderer/contents/0/gridRenderer"))
    });
    Ok(match grid {
        Some(g) => LibraryPage {
            tiles: grid_items(arr(&g["items"])),
            next: old_token(g),
        },
        None => LibraryPage {
            tiles: Vec::new(),
            next: None,
        },
    })
}

/// A later page of the library grid.
pub(crate) fn library_next(v: &Value, op: &str) -> Result<LibraryPage, ServiceError> {
    let g = v
        .pointer("/continuationContents/gridContinuation")
        .ok_or_else(|| protocol(op, "gridContinuation"))?;
    Ok(LibraryPage {
        tiles: grid_items(arr(&g["items"])),
        next: old_token(g),
    })
}

/// One song row.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Row {
    pub video_id: String,
    pub set_video_id: Option<String>,
    pub title: String,
    pub artists: Vec<String>,
    pub album: Option<String>,
    pub duration_s: Option<u32>,
    /// `musicVideoType`, when given.
    pub video_type: Option<String>,
    /// False for greyed-out rows.
    pub available: bool,
}

impl Row {
    /// An artist's audio track (as opposed to a video).
    pub fn is_song(&self) -> bool {
        self.video_type.as_deref() == Some("MUSIC_VIDEO_TYPE_ATV")
    }
}

fn page_type(run: &Value) -> Option<&str> {
    run.pointer("/navigationEndpoint/browseEndpoint/browseEndpointContextSupportedConfigs/browseEndpointContextMusicConfig/pageType")
        .and_then(Value::as_str)
}

fn parse_duration(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    parts
        .iter()
        .try_fold(0u32, |acc, p| Some(acc * 60 + p.parse::<u32>().ok()?))
}

/// Runs of plain text that are not artists: separators, view counts,
/// durations and type labels.
fn is_filler(t: &str) -> bool {
    let t = t.trim();
    t.is_empty()
        || matches!(t, "•" | "&" | "," | "Song" | "Video" | "Episode")
        || t.ends_with(" views")
        || t.ends_with(" plays")
        || parse_duration(t).is_some()
}

/// A `musicResponsiveListItemRenderer` (playlist or search row); `None`
/// for rows without any video id (deleted songs).
pub(crate) fn row(r: &Value) -> Option<Row> {
    let columns: Vec<&[Value]> = arr(&r["flexColumns"])
        .iter()
        .map(|c| arr(&c["musicResponsiveListItemFlexColumnRenderer"]["text"]["runs"]))
        .collect();
    let play = r.pointer("/overlay/musicItemThumbnailOverlayRenderer/content/musicPlayButtonRenderer/playNavigationEndpoint/watchEndpoint");
    let title_watch = columns.first().and_then(|runs| {
        runs.iter()
            .find_map(|run| run.pointer("/navigationEndpoint/watchEndpoint"))
    });
    let remove = arr(&r["menu"]["menuRenderer"]["items"])
        .iter()
        .find_map(|m| {
            m.pointer("/menuServiceItemRenderer/serviceEndpoint/playlistEditEndpoint/actions/0")
        });
    let video_id = play
        .and_then(|w| w["videoId"].as_str())
        .or_else(|| title_watch.and_then(|w| w["videoId"].as_str()))
        .or_else(|| {
            r.pointer("/playlistItemData/videoId")
                .and_then(Value::as_str)
        })
        .or_else(|| remove.and_then(|a| a["removedVideoId"].as_str()))?
        .to_owned();
    let set_video_id = r
        .pointer("/playlistItemData/playlistSetVideoId")
        .and_then(Value::as_str)
        .or_else(|| remove.and_then(|a| a["setVideoId"].as_str()))
        .map(str::to_owned);
    let video_type = play
        .or(title_watch)
        .and_then(|w| {
            w.pointer("/watchEndpointMusicSupportedConfigs/watchEndpointMusicConfig/musicVideoType")
        })
        .and_then(Value::as_str)
        .map(str::to_owned);
    let title = columns
        .first()
        .map(|runs| {
            runs.iter()
                .filter_map(|r| r["text"].as_str())
                .collect::<String>()
        })
        .unwrap_or_default();
    let mut artists = Vec::new();
    let mut channel = None;
    let mut album = None;
    let mut plain = Vec::new();
    let mut duration = None;
    for (i, runs) in columns.iter().enumerate().skip(1) {
        for run in *runs {
            let t = run["text"].as_str().unwrap_or("").trim();
            match page_type(run) {
                Some("MUSIC_PAGE_TYPE_ARTIST" | "MUSIC_PAGE_TYPE_UNKNOWN") => {
                    artists.push(t.to_owned())
                }
                Some("MUSIC_PAGE_TYPE_USER_CHANNEL") => channel = Some(t.to_owned()),
                Some("MUSIC_PAGE_TYPE_ALBUM") => album = Some(t.to_owned()),
                Some(_) => {}
                None => {
                    if let Some(d) = parse_duration(t) {
                        duration = Some(d);
                    } else if i == 1 && !is_filler(t) {
                        plain.push(t.to_owned());
                    }
                }
            }
        }
    }
    if artists.is_empty() {
        // Videos name their channel; some artists have no page at all.
        artists = channel.into_iter().collect();
        if artists.is_empty() {
            artists = plain;
        }
    }
    let fixed = r.pointer("/fixedColumns/0/musicResponsiveListItemFixedColumnRenderer/text");
    let duration_s = fixed
        .and_then(text)
        .and_then(|t| parse_duration(&t))
        .or(duration);
    let mut row = Row {
        video_id,
        set_video_id,
        title,
        artists,
        album: album.filter(|a| !a.is_empty()),
        duration_s,
        video_type,
        available: r["musicItemRendererDisplayPolicy"]
            != "MUSIC_ITEM_RENDERER_DISPLAY_POLICY_GREY_OUT",
    };
    if row.video_type.is_some() && !row.is_song() {
        row.album = None; // videos have no album
    }
    Some(row)
}

/// What a page of playlist rows holds: rows, and the token of the next.
pub(crate) struct RowsPage {
    pub rows: Vec<Row>,
    pub next: Option<String>,
}

/// A new-style continuation token: straight in the endpoint, or in a
/// `commandExecutorCommand`'s list.
fn new_token(item: &Value) -> Option<String> {
    let endpoint = item.get("continuationEndpoint")?;
    let direct = endpoint.pointer("/continuationCommand/token");
    let wrapped = || {
        arr(&endpoint["commandExecutorCommand"]["commands"])
            .iter()
            .find_map(|c| c.pointer("/continuationCommand/token"))
    };
    direct.or_else(wrapped)?.as_str().map(str::to_owned)
}

fn rows_page(items: &[Value]) -> RowsPage {
    let mut page = RowsPage {
        rows: Vec::new(),
        next: None,
    };
    for item in items {
        if let Some(r) = item.get("musicResponsiveListItemRenderer") {
            page.rows.extend(row(r));
        } else if let Some(c) = item.get("continuationItemRenderer") {
            page.next = new_token(c);
        }
    }
    page
}

/// A playlist's first page: whether it is the account's own (editable
/// header), and its first rows.
pub(crate) struct PlaylistFirst {
    pub owned: bool,
    pub page: RowsPage,
}

/// The first page of `browse VL<id>`.
pub(crate) fn playlist_first(v: &Value, op: &str) -> Result<PlaylistFirst, ServiceError> {
    let two = v
        .pointer("/contents/twoColumnBrowseResultsRenderer")
        .ok_or_else(|| protocol(op, "playlist page"))?;
    let header = two
        .pointer("/tabs/0/tabRenderer/content/sectionListRenderer/contents/0")
        .ok_or_else(|| protocol(op, "playlist header"))?;
    let owned = header
        .get("musicEditablePlaylistDetailHeaderRenderer")
        .is_some();
    if !owned && header.get("musicResponsiveHeaderRenderer").is_none() {
        return Err(protocol(op, "playlist header"));
    }
    let shelf = arr(&two["secondaryContents"]["sectionListRenderer"]["contents"])
        .iter()
        .find_map(|s| s.get("musicPlaylistShelfRenderer"));
    let page = shelf.map_or(
        RowsPage {
            rows: Vec::new(),
            next: None,
        },
        |s| rows_page(arr(&s["contents"])),
    );
    Ok(PlaylistFirst { owned, page })
}

/// A later page of a playlist (`browse {"continuation": T}`).
pub(crate) fn playlist_next(v: &Value, op: &str) -> Result<RowsPage, ServiceError> {
    let items = v
        .pointer("/onResponseReceivedActions/0/appendContinuationItemsAction/continuationItems")
        .ok_or_else(|| protocol(op, "continuation items"))?;
    Ok(rows_page(arr(items)))
}

/// Every row of every shelf of a search answer (the top-result card
/// skipped); an answer without results is an empty list.
pub(crate) fn search_rows(v: &Value, op: &str) -> Result<Vec<Row>, ServiceError> {
    let sections = v
        .pointer("/contents/tabbedSearchResultsRenderer/tabs/0/tabRenderer/content/sectionListRenderer/contents")
        .ok_or_else(|| protocol(op, "search results"))?;
    Ok(arr(sections)
        .iter()
        .filter_map(|s| s.get("musicShelfRenderer"))
        .flat_map(|shelf| arr(&shelf["contents"]))
        .filter_map(|item| item.get("musicResponsiveListItemRenderer"))
        .filter_map(row)
        .collect())
}

/// Name and handle from `account/account_menu`.
pub(crate) fn account(v: &Value, op: &str) -> Result<(String, Option<String>), ServiceError> {
    let header = v
        .pointer("/actions/0/openPopupAction/popup/multiPageMenuRenderer/header/activeAccountHeaderRenderer")
        .ok_or_else(|| protocol(op, "account header"))?;
    let name = text(&header["accountName"]).unwrap_or_default();
    let handle = text(&header["channelHandle"]).filter(|h| !h.trim().is_empty());
    Ok((name, handle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_and_counts() {
        assert_eq!(parse_duration("3:32"), Some(212));
        assert_eq!(parse_duration("1:02:03"), Some(3723));
        assert_eq!(parse_duration("1.2M views"), None);
        assert_eq!(song_count("1,234 songs"), Some(1234));
        assert_eq!(song_count("Auto playlist"), None);
    }

    #[test]
    fn a_row_without_artist_pages_takes_its_plain_artist_text() {
        let r = json!({
            "flexColumns": [
                {"musicResponsiveListItemFlexColumnRenderer": {"text": {"runs": [{"text": "Song"}]}}},
                {"musicResponsiveListItemFlexColumnRenderer": {"text": {"runs": [{"text": "Local Band"}, {"text": " • "}, {"text": "2:05"}]}}}
            ],
            "playlistItemData": {"videoId": "abc", "playlistSetVideoId": "S1"}
        });
        let row = row(&r).unwrap();
        assert_eq!(row.artists, vec!["Local Band"]);
        assert_eq!(row.duration_s, Some(125));
        assert_eq!(row.set_video_id.as_deref(), Some("S1"));
        assert!(row.available);
    }

    #[test]
    fn both_new_style_tokens_are_found() {
        let direct = json!({"continuationEndpoint": {"continuationCommand": {"token": "A"}}});
        let wrapped = json!({"continuationEndpoint": {"commandExecutorCommand": {"commands": [{"x": 1}, {"continuationCommand": {"token": "B"}}]}}});
        assert_eq!(new_token(&direct).as_deref(), Some("A"));
        assert_eq!(new_token(&wrapped).as_deref(), Some("B"));
    }

    #[test]
    fn missing_structures_are_protocol_errors() {
        let e = playlist_first(&json!({"contents": {}}), "reading")
            .err()
            .unwrap();
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert!(library_next(&json!({}), "x").is_err());
        assert!(search_rows(&json!({}), "x").is_err());
    }
}
