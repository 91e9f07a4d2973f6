//! The JSON the fake answers with, written by hand after the shapes
//! ytmusicapi reads (research: services-wave2.md §1.3–1.4). Nothing here
//! is shared with the client.

use crate::state::{FakePlaylist, Item, Video, VideoKind};
use serde_json::{Value, json};

/// `responseContext` with the `logged_in` flag real answers carry.
pub fn context(logged_in: bool) -> Value {
    json!({
        "visitorData": "CgtGYWtlVmlzaXRvcg%3D%3D",
        "serviceTrackingParams": [
            {"service": "CSI", "params": [{"key": "c", "value": "WEB_REMIX"}]},
            {"service": "GFEEDBACK", "params": [
                {"key": "logged_in", "value": if logged_in { "1" } else { "0" }},
                {"key": "e", "value": "1714247,23804281"}
            ]}
        ]
    })
}

/// The 200 answer of a session that has died: signed out, a sign-in
/// prompt where the library would be.
pub fn signed_out() -> Value {
    json!({
        "responseContext": context(false),
        "contents": {"singleColumnBrowseResultsRenderer": {"tabs": [{"tabRenderer": {"content": {
            "sectionListRenderer": {"contents": [{"musicNotifierShelfRenderer": {
                "title": {"runs": [{"text": "Sign in to see your library"}]},
                "button": {"buttonRenderer": {
                    "text": {"runs": [{"text": "Sign in"}]},
                    "navigationEndpoint": {"signInEndpoint": {"hack": true}}
                }}
            }}]}
        }}}]}}
    })
}

/// A Google JSON error body.
pub fn google_error(code: u16, status: &str, reason: &str, message: &str) -> Value {
    json!({"error": {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": reason}],
        "status": status
    }})
}

