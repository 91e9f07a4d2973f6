//! [`FolderService`]: a directory of playlist files as one service, so a
//! whole library can be backed up into a folder and restored from it.
//!
//! Each playlist file directly inside the folder is one playlist whose id
//! is its file name (`Road trip.csv`) and whose name is the file's own
//! title, else the file name without extension. Reads and adds go through
//! [`FileService`], so they keep its guarantees (bounded reads, appends
//! that keep existing bytes, atomic writes). A new playlist is a
//! header-only file `NAME.FORMAT` whose name is made safe for every file
//! system ([`safe_file_stem`]); a name already taken gets ` (2)`, ` (3)` ….
//! The folder itself is created by the first new playlist.

use crate::{FileService, Format, error};
use async_trait::async_trait;
use musync_core::{
    Capabilities, ErrorKind, Playlist, PlaylistId, Progress, Service, ServiceError, ServiceKind,
    Track,
};
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Folders' short and display names.
pub const FOLDER_KIND: ServiceKind = ServiceKind::new("folder", "Folder");

/// A folder takes any track, and new playlists are new files.
pub const FOLDER_CAPABILITIES: Capabilities = Capabilities {
    create_playlist: true,
    ..crate::CAPABILITIES
};

/// Longest file stem written, in bytes: far under every file system's 255,
/// leaving room for ` (NN)` and the extension.
const MAX_STEM_BYTES: usize = 150;

/// A folder holding one playlist file per playlist.
#[derive(Debug, Clone)]
pub struct FolderService {
    dir: PathBuf,
    /// The format of the files it creates.
    format: Format,
    /// One [`FileService`] per file, so adds to one file share its lock.
    files: Arc<Mutex<HashMap<String, FileService>>>,
}

impl FolderService {
    /// A folder (which may not exist yet: it then lists no playlist) whose
    /// new playlists are written in `format`.
    pub fn new(dir: impl Into<PathBuf>, format: Format) -> Self {
        FolderService {
            dir: dir.into(),
            format,
            files: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The folder's path, as given.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of the playlist `id` (a file name in the folder).
    pub fn path_of(&self, id: &PlaylistId) -> PathBuf {
        self.dir.join(&id.0)
    }

    /// The file service of playlist `id`; refuses ids that are not plain
    /// file names of a playlist format, so nothing outside the folder is
    /// ever read or written.
    fn file(&self, id: &PlaylistId, op: &str) -> Result<FileService, ServiceError> {
        let name = id.0.as_str();
        let plain = !name.is_empty()
            && !name.contains(['/', '\\'])
            && name != "."
            && name != ".."
            && Format::from_path(Path::new(name)).is_some();
        if !plain {
            return Err(ServiceError::new(
                ErrorKind::NotFound,
                FOLDER_KIND.display_name(),
                op,
                format!("`{name}` is not a playlist file in {}", self.dir.display()),
            )
            .with_hint("a folder's playlists are named by their file names"));
        }
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = files.get(name) {
            return Ok(f.clone());
        }
        let f = FileService::open_or_new(self.dir.join(name))?.quiet();
        files.insert(name.to_owned(), f.clone());
        Ok(f)
    }

    /// File names of the playlist files in the folder, sorted; none when
    /// the folder does not exist.
    fn file_names(&self) -> Result<Vec<String>, ServiceError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(error::io_error(&self.dir, OP_LIST, e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| error::io_error(&self.dir, OP_LIST, e))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue; // not UTF-8: not a name musync wrote or can pair
            };
            let is_file = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file());
            // Hidden files include musync's own temporary files.
            if is_file && !name.starts_with('.') && Format::from_path(Path::new(&name)).is_some() {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    fn listed(&self, name: &str) -> Result<Playlist, ServiceError> {
        let path = self.dir.join(name);
        // Not `crate::read`: a header-only file is an empty playlist here,
        // not a file worth a warning.
        let format =
            Format::from_path(&path).ok_or_else(|| crate::unknown_format(&path, OP_LIST))?;
        let bytes = crate::input::read_bounded(&path).map_err(|r| r.into_error(&path, OP_LIST))?;
        let parsed =
            crate::parse_bytes(format, &bytes).map_err(|m| m.into_error(&path, OP_LIST))?;
        let (title, tracks) = (parsed.name, parsed.tracks);
        let stem = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.to_owned());
        Ok(Playlist {
            id: PlaylistId::new(name),
            name: title.filter(|t| !t.trim().is_empty()).unwrap_or(stem),
            writable: true,
            track_count: Some(tracks.len() as u64),
            owned: true,
        })
    }

    /// The playlist of file `name`; a file musync cannot read is still
    /// listed (by its file name, song count unknown), so one broken file
    /// fails only its own pair when it is read, never the whole folder.
    fn listed_or_unread(&self, name: &str) -> Playlist {
        self.listed(name).unwrap_or_else(|e| {
            tracing::warn!(file = %self.dir.join(name).display(), error = %e, "listed a playlist file it cannot read");
            Playlist {
                id: PlaylistId::new(name),
                name: Path::new(name)
                    .file_stem()
                    .map_or_else(|| name.to_owned(), |s| s.to_string_lossy().into_owned()),
                writable: true,
                track_count: None,
                owned: true,
            }
        })
    }

    /// Creates the header-only file of a new playlist, blocking.
    fn create_blocking(&self, name: &str) -> Result<Playlist, ServiceError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| error::write_error(&self.dir, e))?;
        let taken: Vec<String> = self
            .file_names()?
            .into_iter()
            .map(|n| n.to_lowercase())
            .collect();
        let stem = safe_file_stem(name);
        let ext = self.format.extension();
        let file_name = (1..)
            .map(|n| match n {
                1 => format!("{stem}.{ext}"),
                n => format!("{stem} ({n}).{ext}"),
            })
            // Case-insensitive: macOS and Windows folders are.
            .find(|f| !taken.contains(&f.to_lowercase()) && !self.dir.join(f).exists())
            .expect("an unbounded range has a free name");
        crate::write_new(&self.dir.join(&file_name), self.format, name, &[])?;
        tracing::debug!(dir = %self.dir.display(), file = %file_name, "created playlist file");
        self.listed(&file_name)
    }
}

