//! Runs the fake TIDAL on its own for demos and manual testing:
//! `cargo run -p fake-tidal -- [--port P]`, then point musync at it with
//! the printed `MUSYNC_TIDAL_*` variables and sign in with
//! `--client-id musync-demo`; the approve page signs in as the demo user.

use fake_tidal::{DEMO_CLIENT_ID, FakeTidal};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let mut port = 8897u16;
    while let Some(a) = args.next() {
        match (a.as_str(), args.next().map(|v| v.parse::<u16>())) {
            ("--port", Some(Ok(p))) => port = p,
            _ => {
                eprintln!("usage: fake-tidal [--port P]   (default 8897)");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let fake = match FakeTidal::start_on(port).await {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let user = fake.load_demo();
    println!("fake TIDAL for user {user:?} (client id {DEMO_CLIENT_ID}):");
    println!("  export MUSYNC_TIDAL_API_URL={}", fake.api_url());
    println!("  export MUSYNC_TIDAL_LOGIN_URL={}", fake.login_url());
    println!("  export MUSYNC_TIDAL_AUTH_URL={}", fake.auth_url());
    println!("  musync accounts add tidal --client-id {DEMO_CLIENT_ID}");
    println!("Ctrl-C stops it.");
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}
