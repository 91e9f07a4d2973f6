//! Whole-library transfers: every own playlist of one account or folder
//! into the playlist of the same name in another, the library into the
//! library. Each pair is then an ordinary one-way [`crate::Session`]
//! (remembered answers, journal, batches, rate limits); this module only
//! decides the pairs and creates the missing target playlists.
//!
//! ```text
//! Opener::library(SOURCE), Opener::library(TARGET)
//!   └► pair()            source playlists ↔ target playlists by name; library ↔ library
//!   └► create_missing()  re-lists the target, creates what is still missing (real runs)
//!   └► sides()           two Sides per pair, for Session::compare → plan → run
//! ```
//!
//! Rules: only playlists the source account owns move (followed playlists,
//! and collaborative ones someone else owns, are listed as skipped); names
//! pair case-insensitively, trimmed, each target playlist at most once; a
//! folder's files pair by their safe file name too (a CSV keeps no title).
//! In a dry run nothing is created: a missing target is an empty playlist
//! that searches the target service, and the pair reports `created: true`
//! as "would be created".

use crate::{Opener, Side, file_reference, find_playlist, same_name};
use async_trait::async_trait;
use musync_core::{
    AccountId, Capabilities, ErrorKind, Playlist, PlaylistId, Progress, Service, ServiceError,
    ServiceKind, Track,
};
use musync_files::{FolderService, Format, safe_file_stem};
use musync_store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Names of the services' library playlists (Spotify, Amazon Music,
/// Last.fm, Subsonic, TIDAL, YouTube Music): in a folder (which has no
/// library of its own) a file with one of these names is the library.
pub const LIBRARY_NAMES: [&str; 6] = [
    "Liked Songs",
    "My Music",
    "Loved Tracks",
    "Starred",
    "Favourite tracks",
    "Liked Music",
];

/// The name a library moves under when its own name is none of
/// [`LIBRARY_NAMES`]: the one of the services with the same library id.
fn library_name(id: &PlaylistId) -> &'static str {
    match id.as_str() {
        "my-music" => "My Music",
        "loved" => "Loved Tracks",
        "starred" => "Starred",
        _ => "Liked Songs",
    }
}

/// Where a library lives.
#[derive(Clone, Debug)]
pub enum Place {
    /// A stored account.
    Account(AccountId),
    /// A folder of playlist files.
    Folder(PathBuf),
}

/// One side of a transfer: a whole account or folder.
#[derive(Clone)]
pub struct Library {
    /// The service (a folder is a [`FolderService`]).
    pub service: Arc<dyn Service>,
    /// Which account or folder.
    pub place: Place,
    /// Name shown to people (`spotify-bob`, `backup/`).
    pub label: String,
}

impl Library {
    /// The stable reference of one of its playlists: `ACCOUNT:ID`, or the
    /// absolute path of a folder's file (the same key `sync` uses for it).
    pub fn reference(&self, id: &PlaylistId) -> String {
        match &self.place {
            Place::Account(a) => format!("{a}:{id}"),
            Place::Folder(dir) => file_reference(&dir.join(id.as_str())),
        }
    }

    fn is_folder(&self) -> bool {
        matches!(self.place, Place::Folder(_))
    }

    fn caps(&self) -> Capabilities {
        self.service.capabilities()
    }

    /// Whether `p` is this library's library playlist.
    fn is_library(&self, p: &Playlist) -> bool {
        match self.caps().library_playlist {
            Some(id) => p.id.as_str() == id,
            None => LIBRARY_NAMES.iter().any(|n| same_name(n, &p.name)),
        }
    }
}

/// Whether `text` names a folder: it ends with a path separator, or it is
/// an existing directory.
pub fn is_folder(text: &str) -> bool {
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || Path::new(text).is_dir()
}

impl Opener {
    /// Opens an account (by id) or a folder (see [`is_folder`]) as one side
    /// of a transfer; new files in a folder are written in `format`.
    pub fn library(
        &self,
        store: &Store,
        text: &str,
        format: Format,
    ) -> Result<Library, ServiceError> {
        if is_folder(text) {
            let dir = PathBuf::from(text);
            if dir.exists() && !dir.is_dir() {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    "musync",
                    "opening the folder",
                    format!("{text} is not a folder"),
                ));
            }
            return Ok(Library {
                service: Arc::new(musync_core::Checked(FolderService::new(&dir, format))),
                place: Place::Folder(dir),
                label: text.to_owned(),
            });
        }
        let account = self.account(store, text)?;
        Ok(Library {
            service: self.service(&account)?,
            label: account.id.to_string(),
            place: Place::Account(account.id),
        })
    }
}

