//! The binary on a pseudo terminal (its stdin, stdout and stderr are the
//! pty's other end, and it is the session leader with that terminal), so a
//! test can drive a prompt as a person does: read what it asks, type a line.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running musync on a pseudo terminal.
pub struct Pty {
    master: File,
    child: Child,
    screen: Arc<Mutex<String>>,
    /// How far [`Pty::expect`] has read.
    seen: usize,
}

fn open_pty() -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (-1, -1);
    // SAFETY: openpty writes two new descriptors into the given ints; the
    // name, termios and window size pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned here alone.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

impl Pty {
    /// Starts `musync --data-dir DATA ARGS` on a new pseudo terminal, with
    /// the environment variables `vars`.
    pub fn spawn(data: &std::path::Path, vars: &[(String, String)], args: &[&str]) -> Pty {
        let (master, slave) = open_pty();
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("musync"));
        c.arg("--data-dir").arg(data).args(args);
        c.env_remove("RUST_LOG").env("TERM", "dumb");
        for (k, v) in vars {
            c.env(k, v);
        }
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup the pty"));
        c.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec: a new
        // session, whose controlling terminal is the pty on stdin.
        unsafe {
            c.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = c.spawn().expect("musync starts on a pty");
        drop(slave);
        let master = File::from(master);
        let screen = Arc::new(Mutex::new(String::new()));
        let mut reader = master.try_clone().expect("dup the pty master");
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with EIO once the program exits and the pty closes.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Pty {
            master,
            child,
            screen,
            seen: 0,
        }
    }

    /// Waits until `text` appears after what was already expected, and
    /// returns the screen up to and including it.
    #[track_caller]
    pub fn expect(&mut self, text: &str) -> String {
        let started = Instant::now();
        loop {
            {
                let screen = self.screen.lock().unwrap();
                if let Some(at) = screen[self.seen..].find(text) {
                    let end = self.seen + at + text.len();
                    let shown = screen[self.seen..end].to_owned();
                    self.seen = end;
                    return shown;
                }
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!(
                    "waited a minute for {text:?}; the screen after the last match:\n{}",
                    &self.screen.lock().unwrap()[self.seen..]
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Types `line` and Enter.
    pub fn send_line(&mut self, line: &str) {
        self.master
            .write_all(format!("{line}\n").as_bytes())
            .expect("type into the pty");
    }

    /// Waits for the program to exit; returns its status and the whole screen.
    pub fn wait(mut self) -> (ExitStatus, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = self.child.kill();
                panic!(
                    "still running after a minute:\n{}",
                    self.screen.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        // Let the reader drain what is left.
        std::thread::sleep(Duration::from_millis(50));
        let screen = self.screen.lock().unwrap().clone();
        (status, screen)
    }
}
