//! Running the binary with a temporary data dir.

use std::path::{Path, PathBuf};
use std::process::Output;

/// A temp dir holding the data dir and the test's files.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub vars: Vec<(String, String)>,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            vars: vec![("MUSYNC_SECRET_BACKEND".into(), "file".into())],
        }
    }

    pub fn var(&mut self, k: &str, v: impl Into<String>) -> &mut Env {
        self.vars.push((k.into(), v.into()));
        self
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write test file");
        p
    }

    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("musync").expect("binary built");
        c.arg("--data-dir").arg(self.data_dir());
        c.args(args);
        c.env_remove("RUST_LOG");
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c.timeout(std::time::Duration::from_secs(120));
        c
    }

    /// Runs and returns the output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("musync ran")
    }

    /// Runs off the async runtime's thread (fakes keep serving meanwhile).
    pub async fn run_async(&self, args: &[&str]) -> Output {
        let mut cmd = self.cmd(args);
        tokio::task::spawn_blocking(move || cmd.output().expect("musync ran"))
            .await
            .expect("join")
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(o),
            stderr(o)
        )
    })
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read file")
}

/// Asserts a successful run and returns it.
#[track_caller]
pub fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(&o),
        stderr(&o)
    );
    o
}

/// Asserts that `secret` (and its hex form, as Subsonic's `p=enc:` sends
/// it) appears in no file of the data dir but the 0600 secret store, and
/// in none of `outputs`.
pub fn assert_secret_nowhere(env: &Env, secret: &str, outputs: &[&Output]) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("data dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_none_or(|n| n != "secrets.json") {
                out.push(p);
            }
        }
    }
    let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    let mut files = Vec::new();
    walk(&env.data_dir(), &mut files);
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).expect("read")).into_owned();
        assert!(
            !text.contains(secret) && !text.contains(&hex),
            "secret in {}",
            f.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let store = env.data_dir().join("secrets.json");
        if store.exists() {
            let mode = std::fs::metadata(&store)
                .expect("stat")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the secret store is private");
        }
    }
    for o in outputs {
        let all = format!("{}{}", stdout(o), stderr(o));
        assert!(
            !all.contains(secret) && !all.contains(&hex),
            "secret in output: {all}"
        );
    }
}
