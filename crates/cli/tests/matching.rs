//! `musync match`: JSON lines in, JSON lines out.

use crate::util::*;

#[test]
fn picks_the_same_recording_or_null() {
    let env = Env::new();
    let input = [
        r#"{"id":"a","source":{"title":"Halo","artist":"Beyoncé"},"candidates":[{"title":"Halo - Live","artist":"Beyoncé"},{"title":"Halo","artist":"Beyonce"}]}"#,
        r#"{"id":"b","source":{"title":"Halo","artist":"Beyoncé"},"candidates":[{"title":"Halo (Remix)","artist":"Beyoncé"}]}"#,
        "",
        r#"{"id":7,"source":{"title":"X","artist":"Y"},"candidates":[]}"#,
    ]
    .join("\n");
    let out = ok(env.cmd(&["match"]).write_stdin(input).output().unwrap());
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["id"], "a");
    assert_eq!(rows[0]["choice"], 1);
    assert!(rows[0]["score"].as_f64().unwrap() > 0.75);
    assert!(rows[1]["choice"].is_null());
    assert_eq!(rows[2]["id"], 7);
    assert!(rows[2]["choice"].is_null());
    for r in &rows {
        let s = r["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s));
    }
}

#[test]
fn a_bad_line_names_its_number() {
    let env = Env::new();
    let out = env.cmd(&["match"]).write_stdin("{\"id\":1,\"source\":{\"title\":\"a\",\"artist\":\"b\"},\"candidates\":[]}\nnot json\n").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
}
