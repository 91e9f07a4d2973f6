//! One connection to MPD over TCP, reused across calls: the greeting, the
//! password, commands and command lists, with a timeout on every read. A
//! read that loses its connection is sent again once on a new one; a
//! change is never sent twice. A server that cannot be reached is
//! remembered for the rest of the run, so a command whose MPD went away
//! ends at once with one clear error.

use crate::protocol::{Ack, parse_ack, quote};
use musync_core::{ErrorKind, Secret, ServiceError};
use std::io;
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

/// Whether a call may be sent twice.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Read,
    Write,
}

/// Key/value lines of one answer.
pub(crate) type Pairs = Vec<(String, String)>;

struct Conn {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

enum Failure {
    Io(io::Error),
    Ack(Ack),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

impl Conn {
    async fn line(&mut self, timeout: Duration) -> Result<String, io::Error> {
        let mut line = String::new();
        let n = tokio::time::timeout(timeout, self.reader.read_line(&mut line))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "MPD did not answer in time"))??;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "MPD closed the connection",
            ));
        }
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }

    /// Sends `text` (one command or a command list) and reads to `OK`.
    async fn exchange(&mut self, text: &str, timeout: Duration) -> Result<Pairs, Failure> {
        self.writer.write_all(text.as_bytes()).await?;
        self.writer.flush().await?;
        let mut pairs = Vec::new();
        loop {
            let line = self.line(timeout).await?;
            if line == "OK" {
                return Ok(pairs);
            }
            if let Some(ack) = parse_ack(&line) {
                return Err(Failure::Ack(ack));
            }
            if line == "list_OK" {
                continue;
            }
            if let Some((k, v)) = line.split_once(": ") {
                pairs.push((k.to_owned(), v.to_owned()));
            }
        }
    }
}

/// The MPD client of one account.
pub(crate) struct MpdClient {
    host: String,
    port: u16,
    password: Option<Secret>,
    timeout: Duration,
    conn: tokio::sync::Mutex<Option<Conn>>,
    down: Mutex<Option<String>>,
    /// `MPD at HOST:PORT`, in every error.
    pub name: String,
    /// The command that signs in again, for hints.
    pub sign_in: String,
}

impl MpdClient {
    pub fn new(host: &str, port: u16, password: Option<Secret>, timeout: Duration) -> MpdClient {
        MpdClient {
            name: format!("MPD at {host}:{port}"),
            sign_in: format!(
                "musync accounts add mpd --host {host} --port {port} --password-stdin"
            ),
            host: host.to_owned(),
            port,
            password,
            timeout,
            conn: tokio::sync::Mutex::new(None),
            down: Mutex::new(None),
        }
    }

    fn unreachable(&self, op: &str, why: &str) -> ServiceError {
        ServiceError::new(
            ErrorKind::Unavailable,
            &self.name,
            op,
            format!("could not reach MPD: {why}"),
        )
        .with_temporary(false)
        .with_hint(format!(
            "check that mpd is running and listens on {}:{}, then run the command again \
                 (songs already added are not added twice)",
            self.host, self.port
        ))
    }

    fn ack_error(&self, op: &str, ack: &Ack) -> ServiceError {
        let said = format!("{} (MPD error {})", ack.message, ack.code);
        match ack.code {
            3 => ServiceError::new(ErrorKind::AuthExpired, &self.name, op, format!("MPD refused the password: {said}"))
                .with_hint(format!("check the password in mpd.conf, then sign in again: {}", self.sign_in)),
            4 => ServiceError::new(ErrorKind::AuthExpired, &self.name, op, format!("MPD wants a password for this: {said}"))
                .with_hint(format!("sign in again with the password from mpd.conf: {}", self.sign_in)),
            50 => ServiceError::new(ErrorKind::NotFound, &self.name, op, format!("not in MPD: {said}"))
                .with_hint("check the name with `musync playlists ACCOUNT`; songs must be in MPD's database (run `mpc update`)"),
            51 => ServiceError::new(ErrorKind::InvalidInput, &self.name, op, format!("the playlist is full: {said}"))
                .with_hint("raise max_playlist_length in mpd.conf"),
            _ => ServiceError::new(ErrorKind::Protocol, &self.name, op, format!("MPD refused the command: {said}")),
        }
    }

    async fn connect(&self, op: &str) -> Result<Conn, ServiceError> {
        let stream = tokio::time::timeout(
            self.timeout,
            TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| self.unreachable(op, "the connection timed out"))?
        .map_err(|e| self.unreachable(op, &e.to_string()))?;
        let (r, w) = stream.into_split();
        let mut conn = Conn {
            reader: BufReader::new(r),
            writer: w,
        };
        let greeting = conn
            .line(self.timeout)
            .await
            .map_err(|e| self.unreachable(op, &e.to_string()))?;
        if !greeting.starts_with("OK MPD ") {
            return Err(ServiceError::new(
                ErrorKind::Protocol,
                &self.name,
                op,
                "this is not an MPD server (no `OK MPD` greeting); check --host and --port",
            ));
        }
        if let Some(p) = &self.password {
            match conn
                .exchange(&format!("password {}\n", quote(p.expose())), self.timeout)
                .await
            {
                Ok(_) => {}
                Err(Failure::Ack(a)) => return Err(self.ack_error(op, &a)),
                Err(Failure::Io(e)) => return Err(self.unreachable(op, &e.to_string())),
            }
        }
        Ok(conn)
    }

    /// Runs `commands` (as a command list when more than one) and returns
    /// the answer's pairs.
    pub async fn call(
        &self,
        op: &str,
        commands: &[String],
        effect: Effect,
    ) -> Result<Pairs, ServiceError> {
        if let Some(why) = self.down.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return Err(self.unreachable(op, &why));
        }
        let text = if commands.len() == 1 {
            format!("{}\n", commands[0])
        } else {
            let mut t = String::from("command_list_begin\n");
            for c in commands {
                t.push_str(c);
                t.push('\n');
            }
            t.push_str("command_list_end\n");
            t
        };
        let mut guard = self.conn.lock().await;
        let mut fresh = false;
        loop {
            if guard.is_none() {
                match self.connect(op).await {
                    Ok(c) => *guard = Some(c),
                    Err(e) => {
                        if e.kind == ErrorKind::Unavailable {
                            *self.down.lock().unwrap_or_else(|p| p.into_inner()) = Some(
                                e.message
                                    .trim_start_matches("could not reach MPD: ")
                                    .to_owned(),
                            );
                        }
                        return Err(e);
                    }
                }
                fresh = true;
            }
            let conn = guard.as_mut().expect("connected above");
            match conn.exchange(&text, self.timeout).await {
                Ok(pairs) => return Ok(pairs),
                Err(Failure::Ack(a)) => return Err(self.ack_error(op, &a)),
                Err(Failure::Io(e)) => {
                    *guard = None;
                    // An idle connection MPD closed: a read is asked again
                    // on a new one; a change may have been applied.
                    if effect == Effect::Read && !fresh {
                        continue;
                    }
                    let why = format!("the connection was lost ({e})");
                    // A hung or vanished MPD: the rest of the run fails at once.
                    *self.down.lock().unwrap_or_else(|p| p.into_inner()) = Some(why.clone());
                    return Err(self.unreachable(op, &why));
                }
            }
        }
    }
}
