//! A database lost while the secret store still holds an account's
//! secrets (issue 11): `accounts list` reports them, by name, with how to
//! clear them; `accounts remove` clears them.

use crate::spotify::sign_in;
use crate::util::*;
use fake_spotify::{AuthorizeMode, FakeSpotify};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_of_an_account_the_database_lost_are_reported_and_can_be_removed() {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    let secrets_path = env.data_dir().join("secrets.json");
    let stored: serde_json::Value = serde_json::from_str(&read(&secrets_path)).unwrap();
    let values: Vec<String> = stored["accounts"][&id]
        .as_object()
        .expect("the account's secrets are stored")
        .values()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert!(!values.is_empty());

    // musync.db becomes a 0-byte file (a restore gone wrong).
    for f in ["musync.db-wal", "musync.db-shm"] {
        let _ = std::fs::remove_file(env.data_dir().join(f));
    }
    std::fs::write(env.data_dir().join("musync.db"), b"").unwrap();

    let list = ok(env.run(&["accounts", "list", "--json"]));
    assert_eq!(json(&list), serde_json::json!([]), "the contract's shape");
    let err = stderr(&list);
    assert!(err.contains(&format!("account {id}")), "{err}");
    assert!(err.contains("secrets.json"), "{err}");
    assert!(
        err.contains(&format!("musync accounts remove {id}")),
        "{err}"
    );
    assert!(err.contains("musync accounts add spotify"), "{err}");
    let plain = ok(env.run(&["accounts", "list"]));
    assert!(stderr(&plain).contains(&format!("account {id}")));
    for v in &values {
        assert!(!err.contains(v.as_str()) && !stderr(&plain).contains(v.as_str()));
    }

    let removed = ok(env.run(&["accounts", "remove", &id]));
    assert!(
        stderr(&removed).contains("removed the secrets"),
        "{}",
        stderr(&removed)
    );
    let after = read(&secrets_path);
    assert!(!after.contains(&id), "{after}");
    for v in &values {
        assert!(!after.contains(v.as_str()));
    }
    let list = ok(env.run(&["accounts", "list"]));
    assert!(!stderr(&list).contains("warning"), "{}", stderr(&list));
    // A second remove knows nothing of it any more.
    let again = env.run(&["accounts", "remove", &id]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains(&format!("no account `{id}`")));
}
