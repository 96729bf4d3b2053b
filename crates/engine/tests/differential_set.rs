//! Differential tests of the set commands against Redis 7.4.

mod common;
use common::Session;

#[test]
fn add_remove_membership_and_small_set_order() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "ds:a", "3", "1", "2", "10", "-5"],
        &["SMEMBERS", "ds:a"],
        &["SADD", "ds:a", "x", "7"],
        &["SMEMBERS", "ds:a"],
        &["SADD", "ds:b", "c", "a", "b", "a"],
        &["SMEMBERS", "ds:b"],
        &["SREM", "ds:b", "a", "zz"],
        &["SMEMBERS", "ds:b"],
        &["SADD", "ds:b", "a"],
        &["SMEMBERS", "ds:b"],
        &["SCARD", "ds:b"],
        &["SCARD", "ds:none"],
        &["SISMEMBER", "ds:b", "a"],
        &["SISMEMBER", "ds:b", "q"],
        &["SISMEMBER", "ds:none", "q"],
        &["SMISMEMBER", "ds:b", "a", "q", "c"],
        &["SMISMEMBER", "ds:none", "a"],
        &["SMEMBERS", "ds:none"],
        &["SREM", "ds:b", "a", "b", "c"],
        &["EXISTS", "ds:b"],
        &["SREM", "ds:none", "a"],
        &["SADD", "ds:n", "007", "7", "-0", "0", "9223372036854775808"],
        &["SMEMBERS", "ds:n"],
        &["SADD"],
        &["SADD", "ds:a"],
        &["SCARD"],
    ]);
}

#[test]
fn wrong_type_everywhere() {
    let mut s = Session::new();
    s.same(&["SET", "ds:str", "v"]);
    s.same(&["SADD", "ds:ok", "a"]);
    for cmd in [
        &["SADD", "ds:str", "a"][..],
        &["SREM", "ds:str", "a"],
        &["SISMEMBER", "ds:str", "a"],
        &["SMISMEMBER", "ds:str", "a"],
        &["SMEMBERS", "ds:str"],
        &["SCARD", "ds:str"],
        &["SPOP", "ds:str"],
        &["SPOP", "ds:str", "2"],
        &["SRANDMEMBER", "ds:str"],
        &["SRANDMEMBER", "ds:str", "2"],
        &["SMOVE", "ds:str", "ds:ok", "a"],
        &["SMOVE", "ds:ok", "ds:str", "a"],
        &["SINTER", "ds:ok", "ds:str"],
        &["SUNION", "ds:ok", "ds:str"],
        &["SDIFF", "ds:ok", "ds:str"],
        &["SINTERSTORE", "ds:d", "ds:ok", "ds:str"],
        &["SUNIONSTORE", "ds:d", "ds:str"],
        &["SDIFFSTORE", "ds:d", "ds:str"],
        &["SINTERCARD", "2", "ds:ok", "ds:str"],
        &["SSCAN", "ds:str", "0"],
    ] {
        s.same(cmd);
    }
}

#[test]
fn pop_and_random_members() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "ds:p", "a", "b", "c"],
        &["SPOP", "ds:none"],
        &["SPOP", "ds:none", "2"],
        &["SPOP", "ds:p", "-1"],
        &["SPOP", "ds:p", "x"],
        &["SPOP", "ds:p", "1", "2"],
        &["SPOP", "ds:p", "0"],
        &["SRANDMEMBER", "ds:none"],
        &["SRANDMEMBER", "ds:none", "3"],
        &["SRANDMEMBER", "ds:none", "-3"],
        &["SRANDMEMBER", "ds:p", "x"],
        &["SRANDMEMBER", "ds:p", "1", "2"],
        &["SRANDMEMBER", "ds:p", "-9223372036854775808"],
        &["SRANDMEMBER", "ds:p", "0"],
        &["SRANDMEMBER", "ds:p", "3"],
        &["SRANDMEMBER", "ds:p", "10"],
        &["SADD", "ds:i", "5", "3", "9"],
        &["SRANDMEMBER", "ds:i", "5"],
    ]);
    // Random picks: same shape, members drawn from the set.
    let (theirs, ours) = s.both(&["SRANDMEMBER", "ds:p", "-5"]);
    assert_eq!(common::canonical(&theirs).len(), common::canonical(&ours).len());
    let (_, ours) = s.both(&["SRANDMEMBER", "ds:p", "2"]);
    let playground_engine::Frame::Array(items) = ours else { panic!("array expected: {ours:?}") };
    assert_eq!(items.len(), 2);
    assert_ne!(items[0], items[1]);
    s.same(&["SCARD", "ds:p"]);
    let (t, o) = s.both(&["SPOP", "ds:p"]);
    assert!(matches!((&t, &o), (playground_engine::Frame::Bulk(_), playground_engine::Frame::Bulk(_))));
    s.same(&["SCARD", "ds:p"]);
    let (t, o) = s.both(&["SPOP", "ds:p", "1"]);
    assert_eq!(common::canonical(&t).len(), common::canonical(&o).len());
    s.same(&["SCARD", "ds:p"]);
    s.same(&["SPOP", "ds:i", "10"]);
    s.same(&["EXISTS", "ds:i"]);
}

