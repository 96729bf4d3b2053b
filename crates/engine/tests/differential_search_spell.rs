//! FT.SPELLCHECK against RediSearch 2.10: suggestions within DISTANCE, their scores and order,
//! fields, phrases, tags, negations, stems, TERMS INCLUDE/EXCLUDE with FT.DICT dictionaries,
//! RESP2 and RESP3, errors.

mod common;

use common::Session;

#[test]
fn spellcheck() {
    let mut s = Session::new();
    s.script(&[
        &["FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "u", "TEXT", "NOSTEM", "g", "TAG", "n", "NUMERIC"],
        &["HSET", "d1", "t", "hello world running", "u", "helper"],
        &["HSET", "d2", "t", "helo wrld hello"],
        &["HSET", "d3", "t", "help yellow", "g", "hallo"],
        &["HSET", "d4", "t", "hellp hellq hella", "n", "3"],
        &["FT.DICTADD", "dd", "hellx", "wolrd", "hello", "helper"],
        &["FT.DICTADD", "ex", "yelow"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &["FT.SPELLCHECK", "idx", "hell wolrd"],
            &["FT.SPELLCHECK", "idx", "hell wolrd", "DISTANCE", "2"],
            &["FT.SPELLCHECK", "idx", "Hell wolrd", "distance", "2", "terms", "include", "dd"],
            &["FT.SPELLCHECK", "idx", "hell wolrd", "TERMS", "INCLUDE", "dd"],
            &["FT.SPELLCHECK", "idx", "hell wolrd", "TERMS", "EXCLUDE", "dd"],
            &["FT.SPELLCHECK", "idx", "yelow hell", "TERMS", "EXCLUDE", "ex", "TERMS", "INCLUDE", "dd"],
            &["FT.SPELLCHECK", "idx", "@u:helpr @t:helpr"],
            &["FT.SPELLCHECK", "idx", "@u:hellp", "TERMS", "INCLUDE", "dd"],
            &["FT.SPELLCHECK", "idx", "@n:hell"],
            &["FT.SPELLCHECK", "idx", "hello"],
            &["FT.SPELLCHECK", "idx", "xyzzy"],
            &["FT.SPELLCHECK", "idx", "runx", "DISTANCE", "2"],
            &["FT.SPELLCHECK", "idx", "runing", "DISTANCE", "4"],
            &["FT.SPELLCHECK", "idx", "hell -wolrd ~yelow @g:{hallp} \"wrdl help\" hel*"],
            &["FT.SPELLCHECK", "idx", "the"],
            &["FT.SPELLCHECK", "idx", "@t:(helo|yelo) wrl", "DIALECT", "2"],
            &["FT.SPELLCHECK", "idx", "hell", "DISTANCE", "5"],
            &["FT.SPELLCHECK", "idx", "hell", "DISTANCE", "0"],
            &["FT.SPELLCHECK", "idx", "hell", "DISTANCE", "x"],
            &["FT.SPELLCHECK", "idx", "hell", "DISTANCE"],
            &["FT.SPELLCHECK", "idx", "hell", "TERMS", "INCLUDE", "nodict"],
            &["FT.SPELLCHECK", "idx", "hell", "TERMS", "EXCLUDE", "nodict"],
            &["FT.SPELLCHECK", "idx", "hell", "TERMS"],
            &["FT.SPELLCHECK", "idx", "hell", "TERMS", "foo", "bar"],
            &["FT.SPELLCHECK", "idx", "hell", "DIALECT", "9"],
            &["FT.SPELLCHECK", "idx", "hell", "FOO"],
            &["FT.SPELLCHECK", "idx", "hell("],
            &["FT.SPELLCHECK", "idx"],
            &["FT.SPELLCHECK", "nope", "x"],
        ]);
    }
    s.run(&["HELLO", "2"]);
    s.script(&[
        &["FT.CREATE", "empty", "PREFIX", "1", "none:", "SCHEMA", "t", "TEXT"],
        &["FT.SPELLCHECK", "empty", "hell", "TERMS", "INCLUDE", "dd"],
    ]);
}