const OP_LIST: &str = "listing the folder's playlists";
const OP_CREATE: &str = "creating a playlist file";

/// `name` as a file name stem every common file system accepts: no
/// `<>:"/\|?*` or control characters (each becomes `_`), no leading dot
/// (hidden) and no trailing dot or space (Windows drops them), not a
/// reserved Windows device name, at most [`MAX_STEM_BYTES`] bytes.
pub fn safe_file_stem(name: &str) -> String {
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if out.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        return "Playlist".to_owned();
    }
    let device = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.push('_');
    }
    out
}

#[async_trait]
impl Service for FolderService {
    fn kind(&self) -> ServiceKind {
        FOLDER_KIND
    }

    fn capabilities(&self) -> Capabilities {
        FOLDER_CAPABILITIES
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let this = self.clone();
        blocking(OP_LIST, move || {
            let names = this.file_names()?;
            Ok(names.iter().map(|n| this.listed_or_unread(n)).collect())
        })
        .await
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let file = self.file(playlist, "reading the playlist")?;
        file.tracks(&file.playlist_id(), progress).await
    }

    /// The playlist file's own token: a run into a folder reads each file
    /// again under the lock only when it changed.
    async fn revision(&self, playlist: &PlaylistId) -> Option<String> {
        let file = self.file(playlist, "reading the playlist").ok()?;
        file.revision(&file.playlist_id()).await
    }

    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        let file = self.file(playlist, "adding tracks")?;
        file.add(&file.playlist_id(), tracks).await
    }

    async fn add_shared(
        &self,
        playlist: &PlaylistId,
        tracks: &[Arc<Track>],
    ) -> Result<(), ServiceError> {
        let file = self.file(playlist, "adding tracks")?;
        file.add_shared(&file.playlist_id(), tracks).await
    }

    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        let this = self.clone();
        let name = name.to_owned();
        blocking(OP_CREATE, move || this.create_blocking(&name)).await
    }
}

