//! LOLWUT against Redis 7.4: the version line, and Schotter (VERSION 5) where it has no random
//! turns (its first two rows), byte for byte in RESP2 and RESP3, with the argument errors; the
//! random art's size and caption.

mod common;
use common::Session;

#[test]
fn lolwut_draws_like_redis() {
    for resp3 in [false, true] {
        let mut s = Session::new();
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        s.script(&[
            &["LOLWUT"],
            &["LOLWUT", "VERSION", "7"],
            &["LOLWUT", "VERSION", "4"],
            &["LOLWUT", "VERSION", "-1"],
            &["LOLWUT", "VERSION", "x"],
            &["LOLWUT", "VERSION"],
            &["LOLWUT", "x"],
            &["LOLWUT", "VERSION", "5", "10", "3", "2"],
            &["LOLWUT", "VERSION", "5", "33", "5", "1"],
            &["LOLWUT", "VERSION", "5", "1", "1", "1"],
            &["LOLWUT", "VERSION", "5", "0", "0", "0"],
            &["LOLWUT", "VERSION", "5", "2000", "300", "2"],
            &["LOLWUT", "VERSION", "5", "x"],
            &["LOLWUT", "VERSION", "5", "10", "x"],
            &["LOLWUT", "VERSION", "6", "x"],
            &["LOLWUT", "VERSION", "6", "10", "x"],
        ]);
        // The random pictures: Redis's caption, and as many lines and characters.
        for cmd in [&["LOLWUT", "VERSION", "5"][..], &["LOLWUT", "VERSION", "6", "30", "8"]] {
            let (theirs, ours) = s.both(cmd);
            let text = |f: &playground_engine::Frame| {
                String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned()
            };
            let (theirs, ours) = (text(&theirs), text(&ours));
            assert_eq!(ours.lines().count(), theirs.lines().count(), "{cmd:?}");
            // A braille character per 2x4 pixels, or a coloured space per pixel.
            let cells = |t: &str| {
                t.chars().filter(|c| ('\u{2800}'..='\u{28ff}').contains(c)).count()
                    + t.matches(" \x1b[0m").count()
            };
            assert_eq!(cells(&ours), cells(&theirs), "{cmd:?}");
            assert_eq!(ours.lines().last(), theirs.lines().last(), "{cmd:?}");
        }
    }
}
