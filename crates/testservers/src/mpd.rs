//! A private mpd on 127.0.0.1: its own config, database, playlist
//! directory and port in a temp dir, a null audio output, zeroconf off.
//! The first start scans the music folder by itself; readiness is the
//! greeting plus `stats` counting every song (never `idle`, which can
//! block forever after a scan that changed nothing).

use crate::{MusicDir, free_port, require, stop, wait_for_port};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running mpd, killed by its PID on drop.
pub struct Mpd {
    dir: tempfile::TempDir,
    port: u16,
    password: Option<String>,
    songs: usize,
    child: Option<Child>,
}

impl Mpd {
    /// Starts mpd over `music`; with `password`, clients must send it
    /// before anything else works.
    pub fn start(music: &MusicDir, password: Option<&str>) -> Mpd {
        require("mpd", "mpd");
        assert!(
            password.is_none_or(|p| !p.contains(['"', '\\', '@'])),
            "mpd.conf cannot hold this password"
        );
        let dir = tempfile::tempdir().expect("a temp dir for mpd");
        let d = dir.path();
        std::fs::create_dir_all(d.join("playlists")).expect("playlist dir");
        let port = free_port();
        let auth = match password {
            Some(p) => {
                format!("password \"{p}@read,add,control,admin\"\ndefault_permissions \"\"\n")
            }
            None => String::new(),
        };
        std::fs::write(
            d.join("mpd.conf"),
            format!(
                "music_directory \"{music}\"\nplaylist_directory \"{d}/playlists\"\n\
                 db_file \"{d}/database\"\nlog_file \"{d}/log\"\npid_file \"{d}/pid\"\n\
                 state_file \"{d}/state\"\nbind_to_address \"127.0.0.1\"\nport \"{port}\"\n\
                 auto_update \"no\"\nzeroconf_enabled \"no\"\n{auth}\
                 audio_output {{\n  type \"null\"\n  name \"null\"\n}}\n",
                music = music.path().display(),
                d = d.display(),
            ),
        )
        .expect("write mpd.conf");
        let mut m = Mpd {
            dir,
            port,
            password: password.map(str::to_owned),
            songs: music.uris().len(),
            child: None,
        };
        m.resume();
        m
    }

    /// The port it listens on (host 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory of its stored playlists (`NAME.m3u`).
    pub fn playlist_dir(&self) -> PathBuf {
        self.dir.path().join("playlists")
    }

    /// The temp dir holding its config, database and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Stops mpd (by PID): a server that went away.
    pub fn pause(&mut self) {
        if let Some(mut child) = self.child.take() {
            stop(&mut child);
        }
    }

    /// (Re)starts mpd on its port and waits until every song is indexed.
    pub fn resume(&mut self) {
        if self.child.is_some() {
            return;
        }
        let child = Command::new(require("mpd", "mpd"))
            .arg("--no-daemon")
            .arg(self.dir.path().join("mpd.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.dir.path().join("stderr")).expect("log"))
            .spawn()
            .unwrap_or_else(|e| panic!("could not start mpd ({e}); install the `mpd` package"));
        self.child = Some(child);
        let log = self.dir.path().join("log");
        wait_for_port(self.port, Duration::from_secs(20), "mpd", &log);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            let stats = self.command("stats").unwrap_or_default();
            let status = self.command("status").unwrap_or_default();
            let songs = stats
                .lines()
                .find_map(|l| l.strip_prefix("songs: "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if songs >= self.songs && !status.contains("updating_db") {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "mpd did not index {} songs in time; its log:\n{}",
            self.songs,
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// Sends one raw command (after the password, if any) and returns the
    /// response lines before `OK`; `None` on ACK or a connection failure.
    pub fn command(&self, command: &str) -> Option<String> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut writer = stream;
        let mut line = String::new();
        reader.read_line(&mut line).ok()?; // greeting
        let mut send = |cmd: &str| -> Option<String> {
            writeln!(writer, "{cmd}").ok()?;
            let mut out = String::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l).ok()? == 0 {
                    return None;
                }
                if l == "OK\n" {
                    return Some(out);
                }
                if l.starts_with("ACK ") {
                    return None;
                }
                out.push_str(&l);
            }
        };
        if let Some(p) = &self.password {
            send(&format!("password \"{p}\""))?;
        }
        send(command)
    }
}

impl Drop for Mpd {
    fn drop(&mut self) {
        self.pause();
    }
}