/// What to move.
#[derive(Clone, Debug, Default)]
pub struct TransferOptions {
    /// Only these playlists (by id or exact name); the library only when
    /// named. Empty: every own playlist.
    pub only: Vec<String>,
    /// Move the library playlist too (ignored with `only`).
    pub library: bool,
}

/// One source playlist and where it goes.
#[derive(Clone, Debug)]
pub struct Pairing {
    /// The source playlist.
    pub source: Playlist,
    /// It is the source's library.
    pub library: bool,
    /// The songs of the source this pair moves, when the source is longer
    /// than a target playlist may be: "NAME", "NAME (2)" … each take one
    /// part, in order.
    pub part: Option<std::ops::Range<usize>>,
    /// The target playlist, when it exists (or was created by this run).
    pub target: Option<Playlist>,
    /// The name a missing target is created with.
    pub target_name: String,
    /// The target was created by this run (a dry run: would be).
    pub created: bool,
    /// Why nothing moves for this playlist (not owned, cannot be created).
    pub skipped: Option<String>,
    /// A creation that failed (the transfer fails).
    pub failed: Option<String>,
}

impl Pairing {
    /// Whether songs move for this pair (it may still lack its target in
    /// a dry run).
    pub fn moves(&self) -> bool {
        self.skipped.is_none() && self.failed.is_none()
    }
}

/// Pairs every source playlist to move with its target. Fails before
/// anything is read when the target cannot be written at all.
pub async fn pair(
    source: &Library,
    target: &Library,
    opts: &TransferOptions,
) -> Result<Vec<Pairing>, ServiceError> {
    let tcaps = target.caps();
    if !tcaps.add_tracks {
        return Err(ServiceError::new(
            ErrorKind::Unsupported,
            target.service.kind().display_name(),
            "moving a library",
            format!(
                "{} ({}): nothing was sent",
                target.service.kind().read_only_message(),
                target.label
            ),
        )
        .with_hint("transfer from it instead, into an account or a folder musync can write"));
    }
    if let Place::Folder(dir) = &source.place
        && !dir.is_dir()
    {
        return Err(ServiceError::new(
            ErrorKind::NotFound,
            "musync",
            "reading the folder",
            format!("the folder {} does not exist", dir.display()),
        )
        .with_hint("name the folder a backup was written into"));
    }
    let listed = source.service.playlists().await?;
    let chosen: Vec<&Playlist> = if opts.only.is_empty() {
        listed
            .iter()
            .filter(|p| opts.library || !source.is_library(p))
            .collect()
    } else {
        let account = AccountId::new(source.label.clone());
        let mut chosen: Vec<&Playlist> = Vec::new();
        for wanted in &opts.only {
            let p = find_playlist(&listed, &account, wanted).map_err(|e| match source.place {
                // `musync playlists` names accounts, not folders.
                Place::Folder(_) => {
                    e.with_hint("a folder's playlists are its .csv, .xspf, .m3u8 and .json files")
                }
                Place::Account(_) => e,
            })?;
            if !chosen.iter().any(|c| c.id == p.id) {
                chosen.push(p);
            }
        }
        chosen
    };
    let existing = target.service.playlists().await?;
    let mut taken: Vec<PlaylistId> = Vec::new();
    let mut out = Vec::new();
    for p in chosen {
        let library = source.is_library(p);
        let base = Pairing {
            source: p.clone(),
            library,
            part: None,
            target: None,
            // A library's file in a folder is named after the library,
            // with a name a folder source reads back as a library.
            target_name: match LIBRARY_NAMES.iter().find(|n| same_name(n, &p.name)) {
                Some(n) if library => (*n).to_owned(),
                None if library => library_name(&p.id).to_owned(),
                _ => p.name.trim().to_owned(),
            },
            created: false,
            skipped: None,
            failed: None,
        };
        if !p.owned {
            out.push(Pairing {
                skipped: Some(
                    "not yours (a followed playlist, or a collaborative one someone else \
                     owns): left out; copy it into a playlist of your own to move it"
                        .into(),
                ),
                ..base
            });
            continue;
        }
        if library && let Some(id) = tcaps.library_playlist {
            let found = existing.iter().find(|t| t.id.as_str() == id).cloned();
            let t = found.unwrap_or_else(|| Playlist {
                id: PlaylistId::new(id),
                name: id.to_owned(),
                writable: true,
                track_count: None,
                owned: true,
            });
            taken.push(t.id.clone());
            out.push(Pairing {
                target: Some(t),
                ..base
            });
            continue;
        }
        for (n, part) in parts(p.track_count, tcaps.playlist_max_tracks)
            .into_iter()
            .enumerate()
        {
            let mut pairing = base.clone();
            if n > 0 {
                pairing.target_name = format!("{} ({})", base.target_name, n + 1);
            }
            pairing.part = part;
            pairing.target = best_match(target, &existing, &taken, &pairing.target_name).cloned();
            if pairing.target.is_none() && !tcaps.create_playlist {
                pairing.skipped = Some(format!(
                    "{} has no playlist `{}` and musync cannot create playlists there",
                    target.label, pairing.target_name
                ));
            }
            if let Some(t) = &pairing.target {
                taken.push(t.id.clone());
            }
            out.push(pairing);
        }
    }
    Ok(out)
}