#[test]
fn move_between_sets() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "ds:src", "a", "b"],
        &["SADD", "ds:dst", "z"],
        &["SMOVE", "ds:src", "ds:dst", "a"],
        &["SMOVE", "ds:src", "ds:dst", "nope"],
        &["SMOVE", "ds:none", "ds:dst", "a"],
        &["SMOVE", "ds:src", "ds:src", "b"],
        &["SMOVE", "ds:src", "ds:src", "q"],
        &["SMEMBERS", "ds:dst"],
        &["SMOVE", "ds:src", "ds:new", "b"],
        &["EXISTS", "ds:src"],
        &["SMEMBERS", "ds:new"],
    ]);
}

#[test]
fn algebra_and_stores() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "ds:x", "1", "2", "3", "4", "a", "b"],
        &["SADD", "ds:y", "4", "3", "b", "c"],
        &["SADD", "ds:z", "3", "1", "2"],
        &["SADD", "ds:w", "9", "3"],
        &["SINTER", "ds:x", "ds:y"],
        &["SINTER", "ds:y", "ds:x"],
        &["SINTER", "ds:x", "ds:z"],
        &["SINTER", "ds:x", "ds:none"],
        &["SINTER", "ds:x"],
        &["SUNION", "ds:x", "ds:y"],
        &["SUNION", "ds:z", "ds:w"],
        &["SUNION", "ds:w", "ds:y"],
        &["SUNION", "ds:none"],
        &["SDIFF", "ds:x", "ds:y"],
        &["SDIFF", "ds:y", "ds:x"],
        &["SDIFF", "ds:z", "ds:w"],
        &["SDIFF", "ds:none", "ds:x"],
        &["SINTERSTORE", "ds:out", "ds:x", "ds:y"],
        &["SMEMBERS", "ds:out"],
        &["SUNIONSTORE", "ds:out", "ds:z", "ds:w"],
        &["SMEMBERS", "ds:out"],
        &["SDIFFSTORE", "ds:out", "ds:x", "ds:y", "ds:z"],
        &["SMEMBERS", "ds:out"],
        &["SINTERSTORE", "ds:out", "ds:x", "ds:none"],
        &["EXISTS", "ds:out"],
        &["SET", "ds:s", "v"],
        &["SUNIONSTORE", "ds:s", "ds:z"],
        &["SMEMBERS", "ds:s"],
        &["SINTERCARD", "2", "ds:x", "ds:y"],
        &["SINTERCARD", "2", "ds:x", "ds:y", "LIMIT", "1"],
        &["SINTERCARD", "2", "ds:x", "ds:y", "LIMIT", "0"],
        &["SINTERCARD", "2", "ds:x", "ds:y", "limit", "10"],
        &["SINTERCARD", "1", "ds:none"],
        &["SINTERCARD", "0", "ds:x"],
        &["SINTERCARD", "x", "ds:x"],
        &["SINTERCARD", "-1", "ds:x"],
        &["SINTERCARD", "3", "ds:x", "ds:y"],
        &["SINTERCARD", "1", "ds:x", "LIMIT", "-1"],
        &["SINTERCARD", "1", "ds:x", "LIMIT"],
        &["SINTERCARD", "1", "ds:x", "FOO"],
        &["SINTERCARD", "1"],
    ]);
}

