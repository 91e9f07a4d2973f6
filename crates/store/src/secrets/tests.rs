//! Tests of secret storage: the file backend's permissions and round trips,
//! the backend choice, that no value ever reaches a log or `Debug`, and (with
//! a Secret Service running, see the crate docs) the keyring backend.

use super::*;
use musync_core::{AccountId, Secret};
use std::sync::Mutex;

const VALUE: &str = "sk-SUPER-secret-value-9f8e7d";

/// Collects everything logged while `f` runs (all levels, no colours).
fn capture_logs<T>(f: impl FnOnce() -> T) -> (T, String) {
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(buf.0.lock().expect("log buffer").clone()).expect("utf-8 logs");
    (out, text)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn acc(id: &str) -> AccountId {
    AccountId::new(id)
}

#[test]
fn file_store_is_private_and_round_trips() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("new-data-dir");
    let store = FileSecretStore::new(&dir);
    assert!(!dir.exists(), "nothing is created before a secret is set");
    assert_eq!(
        store.get(&acc("lastfm-a"), "session_key").expect("get"),
        None
    );

    store
        .set(&acc("lastfm-a"), "session_key", &Secret::new(VALUE))
        .expect("set");
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(store.path()), 0o600);
    }
    assert_eq!(
        store.get(&acc("lastfm-a"), "session_key").expect("get"),
        Some(Secret::new(VALUE))
    );
    assert_eq!(store.get(&acc("lastfm-a"), "other").expect("get"), None);
    assert_eq!(
        store.get(&acc("lastfm-b"), "session_key").expect("get"),
        None
    );

    // Replace; unicode and quotes survive.
    let v2 = "ünï\"cødé\n🔑";
    store
        .set(&acc("lastfm-a"), "session_key", &Secret::new(v2))
        .expect("replace");
    let again = FileSecretStore::new(&dir);
    assert_eq!(
        again
            .get(&acc("lastfm-a"), "session_key")
            .expect("get")
            .expect("present")
            .expose(),
        v2
    );
    #[cfg(unix)]
    assert_eq!(mode(store.path()), 0o600, "still private after a rewrite");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n != FileSecretStore::FILE)
        .collect();
    assert!(leftovers.is_empty(), "no temp files left: {leftovers:?}");
    assert_eq!(store.backend(), "file");
}

#[test]
fn file_store_delete_account_removes_all_its_secrets_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = FileSecretStore::new(tmp.path());
    let a = acc("amazon-A1");
    let b = acc("spotify-bob");
    store.set(&a, "cookies", &Secret::new("c1")).expect("set");
    store.set(&a, "csrf", &Secret::new("c2")).expect("set");
    store
        .set(&b, "refresh_token", &Secret::new("r1"))
        .expect("set");

    store.delete_account(&a).expect("delete");
    assert_eq!(store.get(&a, "cookies").expect("get"), None);
    assert_eq!(store.get(&a, "csrf").expect("get"), None);
    assert_eq!(
        store.get(&b, "refresh_token").expect("get"),
        Some(Secret::new("r1"))
    );
    let text = std::fs::read_to_string(store.path()).expect("read");
    assert!(
        !text.contains("amazon-A1") && !text.contains("c1"),
        "{text}"
    );
    store.delete_account(&a).expect("deleting again is fine");
    store
        .delete_account(&acc("never-existed"))
        .expect("unknown account is fine");
}

#[cfg(unix)]
#[test]
fn loose_permissions_are_fixed_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let store = FileSecretStore::new(tmp.path());
    store.set(&acc("a"), "k", &Secret::new(VALUE)).expect("set");
    std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).expect("loosen");
    let (got, logs) = capture_logs(|| store.get(&acc("a"), "k"));
    assert_eq!(got.expect("get"), Some(Secret::new(VALUE)));
    assert_eq!(mode(store.path()), 0o600);
    assert!(logs.contains("WARN") && logs.contains("now 0600"), "{logs}");
    assert!(!logs.contains(VALUE));
}

#[test]
fn corrupt_secrets_file_names_the_path_not_the_content_and_is_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = FileSecretStore::new(tmp.path());
    let broken = format!("{{\"version\": 1, \"accounts\": {{\"a\": {{\"k\": {VALUE}}}}}}}");
    std::fs::write(store.path(), &broken).expect("write");
    let err = store
        .set(&acc("a"), "k2", &Secret::new("new"))
        .expect_err("must refuse");
    let msg = err.to_string();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert!(msg.contains(&store.path().display().to_string()), "{msg}");
    assert!(msg.contains("line 1"), "{msg}");
    assert!(
        !msg.contains(VALUE) && !format!("{err:?}").contains(VALUE),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(store.path()).expect("read"),
        broken,
        "nothing written"
    );
    let err = store.get(&acc("a"), "k").expect_err("must refuse");
    assert!(!format!("{err:?}").contains(VALUE));
}

#[test]
fn secrets_file_from_a_newer_musync_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = FileSecretStore::new(tmp.path());
    std::fs::write(store.path(), r#"{"version": 7, "accounts": {}}"#).expect("write");
    let err = store.get(&acc("a"), "k").expect_err("newer");
    assert!(err.to_string().contains("newer musync"), "{err}");
}