/// How a source of `count` songs is cut for targets of at most `max`
/// songs: one whole part when it fits (or its size is unknown).
fn parts(count: Option<u64>, max: Option<usize>) -> Vec<Option<std::ops::Range<usize>>> {
    match (count, max) {
        (Some(count), Some(max)) if max > 0 && count as usize > max => {
            let count = count as usize;
            (0..count.div_ceil(max))
                .map(|i| Some(i * max..((i + 1) * max).min(count)))
                .collect()
        }
        _ => vec![None],
    }
}

/// The unassigned target playlist that best pairs with `name`: the same
/// name first; in a folder also the safe file name, then its ` (N)`
/// siblings in order (two names with one safe name are kept apart so).
fn best_match<'a>(
    target: &Library,
    existing: &'a [Playlist],
    taken: &[PlaylistId],
    name: &str,
) -> Option<&'a Playlist> {
    let safe = safe_file_stem(name);
    let rank = |t: &Playlist| -> Option<usize> {
        if !t.writable {
            return None; // someone else's playlist of that name
        }
        if same_name(&t.name, name) {
            return Some(0);
        }
        if !target.is_folder() {
            return None;
        }
        let stem = Path::new(t.id.as_str()).file_stem()?.to_str()?;
        if same_name(stem, &safe) {
            return Some(1);
        }
        let n: usize = stem
            .strip_prefix(safe.as_str())?
            .strip_prefix(" (")?
            .strip_suffix(')')?
            .parse()
            .ok()?;
        Some(n)
    };
    existing
        .iter()
        .filter(|t| !taken.contains(&t.id))
        .filter_map(|t| rank(t).map(|r| (r, t)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, t)| t)
}

/// Creates the target playlists still missing. The target is listed again
/// first, so a playlist created meanwhile (by an earlier, stopped run or
/// by hand) is reused, never created twice. A creation that fails marks
/// its pair failed and the others go on.
pub async fn create_missing(
    target: &Library,
    pairings: &mut [Pairing],
) -> Result<(), ServiceError> {
    if !pairings.iter().any(|p| p.moves() && p.target.is_none()) {
        return Ok(());
    }
    let existing = target.service.playlists().await?;
    let mut taken: Vec<PlaylistId> = pairings
        .iter()
        .filter_map(|p| p.target.as_ref().map(|t| t.id.clone()))
        .collect();
    for p in pairings.iter_mut() {
        if !p.moves() || p.target.is_some() {
            continue;
        }
        if let Some(found) = best_match(target, &existing, &taken, &p.target_name) {
            taken.push(found.id.clone());
            p.target = Some(found.clone());
            continue;
        }
        match target.service.create_playlist(&p.target_name).await {
            Ok(made) => {
                taken.push(made.id.clone());
                p.target = Some(made);
                p.created = true;
            }
            Err(e) => p.failed = Some(format!("could not create `{}`: {e}", p.target_name)),
        }
    }
    Ok(())
}

/// Marks the pairs whose target is missing as "would be created" (dry runs).
pub fn mark_would_create(pairings: &mut [Pairing]) {
    for p in pairings.iter_mut() {
        if p.moves() && p.target.is_none() {
            p.created = true;
        }
    }
}

