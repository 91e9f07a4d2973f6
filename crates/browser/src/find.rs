//! Finding a Chromium-family browser: `MUSYNC_BROWSER` when set, else the
//! usual names on `PATH`, else the usual install locations.

use std::path::PathBuf;

/// The environment variable naming the browser executable.
pub const BROWSER_ENV: &str = "MUSYNC_BROWSER";

/// Names looked up on `PATH`, most likely first.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "brave-browser",
    "brave",
];

/// The browser to sign in with, if any.
pub fn find_browser() -> Option<PathBuf> {
    if let Ok(p) = std::env::var(BROWSER_ENV)
        && !p.trim().is_empty()
    {
        return Some(PathBuf::from(p.trim()));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let on_path = std::env::split_paths(&path).find_map(|dir| {
        NAMES.iter().find_map(|name| {
            [dir.join(name), dir.join(format!("{name}.exe"))]
                .into_iter()
                .find(|c| c.is_file())
        })
    });
    on_path.or_else(|| installed().into_iter().find(|p| p.is_file()))
}

/// Where macOS and Windows install these browsers.
fn installed() -> Vec<PathBuf> {
    let mut known: Vec<PathBuf> = [
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    for var in ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"] {
        if let Some(base) = std::env::var_os(var) {
            let base = PathBuf::from(base);
            for rel in [
                r"Google\Chrome\Application\chrome.exe",
                r"Microsoft\Edge\Application\msedge.exe",
                r"BraveSoftware\Brave-Browser\Application\brave.exe",
                r"Chromium\Application\chrome.exe",
            ] {
                known.push(base.join(rel));
            }
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_wins() {
        // The only test of this binary that touches the variable.
        unsafe { std::env::set_var(BROWSER_ENV, " /opt/x/chrome ") };
        assert_eq!(find_browser(), Some(PathBuf::from("/opt/x/chrome")));
        unsafe { std::env::remove_var(BROWSER_ENV) };
    }
}