async fn blocking<T: Send + 'static>(
    op: &'static str,
    f: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        ServiceError::new(
            ErrorKind::Io,
            FOLDER_KIND.display_name(),
            op,
            format!("the folder task stopped ({e})"),
        )
    })?
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::NoProgress;

    #[test]
    fn names_become_safe_file_stems() {
        assert_eq!(safe_file_stem("AC/DC: Best?"), "AC_DC_ Best_");
        assert_eq!(safe_file_stem("a<b>c\"d|e*f\\g"), "a_b_c_d_e_f_g");
        assert_eq!(safe_file_stem("tab\there\u{7}"), "tab_here_");
        assert_eq!(safe_file_stem("Ends with dots... "), "Ends with dots");
        assert_eq!(safe_file_stem(".hidden"), "_hidden");
        assert_eq!(safe_file_stem("   "), "Playlist");
        assert_eq!(safe_file_stem("..."), "Playlist");
        assert_eq!(safe_file_stem("con"), "con_");
        assert_eq!(safe_file_stem("LPT1.mix"), "LPT1.mix_");
        assert_eq!(safe_file_stem("Console"), "Console");
        assert_eq!(safe_file_stem("Liked Songs"), "Liked Songs");
        let long = "é".repeat(200);
        let s = safe_file_stem(&long);
        assert!(s.len() <= MAX_STEM_BYTES && s.chars().all(|c| c == 'é'));
    }

    #[tokio::test]
    async fn new_playlists_are_header_only_files_kept_apart_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("backup"); // created by the first create
        let folder = FolderService::new(&dir, Format::Csv);
        assert!(folder.playlists().await.unwrap().is_empty());
        let a = folder.create_playlist("A/B").await.unwrap();
        let b = folder.create_playlist("A:B").await.unwrap();
        assert_eq!(a.id.as_str(), "A_B.csv");
        assert_eq!(b.id.as_str(), "A_B (2).csv");
        let header = std::fs::read_to_string(dir.join("A_B.csv")).unwrap();
        assert!(header.contains("Track Name,Artist Name(s)"), "{header}");
        assert_eq!(header.lines().count(), 1, "header only: {header}");
        let song = Track::new("Halo", "Beyoncé");
        folder
            .add(&b.id, std::slice::from_ref(&song))
            .await
            .unwrap();
        let listed = folder.playlists().await.unwrap();
        let names: Vec<(&str, Option<u64>)> = listed
            .iter()
            .map(|p| (p.id.as_str(), p.track_count))
            .collect();
        assert_eq!(names, [("A_B (2).csv", Some(1)), ("A_B.csv", Some(0))]);
        let read = folder.tracks(&b.id, &NoProgress).await.unwrap();
        assert_eq!(read[0].title, "Halo");
    }

    #[tokio::test]
    async fn a_playlists_revision_is_its_files_and_moves_with_an_add() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = FolderService::new(tmp.path(), Format::Csv);
        let mix = folder.create_playlist("Mix").await.unwrap();
        let before = folder.revision(&mix.id).await.expect("a file has one");
        assert_eq!(
            folder.revision(&mix.id).await.as_deref(),
            Some(before.as_str())
        );
        folder
            .add(&mix.id, &[Track::new("Song", "Artist")])
            .await
            .unwrap();
        assert_ne!(folder.revision(&mix.id).await.unwrap(), before);
        assert_eq!(folder.revision(&PlaylistId::new("../x.csv")).await, None);
    }

    #[tokio::test]
    async fn a_file_it_cannot_read_is_listed_and_fails_only_when_read() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = FolderService::new(tmp.path(), Format::Csv);
        let good = folder.create_playlist("Good").await.unwrap();
        std::fs::write(tmp.path().join("Broken.csv"), b"\0\x01PK not a playlist").unwrap();
        let listed = folder.playlists().await.unwrap();
        let names: Vec<(&str, &str, Option<u64>)> = listed
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str(), p.track_count))
            .collect();
        assert_eq!(
            names,
            [
                ("Broken.csv", "Broken", None),
                ("Good.csv", "Good", Some(0))
            ]
        );
        let err = folder
            .tracks(&PlaylistId::new("Broken.csv"), &NoProgress)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("Broken.csv"), "{err}");
        assert!(
            folder
                .tracks(&good.id, &NoProgress)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[tokio::test]
    async fn titled_formats_keep_the_name_and_ids_outside_the_folder_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = FolderService::new(tmp.path(), Format::Xspf);
        let p = folder.create_playlist("Road trip?").await.unwrap();
        assert_eq!(
            (p.id.as_str(), p.name.as_str()),
            ("Road trip_.xspf", "Road trip?")
        );
        std::fs::write(tmp.path().join("notes.txt"), "x").unwrap();
        std::fs::write(tmp.path().join(".musync-abcdef.tmp"), "x").unwrap();
        assert_eq!(folder.playlists().await.unwrap().len(), 1);
        for bad in ["../x.csv", "/etc/x.csv", "notes.txt", ""] {
            let err = folder
                .add(&PlaylistId::new(bad), &[Track::new("a", "b")])
                .await
                .unwrap_err();
            assert_eq!(err.kind, ErrorKind::NotFound, "{bad}");
        }
        assert!(!tmp.path().parent().unwrap().join("x.csv").exists());
    }
}