/// The two sides of one pair for a one-way [`crate::Session`] (left is the
/// source). `None` for a pair that moves nothing. A target not created yet
/// (dry run) is an empty playlist searched in the target service.
pub fn sides(source: &Library, target: &Library, pairing: &Pairing) -> Option<(Side, Side)> {
    if !pairing.moves() {
        return None;
    }
    let kind = |l: &Library| l.service.kind().display_name();
    let service: Arc<dyn Service> = match &pairing.part {
        Some(range) => Arc::new(Part {
            inner: source.service.clone(),
            range: range.clone(),
        }),
        None => source.service.clone(),
    };
    let left = Side {
        service,
        playlist: pairing.source.id.clone(),
        reference: source.reference(&pairing.source.id),
        writable: pairing.source.writable,
        label: format!("{}: {}", kind(source), pairing.source.name),
        missing_file: false,
    };
    let right = match &pairing.target {
        Some(t) => Side {
            service: target.service.clone(),
            playlist: t.id.clone(),
            reference: target.reference(&t.id),
            writable: t.writable,
            label: format!("{}: {}", kind(target), t.name),
            missing_file: false,
        },
        None => Side {
            service: Arc::new(NotYetCreated(target.service.clone())),
            playlist: PlaylistId::new(""),
            reference: format!("{}:(new) {}", target.label, pairing.target_name),
            writable: true,
            label: format!("{}: {} (new)", kind(target), pairing.target_name),
            missing_file: false,
        },
    };
    Some((left, right))
}

/// Reads and plans one pair as a one-way session (left is the source), the
/// step `musync transfer` and the wizard's "Move everything" take for each
/// pair before the one review. `read` counts the songs read, `searched` the
/// missing songs searched (its total is set once they are known). `None`
/// for a pair that moves nothing.
pub async fn prepare(
    store: &Store,
    source: &Library,
    target: &Library,
    pairing: &Pairing,
    search_concurrency: usize,
    read: &dyn Progress,
    searched: &dyn Progress,
) -> Result<Option<(crate::Plan, crate::Session)>, ServiceError> {
    let Some((left, right)) = sides(source, target, pairing) else {
        return Ok(None);
    };
    let session =
        crate::Session::compare(store, left, right, read, &musync_core::NoProgress).await?;
    searched.set_total(session.comparison().diff.only_left.len() as u64);
    let opts = crate::PlanOptions {
        direction: crate::Direction::ToRight,
        search_concurrency,
    };
    let plan = session.plan(store, opts, &|| searched.advance(1)).await?;
    Ok(Some((plan, session)))
}

/// One playlist's outcome, as the CLI contract's `--json` row.
#[derive(Clone, Debug, Serialize)]
pub struct TransferRow {
    /// `ACCOUNT:ID` or the source file's path.
    pub source: String,
    /// `ACCOUNT:ID` or the target file's path; null when there is none.
    pub target: Option<String>,
    /// The target was created by this run (dry run: would be).
    pub created: bool,
    /// Songs added by this run (dry run: would be).
    pub added: usize,
    /// Songs skipped.
    pub skipped: usize,
    /// Songs not found in the target.
    pub not_found: usize,
    /// Songs that failed.
    pub failed: usize,
    /// Why a playlist moved nothing, or other news about it.
    pub note: Option<String>,
}

impl TransferRow {
    /// The row of a pair, with its report when it ran.
    pub fn new(
        source: &Library,
        target: &Library,
        pairing: &Pairing,
        report: Option<&crate::Report>,
    ) -> TransferRow {
        let mut notes: Vec<String> = pairing
            .skipped
            .iter()
            .chain(pairing.failed.iter())
            .cloned()
            .collect();
        if let Some(r) = report {
            notes.extend(r.notes.iter().cloned());
        }
        let count = |f: fn(&crate::Report) -> usize| report.map_or(0, f);
        TransferRow {
            source: source.reference(&pairing.source.id),
            target: pairing.target.as_ref().map(|t| target.reference(&t.id)),
            created: pairing.created,
            added: count(|r| r.added + r.would_add),
            skipped: count(|r| r.skipped),
            not_found: count(|r| r.not_found),
            failed: count(|r| r.failed) + usize::from(pairing.failed.is_some()),
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        }
    }
}

