//! Logs at TRACE level during sign-in, a session renewal and a full read
//! carry no cookie value, csrf token or access token.

use crate::util::Env;
use fake_amazon::Library;
use musync_core::{NoProgress, Service};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_of_a_full_read_hold_no_secret() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // With a single registered dispatcher, tracing decides a callsite's
    // interest from whichever thread reaches it first: another test's thread
    // (no subscriber) would switch it off for good. A second live dispatcher
    // makes tracing ask every registered one instead.
    let _second = tracing::Dispatch::new(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(std::io::sink)
            .finish(),
    );
    let _guard = tracing::subscriber::set_default(subscriber);

    let env = Env::start(Library::generated(450)).await;
    env.fake.rotate_csrf(); // forces a renewal through config.json
    let svc = env.service();
    for p in svc.playlists().await.unwrap() {
        svc.tracks(&p.id, &NoProgress).await.unwrap();
    }

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("request header"), "TRACE logs were captured");
    assert!(logs.contains("renewed"), "the renewal was logged");
    let secrets = env.fake.secret_values();
    assert!(secrets.len() >= 7);
    for secret in secrets {
        assert!(
            !logs.contains(&secret),
            "a secret value appears in the logs"
        );
    }
    // The stored config's values too (access token, csrf of the renewal).
    let config = env.store.get(&env.account.id, "config").unwrap().unwrap();
    let config: serde_json::Value = serde_json::from_str(config.expose()).unwrap();
    {
        let key = "accessToken";
        let v = config[key].as_str().unwrap();
        assert!(!logs.contains(v), "{key} appears in the logs");
    }
    let csrf = config["csrf"]["token"].as_str().unwrap();
    assert!(!logs.contains(csrf));
}

use musync_core::SecretStore;
