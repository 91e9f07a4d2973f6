//! The redirect of a desktop sign-in (RFC 8252): a one-shot listener on
//! `127.0.0.1` that the browser comes back to with `?code=…&state=…`, and,
//! where the browser cannot reach it (another machine, SSH), the address
//! the browser ended on pasted on standard input. The listener is bound by
//! the caller before the address is shown, so the browser never comes back
//! to a port nobody listens on. `state` ties either answer to this sign-in;
//! any other answer is refused. Paths other than `/callback` (a browser's
//! `/favicon.ico`) get a 404 and are not an answer.

use musync_core::{ErrorKind, ServiceError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// What one answer (a loopback request or a pasted line) said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The authorization code.
    Code(String),
    /// A `state` other than this sign-in's.
    WrongState,
    /// The authorization server's `error` (`access_denied` …).
    Denied(String),
    /// Neither a code nor an error.
    Malformed,
}

/// Why a sign-in got no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The answer belongs to another sign-in.
    WrongState,
    /// The person or the service refused (the `error` parameter).
    Denied(String),
    /// The answer held no code.
    Malformed,
    /// Nobody answered in time.
    TimedOut(Duration),
}

impl Refusal {
    /// The error to report for `service`'s sign-in (`op`), whose redirect
    /// address is `redirect_uri`; `app_help` completes "check that …" with
    /// what to look at in the person's app registration.
    pub fn into_error(
        self,
        service: &str,
        op: &str,
        redirect_uri: &str,
        app_help: &str,
    ) -> ServiceError {
        let (kind, message) = match self {
            Refusal::WrongState => (
                ErrorKind::InvalidInput,
                "the answer does not belong to this sign-in (state mismatch); nothing was saved: \
                 start the sign-in again"
                    .to_owned(),
            ),
            Refusal::Denied(reason) if reason == "access_denied" => (
                ErrorKind::PermissionDenied,
                "the sign-in was cancelled in the browser (access_denied): musync needs you to \
                 allow access to read and update your playlists"
                    .to_owned(),
            ),
            Refusal::Denied(reason) => (
                ErrorKind::PermissionDenied,
                format!("{service} refused the sign-in ({reason}); check that {app_help}"),
            ),
            Refusal::Malformed => (
                ErrorKind::Protocol,
                "the answer held no sign-in code; start the sign-in again".to_owned(),
            ),
            Refusal::TimedOut(after) => {
                let message = format!(
                    "timed out after {} s waiting for the browser to come back to \
                     {redirect_uri}; start the sign-in again, and check that {app_help}",
                    after.as_secs().max(1)
                );
                let e = ServiceError::new(ErrorKind::Unavailable, service, op, message);
                return e.with_temporary(false);
            }
        };
        ServiceError::new(kind, service, op, message)
    }
}

/// Reads the answer from the query of the redirect address.
pub fn read_answer(query: &str, state: &str) -> Answer {
    let mut code = None;
    let mut got_state = None;
    let mut error = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "code" => code = Some(v.into_owned()),
            "state" => got_state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            _ => {}
        }
    }
    if got_state.as_deref() != Some(state) {
        Answer::WrongState
    } else if let Some(e) = error {
        Answer::Denied(e)
    } else if let Some(c) = code.filter(|c| !c.is_empty()) {
        Answer::Code(c)
    } else {
        Answer::Malformed
    }
}

/// The query of a pasted line: a full address, or just its `?…` part;
/// `None` for a line that is no answer (a stray Enter).
pub fn pasted_query(line: &str) -> Option<&str> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let query = match line.split_once('?') {
        Some((_, q)) => q,
        None => line,
    };
    let query = query.split('#').next().unwrap_or(query);
    (query.contains("code=") || query.contains("error=")).then_some(query)
}

