//! Reading a playlist file's bytes, bounded: only a regular file (a symlink
//! to one is fine) of at most [`MAX_FILE_BYTES`] is read. A FIFO, a device
//! (a link to `/dev/zero`), a socket or a directory is refused by what the
//! opened file *is*, before a single byte is read, so such a path can never
//! hang musync or fill its memory.

use crate::error;
use musync_core::{ErrorKind, ServiceError};
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// The largest playlist file musync reads: 512 MiB, about four million
/// tracks in any format. Above it the file is refused without being read.
pub const MAX_FILE_BYTES: u64 = 512 << 20;

/// Why a path cannot be read as a playlist.
pub(crate) enum Refusal {
    /// Opening or reading failed.
    Io(io::Error),
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
}

/// What kind of file `meta` describes, for messages.
pub(crate) fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading without blocking on a FIFO with no writer.
fn open(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO would otherwise wait for a writer. It
        // has no effect on reads of a regular file.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The bytes of the regular file at `path`, at most [`MAX_FILE_BYTES`].
pub(crate) fn read_bounded(path: &Path) -> Result<Vec<u8>, Refusal> {
    let file = open(path).map_err(Refusal::Io)?;
    let meta = file.metadata().map_err(Refusal::Io)?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind_of(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` guards against a file that grows while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

impl Refusal {
    /// The user-facing error for `path`.
    pub(crate) fn into_error(self, path: &Path, op: &str) -> ServiceError {
        match self {
            Refusal::Io(e) => error::io_error(path, op, e),
            Refusal::NotRegular(what) => not_regular(path, op, what),
            Refusal::TooLarge(len) => ServiceError::new(
                ErrorKind::InvalidInput,
                error::service_name(),
                op,
                format!(
                    "{}: is {:.1} MiB; musync reads playlist files of up to 512 MiB",
                    path.display(),
                    len as f64 / f64::from(1 << 20)
                ),
            )
            .with_hint(
                "check that the path names a playlist; split a larger playlist into several files",
            ),
        }
    }
}

/// The error for a path that is not a regular file.
pub(crate) fn not_regular(path: &Path, op: &str, what: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::InvalidInput,
        error::service_name(),
        op,
        format!(
            "{}: is {what}, not a playlist file (musync reads only regular files)",
            path.display()
        ),
    )
    .with_hint("name a regular file ending in .m3u, .m3u8, .xspf, .csv or .json")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_and_fifos_without_reading_and_reads_links_to_files() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.m3u8");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            read_bounded(&zero),
            Err(Refusal::NotRegular("a device"))
        ));
        let real = dir.path().join("real.m3u8");
        std::fs::write(&real, "#EXTM3U\n").unwrap();
        let link = dir.path().join("link.m3u8");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(read_bounded(&link).ok().unwrap(), b"#EXTM3U\n");
        assert!(matches!(
            read_bounded(dir.path()),
            Err(Refusal::NotRegular("a directory"))
        ));
    }
}
