//! A private supysonic (Debian's Subsonic server) on 127.0.0.1: its own
//! config, SQLite database and cache in a temp dir (supysonic reads
//! `./supysonic.conf`, so every command runs there with `HOME` pointing
//! there too), users made with `supysonic-cli`, the music folder scanned in
//! the foreground, then `supysonic-server` under waitress.

use crate::{MusicDir, free_port, require, stop, wait_for_port};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running supysonic, killed by its PID on drop.
pub struct Supysonic {
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl Supysonic {
    /// Starts a server over `music` with `users` (name, password); each
    /// user is an admin when named `admin`.
    pub fn start(music: &MusicDir, users: &[(&str, &str)]) -> Supysonic {
        require("supysonic-cli", "supysonic");
        require("supysonic-server", "supysonic");
        let dir = tempfile::tempdir().expect("a temp dir for supysonic");
        let d = dir.path().display();
        std::fs::write(
            dir.path().join("supysonic.conf"),
            format!(
                "[base]\ndatabase_uri = sqlite:///{d}/supysonic.db\n\
                 [webapp]\ncache_dir = {d}/cache\nmount_webui = off\nlog_file = {d}/web.log\nlog_level = WARNING\n\
                 [daemon]\nsocket = {d}/daemon.sock\nrun_watcher = no\n"
            ),
        )
        .expect("write supysonic.conf");
        let mut s = Supysonic {
            dir,
            port: free_port(),
            child: None,
        };
        // One Python process for every seeding command: under load each
        // `supysonic-cli` start costs a second.
        let music_path = music.path().display().to_string();
        let mut commands: Vec<Vec<&str>> = users
            .iter()
            .map(|(name, password)| vec!["user", "add", name, "-p", password])
            .collect();
        commands.push(vec!["folder", "add", "Music", &music_path]);
        commands.push(vec!["folder", "scan", "--foreground", "Music"]);
        s.cli_batch(&commands);
        s.resume();
        s
    }

    /// Runs `supysonic-cli ARGS` in the config dir; panics with its output
    /// on failure.
    fn cli(&self, args: &[&str]) {
        let out = Command::new(require("supysonic-cli", "supysonic"))
            .args(args)
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run supysonic-cli");
        assert!(
            out.status.success(),
            "supysonic-cli {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs several `supysonic-cli` commands in one Python process.
    fn cli_batch(&self, commands: &[Vec<&str>]) {
        require("supysonic-cli", "supysonic");
        let script = "import json, sys\n\
            from supysonic.cli import cli\n\
            from supysonic.config import IniConfig\n\
            from supysonic.db import init_database, release_database\n\
            config = IniConfig.from_common_locations()\n\
            init_database(config.BASE['database_uri'])\n\
            for args in json.loads(sys.argv[1]):\n    \
                cli.main(args=args, obj=config, standalone_mode=False)\n\
            release_database()\n";
        let quoted: Vec<String> = commands
            .iter()
            .map(|c| {
                let items: Vec<String> = c.iter().map(|a| json_string(a)).collect();
                format!("[{}]", items.join(","))
            })
            .collect();
        let out = Command::new("/usr/bin/python3")
            .args(["-c", script, &format!("[{}]", quoted.join(","))])
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run python3 for supysonic");
        assert!(
            out.status.success(),
            "seeding supysonic failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Adds a user (visible to the running server at once).
    pub fn add_user(&self, name: &str, password: &str) {
        self.cli(&["user", "add", name, "-p", password]);
    }

    /// The server's base address (`http://127.0.0.1:PORT`), without `/rest`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The temp dir holding its database and logs.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Stops the server (by PID), keeping its database: a server that went
    /// away. [`Supysonic::resume`] starts it again on the same port.
    pub fn pause(&mut self) {
        if let Some(mut child) = self.child.take() {
            stop(&mut child);
        }
    }

    /// (Re)starts the server on its port and waits until it answers.
    pub fn resume(&mut self) {
        if self.child.is_some() {
            return;
        }
        let log = self.dir.path().join("server.log");
        let child = Command::new(require("supysonic-server", "supysonic"))
            .args(["-S", "waitress", "--host", "127.0.0.1", "--port"])
            .arg(self.port.to_string())
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).expect("server log"))
            .stderr(std::fs::File::create(self.dir.path().join("server.err")).expect("log"))
            .spawn()
            .unwrap_or_else(|e| panic!("could not start supysonic-server ({e}); install `supysonic` and `python3-waitress`"));
        self.child = Some(child);
        wait_for_port(
            self.port,
            Duration::from_secs(20),
            "supysonic",
            &self.err_log(),
        );
        // Listening comes before the app answers; wait for a real answer.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if self
                .get("/rest/ping.view?u=_&p=_&v=1.10.2&c=ready&f=json")
                .is_some()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "supysonic did not answer /rest/ping; its log:\n{}",
            std::fs::read_to_string(self.err_log()).unwrap_or_default()
        );
    }

    fn err_log(&self) -> PathBuf {
        self.dir.path().join("server.err")
    }

    /// A raw GET (path with query) → the body, when the server answered 200.
    pub fn get(&self, path_and_query: &str) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        write!(
            s,
            "GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .ok()?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).ok()?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        let (head, body) = text.split_once("\r\n\r\n")?;
        head.starts_with("HTTP/1.1 200")
            .then(|| body.to_owned())
            .or_else(|| head.starts_with("HTTP/1.0 200").then(|| body.to_owned()))
    }
}

impl Drop for Supysonic {
    fn drop(&mut self) {
        self.pause();
    }
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