/// Lines of standard input, read by one thread for the whole process (a
/// blocking read cannot be cancelled; the thread ends at end of input).
fn stdin_lines() -> &'static tokio::sync::Mutex<mpsc::UnboundedReceiver<String>> {
    static LINES: OnceLock<tokio::sync::Mutex<mpsc::UnboundedReceiver<String>>> = OnceLock::new();
    LINES.get_or_init(|| {
        let (tx, rx) = mpsc::unbounded_channel();
        let spawned = std::thread::Builder::new()
            .name("musync-oauth-paste".into())
            .spawn(move || {
                let mut line = String::new();
                while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                    if tx.send(std::mem::take(&mut line)).is_err() {
                        break;
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot read pasted addresses");
        }
        tokio::sync::Mutex::new(rx)
    })
}

/// What [`wait_for_code`] waits on.
pub struct WaitFor {
    /// The bound loopback listener; `None` when only a paste can answer.
    pub listener: Option<TcpListener>,
    /// Also take the final address pasted on standard input.
    pub accept_paste: bool,
    /// This sign-in's `state`.
    pub state: String,
    /// How long to wait.
    pub timeout: Duration,
    /// The service's display name, for the page the browser shows.
    pub service: &'static str,
}

/// The pages the browser shows after coming back.
struct Pages {
    ok: String,
}

const PAGE_DENIED: &str = "<!doctype html><meta charset=utf-8><title>musync</title>\
<h1>Sign-in cancelled</h1><p>musync was not given access. You can close this tab.</p>";
const PAGE_BAD: &str = "<!doctype html><meta charset=utf-8><title>musync</title>\
<h1>This sign-in answer was refused</h1><p>It does not belong to the sign-in musync is \
waiting for. Close this tab and start the sign-in again.</p>";

/// Waits for the first answer from the loopback listener or a pasted line,
/// until the time is up, and returns the code.
pub async fn wait_for_code(w: WaitFor) -> Result<String, Refusal> {
    let state = Arc::new(w.state);
    let pages = Arc::new(Pages {
        ok: format!(
            "<!doctype html><meta charset=utf-8><title>musync</title>\
             <h1>Signed in to {}</h1><p>You can close this tab and go back to musync.</p>",
            w.service
        ),
    });
    let (tx, mut rx) = mpsc::channel::<Answer>(4);
    let deadline = tokio::time::Instant::now() + w.timeout;
    let listener = w.listener;
    // Another sign-in already reading pastes keeps them; this one still
    // gets its loopback answer.
    let mut lines = if w.accept_paste {
        stdin_lines().try_lock().ok()
    } else {
        None
    };
    let settle = |answer: Answer| match answer {
        Answer::Code(c) => Ok(c),
        Answer::WrongState => Err(Refusal::WrongState),
        Answer::Denied(reason) => Err(Refusal::Denied(reason)),
        Answer::Malformed => Err(Refusal::Malformed),
    };
    loop {
        tokio::select! {
            accepted = async { listener.as_ref().expect("guarded").accept().await }, if listener.is_some() => {
                let Ok((stream, _)) = accepted else { continue };
                // One task per connection: a browser's idle pre-connection
                // must not hold up the real request.
                tokio::spawn(handle_connection(stream, state.clone(), pages.clone(), tx.clone()));
            }
            line = async { lines.as_mut().expect("guarded").recv().await }, if lines.is_some() => {
                match line {
                    None => lines = None, // end of input: the loopback may still answer
                    Some(line) => {
                        if let Some(q) = pasted_query(&line) {
                            return settle(read_answer(q, &state));
                        }
                    }
                }
            }
            Some(answer) = rx.recv() => return settle(answer),
            _ = tokio::time::sleep_until(deadline) => return Err(Refusal::TimedOut(w.timeout)),
        }
    }
}

async fn handle_connection(
    mut stream: TcpStream,
    state: Arc<String>,
    pages: Arc<Pages>,
    tx: mpsc::Sender<Answer>,
) {
    let Some(target) = read_request_target(&mut stream).await else {
        return;
    };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    if path != "/callback" {
        let _ = respond(
            &mut stream,
            "404 Not Found",
            "<!doctype html><title>Not found</title>",
        )
        .await;
        return;
    }
    let answer = read_answer(query, &state);
    let (status, page) = match &answer {
        Answer::Code(_) => ("200 OK", pages.ok.as_str()),
        Answer::Denied(_) => ("200 OK", PAGE_DENIED),
        Answer::WrongState | Answer::Malformed => ("400 Bad Request", PAGE_BAD),
    };
    let _ = respond(&mut stream, status, page).await;
    let _ = tx.send(answer).await;
}

/// Reads the request head and returns the target of a GET.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
            if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() > 16 * 1024 {
                return Some(());
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()??;
    let head = String::from_utf8_lossy(&buf);
    let line = head.lines().next()?;
    let mut parts = line.split_whitespace();
    if parts.next()? != "GET" {
        return None;
    }
    parts.next().map(str::to_owned)
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_addresses_are_read_with_their_state() {
        let q = pasted_query("  http://127.0.0.1:8898/callback?code=abc&state=s1\n").unwrap();
        assert_eq!(read_answer(q, "s1"), Answer::Code("abc".into()));
        assert_eq!(read_answer(q, "other"), Answer::WrongState);
        let q = pasted_query("?error=access_denied&state=s1").unwrap();
        assert_eq!(read_answer(q, "s1"), Answer::Denied("access_denied".into()));
        assert_eq!(read_answer("state=s1", "s1"), Answer::Malformed);
        assert!(pasted_query("\n").is_none());
        assert!(pasted_query("hello").is_none());
    }

    #[test]
    fn refusals_say_what_to_do() {
        let e = Refusal::TimedOut(Duration::from_millis(10)).into_error(
            "X",
            "signing in",
            "http://127.0.0.1:1/callback",
            "the app lists it",
        );
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(!e.temporary);
        assert!(
            e.message
                .starts_with("timed out after 1 s waiting for the browser to come back to http://127.0.0.1:1/callback"),
            "{}",
            e.message
        );
        assert!(e.message.ends_with("check that the app lists it"));
        let e = Refusal::Denied("invalid_scope".into()).into_error("X", "signing in", "u", "h");
        assert_eq!(
            e.message,
            "X refused the sign-in (invalid_scope); check that h"
        );
        let e = Refusal::WrongState.into_error("X", "signing in", "u", "h");
        assert!(e.message.contains("state mismatch") && e.message.contains("nothing was saved"));
    }

    #[tokio::test]
    async fn the_listener_answers_the_browser_and_hands_back_the_code() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let waiting = tokio::spawn(wait_for_code(WaitFor {
            listener: Some(listener),
            accept_paste: false,
            state: "s1".into(),
            timeout: Duration::from_secs(10),
            service: "Example",
        }));
        let get = |path: &str| {
            let url = format!("http://127.0.0.1:{port}{path}");
            async move {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
                let target = url.split_once(&format!("{port}")).unwrap().1.to_owned();
                stream
                    .write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
                    .await
                    .unwrap();
                let mut page = String::new();
                stream.read_to_string(&mut page).await.unwrap();
                page
            }
        };
        assert!(get("/favicon.ico").await.starts_with("HTTP/1.1 404"));
        let page = get("/callback?code=the-code&state=s1").await;
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains("Signed in to Example"), "{page}");
        assert_eq!(waiting.await.unwrap(), Ok("the-code".to_owned()));
    }
}
