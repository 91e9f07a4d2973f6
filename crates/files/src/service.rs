//! [`FileService`]: one playlist file as a [`Service`].
//!
//! The file is read afresh on every call (another program may have changed
//! it), on tokio's blocking pool. Adds hold a per-service lock from reading to
//! the atomic rename, so two adds through the same service never lose each
//! other's tracks.

use crate::error::{self, Malformed};
use crate::input::{self, Refusal};
use crate::{
    Appended, Format, append_bytes, atomic, parse_bytes, remove_bytes, render_text, unknown_format,
    warn_if_empty,
};
use async_trait::async_trait;
use musync_core::{
    Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress, Service, ServiceError,
    ServiceKind, Track,
};
use std::borrow::Borrow;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const OP_OPEN: &str = "opening the playlist";
const OP_READ: &str = "reading the playlist";
const OP_ADD: &str = "adding tracks";
const OP_REMOVE: &str = "removing tracks";

/// A playlist file as a service. Its one playlist's id is the path as given.
#[derive(Debug, Clone)]
pub struct FileService {
    path: PathBuf,
    format: Format,
    /// A missing file is an empty playlist, created on the first add.
    create: bool,
    /// Serialises read-modify-write cycles of this file.
    write_lock: Arc<Mutex<()>>,
    /// Warn when a file with content holds no song (off in a folder, where
    /// a header-only file is an empty playlist musync wrote).
    warn_empty: bool,
}

impl FileService {
    /// Opens an existing playlist file with a known extension.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, ServiceError> {
        let path = path.into();
        let format = Format::from_path(&path).ok_or_else(|| unknown_format(&path, OP_OPEN))?;
        let meta = std::fs::metadata(&path).map_err(|e| error::io_error(&path, OP_OPEN, e))?;
        if !meta.is_file() {
            return Err(input::not_regular(&path, OP_OPEN, input::kind_of(&meta)));
        }
        Ok(Self::new(path, format, false))
    }

    /// Opens a playlist file that may not exist yet: a missing file is an
    /// empty playlist, created by the first `add`. Its directory must exist.
    pub fn open_or_new(path: impl Into<PathBuf>) -> Result<Self, ServiceError> {
        let path = path.into();
        let format = Format::from_path(&path).ok_or_else(|| unknown_format(&path, OP_OPEN))?;
        match std::fs::metadata(&path) {
            Ok(meta) if !meta.is_file() => {
                return Err(input::not_regular(&path, OP_OPEN, input::kind_of(&meta)));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
                if let Some(dir) = dir
                    && !dir.is_dir()
                {
                    return Err(ServiceError::new(
                        ErrorKind::NotFound,
                        error::service_name(),
                        OP_OPEN,
                        format!(
                            "{}: the directory {} does not exist",
                            path.display(),
                            dir.display()
                        ),
                    )
                    .with_hint("create the directory first, or choose a path in an existing one"));
                }
            }
            Err(e) => return Err(error::io_error(&path, OP_OPEN, e)),
        }
        Ok(Self::new(path, format, true))
    }

    fn new(path: PathBuf, format: Format, create: bool) -> Self {
        FileService {
            path,
            format,
            create,
            write_lock: Arc::new(Mutex::new(())),
            warn_empty: true,
        }
    }

    /// The same file, without the warning for a file that holds no song.
    pub(crate) fn quiet(self) -> Self {
        FileService {
            warn_empty: false,
            ..self
        }
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The id of the one playlist: the path as given.
    pub fn playlist_id(&self) -> PlaylistId {
        PlaylistId(self.path.to_string_lossy().into_owned())
    }

    /// The file name without extension: the name of a playlist whose file
    /// has no title of its own.
    fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.playlist_id().0)
    }

    /// Fails unless `playlist` is this file's id (optionally `file:`-prefixed).
    fn check_id(&self, playlist: &PlaylistId, op: &str) -> Result<(), ServiceError> {
        let ours = self.playlist_id();
        let given = playlist.0.strip_prefix("file:").unwrap_or(&playlist.0);
        if given == ours.0 {
            Ok(())
        } else {
            Err(ServiceError::new(
                ErrorKind::NotFound,
                error::service_name(),
                op,
                format!("{}: no such playlist in the file {}", playlist.0, ours.0),
            )
            .with_hint("a playlist file holds one playlist whose id is its path"))
        }
    }

    /// The file's bytes, or `None` when it is missing and may be created.
    fn load(&self, op: &str) -> Result<Option<Vec<u8>>, ServiceError> {
        match input::read_bounded(&self.path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(Refusal::Io(e)) if e.kind() == io::ErrorKind::NotFound && self.create => Ok(None),
            Err(r) => Err(r.into_error(&self.path, op)),
        }
    }

    /// Name and tracks, blocking.
    fn read_blocking(&self) -> Result<(String, Vec<Track>), ServiceError> {
        let (name, tracks) = match self.load(OP_READ)? {
            Some(bytes) => {
                let parsed = parse_bytes(self.format, &bytes)
                    .map_err(|m| m.into_error(&self.path, OP_READ))?;
                if self.warn_empty {
                    warn_if_empty(&self.path, &parsed);
                }
                (parsed.name, parsed.tracks)
            }
            None => (None, Vec::new()),
        };
        Ok((name.unwrap_or_else(|| self.stem()), tracks))
    }

    /// Appends `tracks`, blocking; refuses a file it cannot parse.
    fn add_blocking(&self, tracks: &[impl Borrow<Track>]) -> Result<(), ServiceError> {
        let _guard = self
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let stem = self.stem();
        let written = match self.load(OP_ADD)? {
            None => atomic::replace(
                &self.path,
                render_text(self.format, &stem, tracks).as_bytes(),
            ),
            Some(original) => match append_bytes(self.format, &original, &stem, tracks)
                .map_err(|m| refuse(m).into_error(&self.path, OP_ADD))?
            {
                Appended::Tail(tail) => atomic::replace_with(&self.path, |file| {
                    file.write_all(&original)?;
                    file.write_all(&tail)
                }),
                Appended::Whole(content) => atomic::replace(&self.path, &content),
            },
        };
        written.map_err(|e| error::write_error(&self.path, e))?;
        tracing::debug!(path = %self.path.display(), added = tracks.len(), "appended to playlist file");
        Ok(())
    }

    /// [`Service::add`] for owned or shared tracks. On a multi-threaded
    /// runtime the rows are written from the caller's slice: a sync adding
    /// 300,000 songs keeps no second copy of them.
    async fn add_rows<T>(&self, playlist: &PlaylistId, tracks: &[T]) -> Result<(), ServiceError>
    where
        T: Borrow<Track> + Sync,
    {
        self.check_id(playlist, OP_ADD)?;
        if tracks.is_empty() {
            return Ok(());
        }
        if tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread
        {
            return tokio::task::block_in_place(|| self.add_blocking(tracks));
        }
        let tracks: Vec<Track> = tracks.iter().map(|t| t.borrow().clone()).collect();
        self.blocking(OP_ADD, move |s| s.add_blocking(&tracks))
            .await
    }

    /// Removes the entries at `positions` when they still hold the tracks
    /// the caller read there, blocking; one atomic rewrite.
    fn remove_blocking(&self, entries: &[PlaylistEntry]) -> Result<(), ServiceError> {
        let _guard = self
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(original) = self.load(OP_REMOVE)? else {
            return Err(self.moved(entries[0].position, OP_REMOVE));
        };
        let parsed = parse_bytes(self.format, &original)
            .map_err(|m| refuse(m).into_error(&self.path, OP_REMOVE))?;
        for e in entries {
            // Another program may have changed the file since it was read:
            // never remove a different song.
            if parsed.tracks.get(e.position) != Some(&e.track) {
                return Err(self.moved(e.position, OP_REMOVE));
            }
        }
        let positions: Vec<usize> = entries.iter().map(|e| e.position).collect();
        let content = remove_bytes(self.format, &original, &positions)
            .map_err(|m| refuse(m).into_error(&self.path, OP_REMOVE))?;
        atomic::replace(&self.path, &content).map_err(|e| error::write_error(&self.path, e))?;
        tracing::debug!(path = %self.path.display(), removed = positions.len(), "removed from playlist file");
        Ok(())
    }

    /// The file no longer holds the song where it was read.
    fn moved(&self, position: usize, op: &str) -> ServiceError {
        ServiceError::new(
            ErrorKind::NotFound,
            error::service_name(),
            op,
            format!(
                "{}: song {} is not what musync read there (the file changed meanwhile); \
                 nothing was removed",
                self.path.display(),
                position + 1
            ),
        )
        .with_hint("run again: musync reads the file afresh")
    }

    /// Runs `f` on a clone of this service on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        op: &'static str,
        f: impl FnOnce(&FileService) -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || f(&this))
            .await
            .map_err(|e| {
                ServiceError::new(
                    ErrorKind::Io,
                    error::service_name(),
                    op,
                    format!("{}: the file task stopped ({e})", self.path.display()),
                )
            })?
    }
}