impl TransferRow {
    /// The row of a pair that stopped with `error` (a playlist of it could
    /// not be read, or its run failed): one failure, and a note naming the
    /// playlists and services and saying that a second run retries it.
    pub fn stopped(
        source: &Library,
        target: &Library,
        pairing: &Pairing,
        error: &ServiceError,
    ) -> TransferRow {
        let mut row = TransferRow::new(source, target, pairing, None);
        row.failed += 1;
        let note = stopped_note(source, target, pairing, error);
        row.note = Some(match row.note.take() {
            Some(before) => format!("{before}; {note}"),
            None => note,
        });
        row
    }
}

/// Whether `error` stops the whole transfer rather than one pair: a sign-in
/// that expired fails every pair alike, so going on would only repeat it.
pub fn stops_everything(error: &ServiceError) -> bool {
    error.kind == ErrorKind::AuthExpired
}

/// What to tell about a pair that stopped with `error`.
pub fn stopped_note(
    source: &Library,
    target: &Library,
    pairing: &Pairing,
    error: &ServiceError,
) -> String {
    let target_name = pairing
        .target
        .as_ref()
        .map_or(pairing.target_name.as_str(), |t| t.name.as_str());
    let mut note = format!(
        "`{}` ({}) into `{}` ({}) stopped: {error}",
        pairing.source.name,
        source.service.kind().display_name(),
        target_name,
        target.service.kind().display_name(),
    );
    if let Some(hint) = &error.hint {
        note.push_str(&format!(" ({hint})"));
    }
    note.push_str("; the other playlists went on: run the same transfer again to retry it");
    note
}

/// The whole transfer's `--json`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TransferReport {
    /// One row per source playlist considered.
    pub playlists: Vec<TransferRow>,
    /// Songs added in all.
    pub added: usize,
    /// Songs skipped in all.
    pub skipped: usize,
    /// Songs not found in all.
    pub not_found: usize,
    /// Songs (and playlist creations) that failed.
    pub failed: usize,
}

impl TransferReport {
    /// Appends a row and adds up its counts.
    pub fn push(&mut self, row: TransferRow) {
        self.added += row.added;
        self.skipped += row.skipped;
        self.not_found += row.not_found;
        self.failed += row.failed;
        self.playlists.push(row);
    }
}

/// A target playlist that a dry run does not create: empty, and searched
/// in the target service, so the plan is what a real run would do.
struct NotYetCreated(Arc<dyn Service>);

#[async_trait]
impl Service for NotYetCreated {
    fn kind(&self) -> ServiceKind {
        self.0.kind()
    }

    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        Ok(Vec::new())
    }

    async fn tracks(
        &self,
        _playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        progress.set_total(0);
        Ok(Vec::new())
    }

    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        self.0.search(track).await
    }
}

/// One part of a source playlist too long for the target: its songs in
/// `range`, in order.
struct Part {
    inner: Arc<dyn Service>,
    range: std::ops::Range<usize>,
}

#[async_trait]
impl Service for Part {
    fn kind(&self) -> ServiceKind {
        self.inner.kind()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        self.inner.playlists().await
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let all = self.inner.tracks(playlist, progress).await?;
        let end = self.range.end.min(all.len());
        let start = self.range.start.min(end);
        Ok(all[start..end].to_vec())
    }

    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        self.inner.search(track).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// An account in memory: its playlists, and the names it was asked to
    /// create.
    struct Mem {
        caps: Capabilities,
        listed: Vec<Playlist>,
        created: Mutex<Vec<String>>,
    }

