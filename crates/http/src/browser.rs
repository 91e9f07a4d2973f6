//! Opening an address in the person's default browser, for sign-in flows
//! and the web wizard. Failing to open is never fatal: callers always print
//! the address too.

use std::process::{Command, Stdio};

/// Asks the platform's opener (`open`, `xdg-open`, Windows' URL handler) to
/// show `url`, without waiting for the browser.
pub fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut cmd = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        // rundll32 takes the URL as one argument; `cmd /c start` would split
        // it at every `&` of the query string.
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        Command::new("xdg-open")
    };
    let mut child = cmd
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reap the opener when it exits so it does not linger as a zombie.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