#[test]
fn sscan_small_sets() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "ds:sc", "alpha", "beta", "gamma", "apple"],
        &["SSCAN", "ds:sc", "0"],
        &["SSCAN", "ds:sc", "0", "MATCH", "a*"],
        &["SSCAN", "ds:sc", "0", "COUNT", "1"],
        &["SSCAN", "ds:sc", "0", "COUNT", "0"],
        &["SSCAN", "ds:sc", "0", "COUNT", "x"],
        &["SSCAN", "ds:sc", "x"],
        &["SSCAN", "ds:sc", "0", "FOO"],
        &["SSCAN", "ds:sc", "0", "MATCH"],
        &["SSCAN", "ds:none", "0"],
        &["SADD", "ds:si", "30", "10", "20"],
        &["SSCAN", "ds:si", "0", "MATCH", "*0"],
    ]);
}

#[test]
fn large_sets_compare_order_free() {
    let mut s = Session::new();
    let members: Vec<String> = (0..2000).map(|i| format!("m{i}")).collect();
    let ints: Vec<String> = (0..1000).map(|i| (i * 7 % 1000).to_string()).collect();
    let mut cmd = vec!["SADD", "ds:big"];
    cmd.extend(members.iter().map(String::as_str));
    s.same(&cmd);
    let mut cmd = vec!["SADD", "ds:bigint"];
    cmd.extend(ints.iter().map(String::as_str));
    s.same(&cmd);
    let mut cmd = vec!["SADD", "ds:mid"];
    cmd.extend(members.iter().step_by(3).map(String::as_str));
    cmd.extend(ints.iter().step_by(5).map(String::as_str));
    s.same(&cmd);
    s.same(&["SCARD", "ds:big"]);
    s.same_unordered(&["SMEMBERS", "ds:big"]);
    s.same_unordered(&["SMEMBERS", "ds:bigint"]);
    s.same_unordered(&["SINTER", "ds:big", "ds:mid"]);
    s.same_unordered(&["SUNION", "ds:bigint", "ds:mid"]);
    s.same_unordered(&["SDIFF", "ds:big", "ds:mid"]);
    s.same(&["SINTERCARD", "2", "ds:big", "ds:mid"]);
    s.same(&["SINTERCARD", "2", "ds:big", "ds:mid", "LIMIT", "100"]);
    s.same(&["SDIFFSTORE", "ds:o", "ds:big", "ds:mid"]);
    s.same_unordered(&["SMEMBERS", "ds:o"]);
    s.same_unordered(&["SRANDMEMBER", "ds:bigint", "5000"]);
}

#[test]
fn move_checks_types_in_redis_order() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "ds:str", "v"],
        &["SMOVE", "ds:none", "ds:str", "a"],
        &["SADD", "ds:src", "a"],
        &["SMOVE", "ds:src", "ds:str", "a"],
        &["SMOVE", "ds:src", "ds:str", "zz"],
        &["SADD", "ds:ints", "5", "1", "3"],
        &["SMOVE", "ds:src", "ds:ints", "a"],
        &["SMEMBERS", "ds:ints"],
        &["SINTERSTORE", "ds:ints", "ds:ints", "ds:ints"],
        &["SMEMBERS", "ds:ints"],
    ]);
}

#[test]
fn scan_of_a_large_set_visits_every_member() {
    let mut s = Session::new();
    let members: Vec<String> = (0..700).map(|i| format!("x{i}")).collect();
    let mut cmd = vec!["SADD", "ds:scan"];
    cmd.extend(members.iter().map(String::as_str));
    s.same(&cmd);
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor = "0".to_string();
    loop {
        let (_, ours) = s.both(&["SSCAN", "ds:scan", &cursor, "COUNT", "100"]);
        let playground_engine::Frame::Array(parts) = ours else { panic!("array expected") };
        let next = parts[0].as_bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        let playground_engine::Frame::Array(items) = &parts[1] else { panic!("array expected") };
        seen.extend(
            items.iter().filter_map(|m| m.as_bytes()).map(|b| String::from_utf8_lossy(b).into_owned()),
        );
        if next == "0" {
            break;
        }
        cursor = next;
    }
    assert_eq!(seen.len(), 700);
}