    #[async_trait]
    impl Service for Mem {
        fn kind(&self) -> ServiceKind {
            ServiceKind::new("mem", "Memory")
        }
        fn capabilities(&self) -> Capabilities {
            self.caps
        }
        async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
            Ok(self.listed.clone())
        }
        async fn tracks(
            &self,
            _p: &PlaylistId,
            _progress: &dyn Progress,
        ) -> Result<Vec<Track>, ServiceError> {
            Ok(Vec::new())
        }
        async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
            self.created.lock().unwrap().push(name.to_owned());
            Ok(pl(&format!("new-{name}"), name, true, None))
        }
    }

    fn pl(id: &str, name: &str, owned: bool, count: Option<u64>) -> Playlist {
        Playlist {
            id: PlaylistId::new(id),
            name: name.into(),
            writable: owned,
            track_count: count,
            owned,
        }
    }

    fn lib(caps: Capabilities, listed: Vec<Playlist>) -> (Library, Arc<Mem>) {
        let mem = Arc::new(Mem {
            caps,
            listed,
            created: Mutex::new(Vec::new()),
        });
        let library = Library {
            service: mem.clone(),
            place: Place::Account(AccountId::new("acc")),
            label: "acc".into(),
        };
        (library, mem)
    }

    fn writable(library: Option<&'static str>, max: Option<usize>) -> Capabilities {
        Capabilities {
            read_playlists: true,
            read_tracks: true,
            search: true,
            add_tracks: true,
            create_playlist: true,
            library_playlist: library,
            playlist_max_tracks: max,
            ..Default::default()
        }
    }

    fn source() -> Library {
        lib(
            Capabilities {
                read_playlists: true,
                read_tracks: true,
                library_playlist: Some("my-music"),
                ..Default::default()
            },
            vec![
                pl("my-music", "My Music", true, Some(3)),
                pl("a", "Road Trip", true, Some(2)),
                pl("b", "Chill", true, Some(0)),
                pl("c", "Someone's mix", false, Some(9)),
                pl("d", "road trip", true, Some(1)),
            ],
        )
        .0
    }

    #[tokio::test]
    async fn own_playlists_pair_by_name_once_each_and_the_library_with_the_library() {
        let (target, mem) = lib(
            writable(Some("liked"), None),
            vec![
                pl("liked", "Liked Songs", true, None),
                pl("t1", " ROAD TRIP ", true, None),
                pl("t2", "Chill", false, None), // followed: not written into
            ],
        );
        let opts = TransferOptions {
            only: vec![],
            library: true,
        };
        let mut pairs = pair(&source(), &target, &opts).await.unwrap();
        let view = |pairs: &[Pairing]| -> Vec<(String, Option<String>, bool)> {
            pairs
                .iter()
                .map(|p| {
                    (
                        p.source.id.to_string(),
                        p.target.as_ref().map(|t| t.id.to_string()),
                        p.skipped.is_some(),
                    )
                })
                .collect()
        };
        assert_eq!(
            view(&pairs),
            [
                ("my-music".into(), Some("liked".into()), false),
                ("a".into(), Some("t1".into()), false),
                ("b".into(), None, false),
                ("c".into(), None, true),
                ("d".into(), None, false), // t1 is taken by "Road Trip"
            ]
        );
        assert!(pairs[0].library);
        assert!(pairs[3].skipped.as_ref().unwrap().contains("not yours"));
        create_missing(&target, &mut pairs).await.unwrap();
        assert_eq!(*mem.created.lock().unwrap(), ["Chill", "road trip"]);
        assert!(pairs[2].created && pairs[4].created && !pairs[1].created);
        let row = TransferRow::new(&source(), &target, &pairs[2], None);
        assert_eq!(row.target.as_deref(), Some("acc:new-Chill"));
    }

    #[tokio::test]
    async fn only_names_exactly_what_moves_and_the_library_only_when_named() {
        let (target, _) = lib(writable(Some("liked"), None), vec![]);
        let only = |names: &[&str]| TransferOptions {
            only: names.iter().map(|s| s.to_string()).collect(),
            library: true,
        };
        let pairs = pair(&source(), &target, &only(&["b"])).await.unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].source.name, "Chill");
        let pairs = pair(&source(), &target, &only(&["chill", "My Music", "b"]))
            .await
            .unwrap();
        let names: Vec<&str> = pairs.iter().map(|p| p.source.name.as_str()).collect();
        assert_eq!(names, ["Chill", "My Music"]);
        let err = pair(&source(), &target, &only(&["Nope"]))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no playlist `Nope`"), "{err}");
        let no_library = TransferOptions {
            only: vec![],
            library: false,
        };
        let pairs = pair(&source(), &target, &no_library).await.unwrap();
        assert!(pairs.iter().all(|p| !p.library));
    }

    #[tokio::test]
    async fn a_read_only_target_is_refused_before_anything_is_read() {
        let (target, mem) = lib(
            Capabilities {
                read_playlists: true,
                read_tracks: true,
                ..Default::default()
            },
            vec![],
        );
        let err = pair(&source(), &target, &TransferOptions::default())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert!(err.to_string().contains("nothing was sent"), "{err}");
        assert!(mem.created.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_source_longer_than_the_target_allows_is_split_into_numbered_parts() {
        assert_eq!(
            parts(Some(5), Some(2)),
            [Some(0..2), Some(2..4), Some(4..5)]
        );
        assert_eq!(parts(Some(2), Some(2)), [None]);
        assert_eq!(parts(None, Some(2)), [None]);
        let (target, mem) = lib(
            writable(None, Some(1)),
            vec![pl("t1", "Road Trip (2)", true, None)],
        );
        let opts = TransferOptions {
            only: vec!["a".into()],
            library: true,
        };
        let mut pairs = pair(&source(), &target, &opts).await.unwrap();
        let names: Vec<(&str, Option<std::ops::Range<usize>>)> = pairs
            .iter()
            .map(|p| (p.target_name.as_str(), p.part.clone()))
            .collect();
        assert_eq!(
            names,
            [("Road Trip", Some(0..1)), ("Road Trip (2)", Some(1..2))]
        );
        create_missing(&target, &mut pairs).await.unwrap();
        assert_eq!(*mem.created.lock().unwrap(), ["Road Trip"]);
        assert_eq!(pairs[1].target.as_ref().unwrap().id.as_str(), "t1");
    }

    #[tokio::test]
    async fn a_folder_pairs_by_safe_file_name_and_keeps_same_safe_names_apart() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = Library {
            service: Arc::new(FolderService::new(tmp.path(), Format::Csv)),
            place: Place::Folder(tmp.path().to_path_buf()),
            label: "backup/".into(),
        };
        let (src, _) = lib(
            writable(Some("liked"), None),
            vec![
                pl("liked", "liked songs", true, Some(0)),
                pl("x", "A/B", true, Some(0)),
                pl("y", "A:B", true, Some(0)),
            ],
        );
        let opts = TransferOptions {
            only: vec![],
            library: true,
        };
        let mut pairs = pair(&src, &folder, &opts).await.unwrap();
        create_missing(&folder, &mut pairs).await.unwrap();
        let ids = |pairs: &[Pairing]| -> Vec<String> {
            pairs
                .iter()
                .map(|p| p.target.as_ref().unwrap().id.to_string())
                .collect()
        };
        assert_eq!(ids(&pairs), ["Liked Songs.csv", "A_B.csv", "A_B (2).csv"]);
        // Again: the same files, nothing created.
        let mut again = pair(&src, &folder, &opts).await.unwrap();
        assert!(again.iter().all(|p| p.target.is_some()));
        create_missing(&folder, &mut again).await.unwrap();
        assert_eq!(ids(&again), ids(&pairs));
        assert!(again.iter().all(|p| !p.created));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 3);
    }

    #[tokio::test]
    async fn every_service_library_keeps_a_library_name_in_a_folder_and_back() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = || Library {
            service: Arc::new(FolderService::new(tmp.path(), Format::Csv)),
            place: Place::Folder(tmp.path().to_path_buf()),
            label: "backup/".into(),
        };
        let opts = TransferOptions {
            only: vec![],
            library: true,
        };
        // TIDAL's and YouTube Music's own names, and a library whose name
        // is none of them (named after its id's service).
        for (id, name, file) in [
            ("liked", "Favourite tracks", "Favourite tracks"),
            ("liked", "liked music", "Liked Music"),
            ("my-music", "Your Library", "My Music"),
            ("starred", "★", "Starred"),
        ] {
            let (src, _) = lib(writable(Some(id), None), vec![pl(id, name, true, Some(0))]);
            let mut pairs = pair(&src, &folder(), &opts).await.unwrap();
            assert_eq!(pairs[0].target_name, file);
            create_missing(&folder(), &mut pairs).await.unwrap();
        }
        // Read back, each of those files is a library (into the target's).
        let (target, _) = lib(writable(Some("liked"), None), vec![]);
        let pairs = pair(&folder(), &target, &opts).await.unwrap();
        assert_eq!(pairs.len(), 4);
        for p in &pairs {
            assert!(p.library, "{} is a library", p.source.name);
            assert_eq!(p.target.as_ref().unwrap().id.as_str(), "liked");
        }
        let no_library = TransferOptions {
            only: vec![],
            library: false,
        };
        assert!(
            pair(&folder(), &target, &no_library)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