fn duration_text(s: u32) -> String {
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn watch(video: &Video, playlist: Option<&str>) -> Value {
    let mut w = json!({
        "videoId": video.video_id,
        "watchEndpointMusicSupportedConfigs": {"watchEndpointMusicConfig": {
            "musicVideoType": video.kind.wire()
        }}
    });
    if let Some(p) = playlist {
        w["playlistId"] = json!(p);
    }
    w
}

fn page_run(text: &str, browse_id: String, page_type: &str) -> Value {
    json!({"text": text, "navigationEndpoint": {"browseEndpoint": {
        "browseId": browse_id,
        "browseEndpointContextSupportedConfigs": {"browseEndpointContextMusicConfig": {"pageType": page_type}}
    }}})
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect()
}

fn artist_runs(video: &Video) -> Vec<Value> {
    let mut runs = Vec::new();
    for (i, artist) in video.artists.iter().enumerate() {
        if i > 0 {
            let sep = if i + 1 == video.artists.len() {
                " & "
            } else {
                ", "
            };
            runs.push(json!({"text": sep}));
        }
        let page = if video.kind == VideoKind::Upload {
            "MUSIC_PAGE_TYPE_USER_CHANNEL"
        } else {
            "MUSIC_PAGE_TYPE_ARTIST"
        };
        runs.push(page_run(artist, format!("UC{}", slug(artist)), page));
    }
    runs
}

fn album_run(video: &Video) -> Option<Value> {
    video
        .album
        .as_ref()
        .map(|a| page_run(a, format!("MPREb_{}", slug(a)), "MUSIC_PAGE_TYPE_ALBUM"))
}

fn column(runs: Vec<Value>) -> Value {
    json!({"musicResponsiveListItemFlexColumnRenderer": {
        "text": {"runs": runs},
        "displayPriority": "MUSIC_RESPONSIVE_LIST_ITEM_COLUMN_DISPLAY_PRIORITY_HIGH"
    }})
}

/// A playlist row. Greyed-out rows have no play button and carry their
/// video id only in the menu's remove action.
pub fn playlist_row(video: &Video, item: &Item, playlist_id: &str, owned: bool) -> Value {
    let title_run = if video.available {
        json!({"text": video.title, "navigationEndpoint": {"watchEndpoint": watch(video, Some(playlist_id))}})
    } else {
        json!({"text": video.title})
    };
    let mut second = artist_runs(video);
    if video.kind != VideoKind::Song {
        second.push(json!({"text": " • "}));
        second.push(json!({"text": "1.2M views"}));
    }
    let third = album_run(video).map_or_else(Vec::new, |a| vec![a]);
    let mut menu_items = vec![json!({"menuNavigationItemRenderer": {
        "text": {"runs": [{"text": "Start radio"}]},
        "navigationEndpoint": {"watchEndpoint": {"videoId": video.video_id, "playlistId": format!("RDAMVM{}", video.video_id)}}
    }})];
    if owned {
        menu_items.push(json!({"menuServiceItemRenderer": {
            "text": {"runs": [{"text": "Remove from playlist"}]},
            "serviceEndpoint": {"playlistEditEndpoint": {
                "playlistId": playlist_id,
                "actions": [{"setVideoId": item.set_video_id, "action": "ACTION_REMOVE_VIDEO", "removedVideoId": video.video_id}]
            }}
        }}));
    }
    let mut row = json!({
        "flexColumns": [column(vec![title_run]), column(second), column(third)],
        "fixedColumns": [{"musicResponsiveListItemFixedColumnRenderer": {
            "text": {"runs": [{"text": duration_text(video.duration_s)}]}
        }}],
        "menu": {"menuRenderer": {
            "items": menu_items,
            "topLevelButtons": [{"likeButtonRenderer": {"target": {"videoId": video.video_id}, "likeStatus": "INDIFFERENT"}}]
        }},
        "playlistItemData": {"playlistSetVideoId": item.set_video_id, "videoId": video.video_id}
    });
    if video.available {
        row["overlay"] = json!({"musicItemThumbnailOverlayRenderer": {"content": {"musicPlayButtonRenderer": {
            "playNavigationEndpoint": {"watchEndpoint": watch(video, Some(playlist_id))}
        }}}});
    } else {
        row["musicItemRendererDisplayPolicy"] =
            json!("MUSIC_ITEM_RENDERER_DISPLAY_POLICY_GREY_OUT");
    }
    json!({"musicResponsiveListItemRenderer": row})
}

/// A search result row: artists, album and duration share the second
/// column, as on the real search page.
pub fn search_row(video: &Video) -> Value {
    let mut second = artist_runs(video);
    if let Some(album) = album_run(video) {
        second.push(json!({"text": " • "}));
        second.push(album);
    } else if video.kind != VideoKind::Song {
        second.push(json!({"text": " • "}));
        second.push(json!({"text": "3.4M views"}));
    }
    second.push(json!({"text": " • "}));
    second.push(json!({"text": duration_text(video.duration_s)}));
    json!({"musicResponsiveListItemRenderer": {
        "overlay": {"musicItemThumbnailOverlayRenderer": {"content": {"musicPlayButtonRenderer": {
            "playNavigationEndpoint": {"watchEndpoint": watch(video, None)}
        }}}},
        "flexColumns": [
            column(vec![json!({"text": video.title, "navigationEndpoint": {"watchEndpoint": watch(video, None)}})]),
            column(second)
        ],
        "menu": {"menuRenderer": {"items": []}},
        "playlistItemData": {"videoId": video.video_id}
    }})
}

/// A continuation item in the new style: the token straight in the
/// endpoint, or (`wrapped`) inside a `commandExecutorCommand`.
pub fn continuation_item(token: &str, wrapped: bool) -> Value {
    let command = json!({"continuationCommand": {"token": token, "request": "CONTINUATION_REQUEST_TYPE_BROWSE"}});
    let endpoint = if wrapped {
        json!({"commandExecutorCommand": {"commands": [
            {"clickTrackingParams": "CAAQ"},
            command
        ]}})
    } else {
        command
    };
    json!({"continuationItemRenderer": {"trigger": "CONTINUATION_TRIGGER_ON_ITEM_SHOWN", "continuationEndpoint": endpoint}})
}

/// Old-style continuation data.
pub fn old_continuations(token: Option<String>) -> Value {
    match token {
        Some(t) => {
            json!([{"nextContinuationData": {"continuation": t, "clickTrackingParams": "CAAQ"}}])
        }
        None => json!([]),
    }
}

/// The "New playlist" tile that opens the library grid.
pub fn new_playlist_tile() -> Value {
    json!({"musicTwoRowItemRenderer": {
        "title": {"runs": [{"text": "New playlist"}]},
        "navigationEndpoint": {"createPlaylistEndpoint": {"hack": true}},
        "subtitle": {"runs": []}
    }})
}

fn songs_text(n: usize) -> String {
    if n == 1 {
        "1 song".to_owned()
    } else {
        format!("{n} songs")
    }
}

/// A library tile for a playlist. Owned ones carry an edit entry in
/// their menu.
pub fn playlist_tile(id: &str, title: &str, owner: &str, count: usize, owned: bool) -> Value {
    let mut menu = vec![json!({"menuNavigationItemRenderer": {
        "text": {"runs": [{"text": "Shuffle play"}]},
        "navigationEndpoint": {"watchPlaylistEndpoint": {"playlistId": id, "params": "wAEB8gECKAE%3D"}}
    }})];
    if owned {
        menu.push(json!({"menuNavigationItemRenderer": {
            "text": {"runs": [{"text": "Edit playlist"}]},
            "navigationEndpoint": {"playlistEditorEndpoint": {"playlistId": id}}
        }}));
    }
    json!({"musicTwoRowItemRenderer": {
        "title": {"runs": [page_run(title, format!("VL{id}"), "MUSIC_PAGE_TYPE_PLAYLIST")]},
        "subtitle": {"runs": [{"text": owner}, {"text": " • "}, {"text": songs_text(count)}]},
        "navigationEndpoint": {"browseEndpoint": {"browseId": format!("VL{id}")}},
        "menu": {"menuRenderer": {"items": menu}}
    }})
}

/// The tile of "Liked Music".
pub fn liked_tile() -> Value {
    json!({"musicTwoRowItemRenderer": {
        "title": {"runs": [page_run("Liked Music", "VLLM".to_owned(), "MUSIC_PAGE_TYPE_PLAYLIST")]},
        "subtitle": {"runs": [{"text": "Auto playlist"}]},
        "navigationEndpoint": {"browseEndpoint": {"browseId": "VLLM"}},
        "menu": {"menuRenderer": {"items": []}}
    }})
}

/// The header of a playlist page.
pub fn playlist_header(p: &FakePlaylist) -> Value {
    let inner = json!({"musicResponsiveHeaderRenderer": {
        "title": {"runs": [{"text": p.title}]},
        "secondSubtitle": {"runs": [{"text": songs_text(p.items.len())}, {"text": " • "}, {"text": "1 hour"}]}
    }});
    if p.owned {
        json!({"musicEditablePlaylistDetailHeaderRenderer": {
            "header": inner,
            "editHeader": {"musicPlaylistEditHeaderRenderer": {"title": {"runs": [{"text": p.title}]}, "privacy": "PRIVATE"}}
        }})
    } else {
        inner
    }
}

/// The first page of a playlist.
pub fn playlist_page(header: Value, playlist_id: &str, rows: Vec<Value>) -> Value {
    let secondary = if rows.is_empty() {
        json!({"sectionListRenderer": {"contents": []}})
    } else {
        json!({"sectionListRenderer": {"contents": [{"musicPlaylistShelfRenderer": {
            "playlistId": playlist_id,
            "contents": rows
        }}]}})
    };
    json!({
        "responseContext": context(true),
        "contents": {"twoColumnBrowseResultsRenderer": {
            "tabs": [{"tabRenderer": {"content": {"sectionListRenderer": {"contents": [header]}}}}],
            "secondaryContents": secondary
        }}
    })
}

/// A later page of a playlist (new-style continuation).
pub fn playlist_continuation(rows: Vec<Value>) -> Value {
    json!({
        "responseContext": context(true),
        "onResponseReceivedActions": [{"appendContinuationItemsAction": {
            "targetId": "browse-feedVL",
            "continuationItems": rows
        }}]
    })
}

/// The first page of the library grid.
pub fn library_page(items: Vec<Value>, token: Option<String>) -> Value {
    json!({
        "responseContext": context(true),
        "contents": {"singleColumnBrowseResultsRenderer": {"tabs": [{"tabRenderer": {"content": {
            "sectionListRenderer": {"contents": [{"gridRenderer": {
                "items": items,
                "continuations": old_continuations(token)
            }}]}
        }}}]}}
    })
}

/// A later page of the library grid (old-style continuation).
pub fn library_continuation(items: Vec<Value>, token: Option<String>) -> Value {
    json!({
        "responseContext": context(true),
        "continuationContents": {"gridContinuation": {
            "items": items,
            "continuations": old_continuations(token)
        }}
    })
}

/// A search answer: one "Songs" shelf (filtered), or a top-result card
/// and shelves of songs and videos (unfiltered).
pub fn search_page(songs: Vec<Value>, videos: Option<Vec<Value>>) -> Value {
    let mut sections = Vec::new();
    if songs.is_empty() && videos.as_ref().is_none_or(Vec::is_empty) {
        sections.push(
            json!({"itemSectionRenderer": {"contents": [{"messageRenderer": {
                "text": {"runs": [{"text": "No results found"}]}
            }}]}}),
        );
    } else {
        if let Some(videos) = &videos
            && let Some(first) = songs.first().or(videos.first())
        {
            sections.push(json!({"musicCardShelfRenderer": {"title": {"runs": [{"text": "Top result"}]}, "contents": [first]}}));
        }
        sections.push(json!({"musicShelfRenderer": {
            "title": {"runs": [{"text": "Songs"}]},
            "contents": songs,
            "continuations": old_continuations(None)
        }}));
        if let Some(videos) = videos {
            sections.push(json!({"musicShelfRenderer": {"title": {"runs": [{"text": "Videos"}]}, "contents": videos}}));
        }
    }
    json!({
        "responseContext": context(true),
        "contents": {"tabbedSearchResultsRenderer": {"tabs": [{"tabRenderer": {
            "title": "YT Music",
            "selected": true,
            "content": {"sectionListRenderer": {"contents": sections}}
        }}]}}
    })
}

/// `account/account_menu`.
pub fn account_menu(name: &str, handle: &str) -> Value {
    json!({
        "responseContext": context(true),
        "actions": [{"openPopupAction": {"popup": {"multiPageMenuRenderer": {
            "header": {"activeAccountHeaderRenderer": {
                "accountName": {"runs": [{"text": name}]},
                "channelHandle": {"runs": [{"text": handle}]}
            }},
            "sections": []
        }}, "popupType": "DROPDOWN"}}]
    })
}