#[test]
fn debug_and_logs_never_show_a_value() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (out, logs) = capture_logs(|| {
        let store = choose(tmp.path(), None, || {
            Err("no Secret Service in this test".into())
        });
        store
            .set(&acc("a"), "token", &Secret::new(VALUE))
            .expect("set");
        let got = store
            .get(&acc("a"), "token")
            .expect("get")
            .expect("present");
        tracing::info!(?got, "a secret passed through Debug");
        format!(
            "{got:?} {got} {:?} {:?} {:?}",
            FileSecretStore::new(tmp.path()),
            KeyringSecretStore::new(tmp.path()),
            store.backend()
        )
    });
    assert!(!out.contains(VALUE), "{out}");
    assert!(!logs.contains(VALUE), "{logs}");
    assert!(logs.contains("***"), "the Debug line was logged: {logs}");
    assert!(
        logs.contains("INFO") && logs.contains("backend=\"file\""),
        "choice logged: {logs}"
    );
    assert!(logs.contains("no Secret Service in this test"), "{logs}");
}

#[test]
fn choice_follows_the_probe_and_the_environment() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let probe_ok = || Ok(());
    let probe_fails = || Err("no bus".to_string());

    assert_eq!(choose(dir, None, probe_ok).backend(), "keyring");
    assert_eq!(choose(dir, None, probe_fails).backend(), "file");
    assert_eq!(choose(dir, Some(""), probe_fails).backend(), "file");

    // Forcing the file store never touches the keyring.
    let store = choose(dir, Some("file"), || -> Result<(), String> {
        panic!("the keyring must not be probed when the file store is forced")
    });
    assert_eq!(store.backend(), "file");
    assert_eq!(choose(dir, Some(" FILE "), probe_ok).backend(), "file");

    // Forcing the keyring keeps it even when it does not work, with a warning.
    let (store, logs) = capture_logs(|| choose(dir, Some("keyring"), probe_fails));
    assert_eq!(store.backend(), "keyring");
    assert!(logs.contains("WARN") && logs.contains("no bus"), "{logs}");

    // An unknown value is ignored with a warning.
    let (store, logs) = capture_logs(|| choose(dir, Some("vault"), probe_fails));
    assert_eq!(store.backend(), "file");
    assert!(
        logs.contains("ignoring MUSYNC_SECRET_BACKEND=\"vault\""),
        "{logs}"
    );
}

/// Needs a Secret Service; run with the command in the crate docs.
#[test]
#[ignore = "needs a Secret Service: see the musync-store crate docs"]
fn keyring_store_round_trip_and_delete_account() {
    KeyringSecretStore::probe().expect("a working Secret Service");
    let tmp = tempfile::tempdir().expect("tmp");
    let store = KeyringSecretStore::new(tmp.path());
    let nonce = std::process::id();
    let a = acc(&format!("musync-test-a-{nonce}"));
    let b = acc(&format!("musync-test-b-{nonce}"));

    assert_eq!(store.get(&a, "session_key").expect("get"), None);
    store
        .set(&a, "session_key", &Secret::new(VALUE))
        .expect("set");
    store
        .set(&a, "cookies", &Secret::new("ünï 🍪"))
        .expect("set");
    store
        .set(&b, "token", &Secret::new("b-token"))
        .expect("set");
    assert_eq!(
        store.get(&a, "session_key").expect("get"),
        Some(Secret::new(VALUE))
    );
    store
        .set(&a, "session_key", &Secret::new("v2"))
        .expect("replace");
    assert_eq!(
        store.get(&a, "session_key").expect("get"),
        Some(Secret::new("v2"))
    );
    assert_eq!(
        store.get(&a, "cookies").expect("get"),
        Some(Secret::new("ünï 🍪"))
    );

    // The index holds names, never values.
    let index_path = tmp.path().join(KeyringSecretStore::INDEX_FILE);
    let index = std::fs::read_to_string(&index_path).expect("index");
    assert!(index.contains("session_key") && index.contains("cookies"));
    assert!(!index.contains(VALUE) && !index.contains("v2") && !index.contains("🍪"));
    #[cfg(unix)]
    assert_eq!(mode(&index_path), 0o600);

    store.delete_account(&a).expect("delete");
    assert_eq!(store.get(&a, "session_key").expect("get"), None);
    assert_eq!(store.get(&a, "cookies").expect("get"), None);
    assert_eq!(
        store.get(&b, "token").expect("get"),
        Some(Secret::new("b-token"))
    );
    store.delete_account(&b).expect("clean up");
    assert_eq!(store.get(&b, "token").expect("get"), None);
}

/// Needs a Secret Service; run with the command in the crate docs.
#[test]
#[ignore = "needs a Secret Service: see the musync-store crate docs"]
fn keyring_is_chosen_when_a_secret_service_works() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (store, logs) = capture_logs(|| choose(tmp.path(), None, KeyringSecretStore::probe));
    assert_eq!(store.backend(), "keyring", "{logs}");
    assert!(logs.contains("using the OS keyring"), "{logs}");
}