/// A parse failure met while adding: say that nothing was written.
fn refuse(m: Malformed) -> Malformed {
    Malformed {
        hint: format!(
            "musync does not write to a file it cannot read, and left it unchanged: {}",
            m.hint
        ),
        ..m
    }
}

#[async_trait]
impl Service for FileService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let (name, tracks) = self.blocking(OP_READ, |s| s.read_blocking()).await?;
        Ok(vec![Playlist {
            id: self.playlist_id(),
            name,
            writable: true,
            owned: true,
            track_count: Some(tracks.len() as u64),
        }])
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        self.check_id(playlist, OP_READ)?;
        let (_, tracks) = self.blocking(OP_READ, |s| s.read_blocking()).await?;
        progress.set_total(tracks.len() as u64);
        progress.advance(tracks.len() as u64);
        Ok(tracks)
    }

    /// The file's length and a hash of its bytes: any change by musync or
    /// another program moves it. `None` when the file is missing or is not
    /// a regular file within the size limit (reading it then says why).
    async fn revision(&self, playlist: &PlaylistId) -> Option<String> {
        self.check_id(playlist, OP_READ).ok()?;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || file_revision(&path))
            .await
            .ok()
            .flatten()
    }

    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        self.add_rows(playlist, tracks).await
    }

    async fn add_shared(
        &self,
        playlist: &PlaylistId,
        tracks: &[Arc<Track>],
    ) -> Result<(), ServiceError> {
        self.add_rows(playlist, tracks).await
    }

    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        self.check_id(playlist, OP_REMOVE)?;
        if entries.is_empty() {
            return Ok(());
        }
        let entries = entries.to_vec();
        self.blocking(OP_REMOVE, move |s| s.remove_blocking(&entries))
            .await
    }
}

/// Length and a 64-bit SipHash of the contents, read in 64 KiB pieces (no
/// copy of the file is kept): exact where file times are not, since the
/// kernel stamps two writes a few milliseconds apart alike. Only regular
/// files within the size limit have one.
fn file_revision(path: &Path) -> Option<String> {
    use std::hash::Hasher;
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > crate::MAX_FILE_BYTES {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    let mut buf = vec![0; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.write(&buf[..n]);
        len += n as u64;
        if len > crate::MAX_FILE_BYTES {
            return None;
        }
    }
    Some(format!("{len}:{:016x}", hasher.finish()))
}
