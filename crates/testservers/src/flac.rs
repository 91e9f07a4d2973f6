//! Tiny tagged FLAC files: the `fLaC` marker, a STREAMINFO block whose
//! sample count gives the duration, and a Vorbis comment with the tags. No
//! audio frames follow: scanners read metadata only, so a "five-minute"
//! song is a few hundred bytes.

use std::path::{Path, PathBuf};

/// One song to write into a [`MusicDir`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSong {
    /// TITLE.
    pub title: String,
    /// ARTIST.
    pub artist: String,
    /// ALBUM.
    pub album: String,
    /// Whole seconds (STREAMINFO's sample count at 8 kHz).
    pub duration_s: u32,
    /// ISRC, when tagged.
    pub isrc: Option<String>,
}

impl TestSong {
    /// A song without an ISRC.
    pub fn new(title: &str, artist: &str, album: &str, duration_s: u32) -> TestSong {
        TestSong {
            title: title.to_owned(),
            artist: artist.to_owned(),
            album: album.to_owned(),
            duration_s,
            isrc: None,
        }
    }

    /// The same song with an ISRC tag.
    pub fn with_isrc(mut self, isrc: &str) -> TestSong {
        self.isrc = Some(isrc.to_owned());
        self
    }
}

/// The library of the end-to-end sync tests: each song a CSV asks for,
/// next to its decoys (a live version, a cover by another artist, a
/// remix), with non-Latin titles and accents.
pub fn sync_library() -> Vec<TestSong> {
    vec![
        TestSong::new("Karma Police", "Radiohead", "OK Computer", 264),
        TestSong::new(
            "Karma Police - Live",
            "Radiohead",
            "Live at the Astoria",
            281,
        ),
        TestSong::new("Karma Police", "Scala & Kolacny Brothers", "Covers", 250),
        TestSong::new("Halo", "Beyoncé", "I Am... Sasha Fierce", 261),
        TestSong::new("Halo - Remix", "Beyoncé", "Remixes", 300),
        TestSong::new("Hoppípolla", "Sigur Rós", "Takk...", 268),
        TestSong::new(
            "戦場のメリークリスマス",
            "坂本龍一",
            "Merry Christmas Mr. Lawrence",
            281,
        ),
    ]
}

/// An Exportify CSV asking for four songs of [`sync_library`] (spelled
/// without accents or in other case) and one it lacks.
pub const SYNC_SOURCE_CSV: &str = "Track Name,Artist Name(s),Duration (ms),ISRC\n\
Karma Police,Radiohead,264000,GBAYE9700106\n\
HALO,Beyonce,261000,\n\
Hoppipolla,Sigur Ros,268000,\n\
戦場のメリークリスマス,坂本龍一,281000,\n\
Nonexistent Song,Nobody,100000,\n";

/// A temporary music folder of generated FLAC files.
pub struct MusicDir {
    dir: tempfile::TempDir,
    files: Vec<(TestSong, String)>,
}

impl MusicDir {
    /// Writes `songs`, one file each, as `NNNN.flac` under a folder per
    /// artist.
    pub fn new(songs: &[TestSong]) -> MusicDir {
        let dir = tempfile::tempdir().expect("a temp music dir");
        let mut files = Vec::new();
        for (i, song) in songs.iter().enumerate() {
            let folder = safe(&song.artist);
            std::fs::create_dir_all(dir.path().join(&folder)).expect("artist folder");
            let rel = format!("{folder}/{i:04}.flac");
            std::fs::write(dir.path().join(&rel), flac_bytes(song)).expect("write a FLAC file");
            files.push((song.clone(), rel));
        }
        MusicDir { dir, files }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The path of each song relative to the folder (MPD's URI), in the
    /// order given.
    pub fn uris(&self) -> Vec<String> {
        self.files.iter().map(|(_, u)| u.clone()).collect()
    }

    /// The relative path of the first song titled `title` by `artist`.
    pub fn uri_of(&self, title: &str, artist: &str) -> Option<String> {
        self.files
            .iter()
            .find(|(s, _)| s.title == title && s.artist == artist)
            .map(|(_, u)| u.clone())
    }

    /// The absolute path of a song by its relative path.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

/// A file-system-safe folder name.
fn safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.trim().is_empty() { "_".into() } else { s }
}

/// The bytes of one metadata-only FLAC file.
pub(crate) fn flac_bytes(song: &TestSong) -> Vec<u8> {
    const RATE: u64 = 8_000;
    let mut out = b"fLaC".to_vec();
    // STREAMINFO: block sizes 4096, frame sizes unknown, 8 kHz mono 16-bit.
    let mut info = Vec::with_capacity(34);
    info.extend(4096u16.to_be_bytes());
    info.extend(4096u16.to_be_bytes());
    info.extend([0u8; 6]);
    let samples = u64::from(song.duration_s) * RATE;
    // 20 bits rate | 3 bits channels-1 | 5 bits bps-1 | 36 bits samples.
    let channels_minus_one: u64 = 0;
    let packed: u64 =
        (RATE << 44) | (channels_minus_one << 41) | (15 << 36) | (samples & 0xF_FFFF_FFFF);
    info.extend(packed.to_be_bytes());
    info.extend([0u8; 16]); // MD5 unknown
    block(&mut out, 0, false, &info);

    let mut tags = vec![
        format!("TITLE={}", song.title),
        format!("ARTIST={}", song.artist),
        format!("ALBUM={}", song.album),
        "TRACKNUMBER=1".to_owned(),
    ];
    if let Some(isrc) = &song.isrc {
        tags.push(format!("ISRC={isrc}"));
    }
    let vendor = b"musync-testservers";
    let mut comment = Vec::new();
    comment.extend((vendor.len() as u32).to_le_bytes());
    comment.extend(vendor);
    comment.extend((tags.len() as u32).to_le_bytes());
    for t in &tags {
        comment.extend((t.len() as u32).to_le_bytes());
        comment.extend(t.as_bytes());
    }
    block(&mut out, 4, true, &comment);
    out
}

fn block(out: &mut Vec<u8>, kind: u8, last: bool, body: &[u8]) {
    out.push(if last { 0x80 | kind } else { kind });
    let len = body.len() as u32;
    out.extend(&len.to_be_bytes()[1..]);
    out.extend(body);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaminfo_carries_the_duration_and_the_comment_the_tags() {
        let bytes =
            flac_bytes(&TestSong::new("Jóga", "Björk", "Homogenic", 305).with_isrc("GBAAA9700001"));
        assert_eq!(&bytes[..4], b"fLaC");
        assert_eq!(bytes[4], 0, "STREAMINFO first, not last");
        let info = &bytes[8..42];
        let packed = u64::from_be_bytes(info[10..18].try_into().unwrap());
        assert_eq!(packed >> 44, 8_000);
        assert_eq!(packed & 0xF_FFFF_FFFF, 305 * 8_000);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("TITLE=Jóga") && text.contains("ISRC=GBAAA9700001"));
    }
}
