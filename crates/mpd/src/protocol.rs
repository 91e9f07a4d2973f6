//! The MPD text protocol: quoting arguments, filter expressions, reading
//! `key: value` lines up to `OK`, and `ACK [code@index] {command} message`.

/// An argument in double quotes, `"` and `\` escaped.
pub(crate) fn quote(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len() + 2);
    out.push('"');
    for c in arg.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `(TAG OP "value")` with the value quoted inside the expression (which
/// is then quoted again as one argument).
pub(crate) fn filter(tag: &str, op: &str, value: &str) -> String {
    quote(&format!("({tag} {op} {})", quote(value)))
}

/// An error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ack {
    /// MPD's error code (3 wrong password, 4 permission, 50 no such thing).
    pub code: u32,
    /// The server's words.
    pub message: String,
}

/// Parses `ACK [50@0] {listplaylist} No such playlist`.
pub(crate) fn parse_ack(line: &str) -> Option<Ack> {
    let rest = line.strip_prefix("ACK [")?;
    let (code, rest) = rest.split_once('@')?;
    let message = rest.split_once("} ").map_or(rest, |(_, m)| m);
    Some(Ack {
        code: code.parse().ok()?,
        message: message.trim().to_owned(),
    })
}

/// One song of a response (`file:` starts a new one).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Song {
    pub file: String,
    pub title: Option<String>,
    pub artists: Vec<String>,
    pub album: Option<String>,
    pub duration: Option<f64>,
}

/// The songs in `key: value` pairs (directories and playlists skipped).
pub(crate) fn songs(pairs: &[(String, String)]) -> Vec<Song> {
    let mut out: Vec<Song> = Vec::new();
    let mut in_song = false;
    for (k, v) in pairs {
        match k.as_str() {
            "file" => {
                out.push(Song {
                    file: v.clone(),
                    ..Song::default()
                });
                in_song = true;
            }
            "directory" | "playlist" => in_song = false,
            _ if !in_song => {}
            "Title" => out.last_mut().expect("in a song").title = Some(v.clone()),
            "Artist" => out.last_mut().expect("in a song").artists.push(v.clone()),
            "Album" => out.last_mut().expect("in a song").album = Some(v.clone()),
            "duration" => out.last_mut().expect("in a song").duration = v.parse().ok(),
            "Time" => {
                let s = out.last_mut().expect("in a song");
                if s.duration.is_none() {
                    s.duration = v.parse().ok();
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_filters() {
        assert_eq!(quote(r#"Sync "x" \ y"#), r#""Sync \"x\" \\ y""#);
        assert_eq!(
            filter("title", "contains", "Jóga"),
            r#""(title contains \"Jóga\")""#
        );
        assert_eq!(
            filter("title", "==", r#"a"b"#),
            r#""(title == \"a\\\"b\")""#
        );
    }

    #[test]
    fn acks_and_songs_are_read() {
        assert_eq!(
            parse_ack("ACK [50@0] {listplaylist} No such playlist"),
            Some(Ack {
                code: 50,
                message: "No such playlist".into()
            })
        );
        assert_eq!(parse_ack("OK"), None);
        let pairs: Vec<(String, String)> = [
            ("directory", "Björk"),
            ("file", "Björk/0001.flac"),
            ("Title", "Jóga"),
            ("Artist", "Björk"),
            ("Time", "305"),
            ("duration", "305.000"),
            ("file", "x.flac"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let s = songs(&pairs);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].title.as_deref(), Some("Jóga"));
        assert_eq!(s[0].duration, Some(305.0));
        assert_eq!(s[1].title, None);
    }
}
