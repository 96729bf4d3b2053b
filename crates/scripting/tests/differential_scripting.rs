//! EVAL, EVALSHA, SCRIPT, FUNCTION and FCALL against Redis 7.4, byte for byte: conversions both
//! ways (RESP2 and RESP3), error texts with their script and line, the sandbox, the `redis`
//! object and the libraries.

#[path = "../../engine/tests/common/mod.rs"]
mod common;
use common::Session;
use playground_scripting::LuaRunner;

/// A session whose engine has the Lua runner, with the oracle's scripts and functions flushed.
fn session() -> Session {
    let mut s = Session::new();
    s.engine.set_script_runner(Box::new(LuaRunner::default()));
    s.run(&["SCRIPT", "FLUSH"]);
    s.run(&["FUNCTION", "FLUSH"]);
    s
}

#[test]
fn lua_values_become_replies() {
    let mut s = session();
    s.script(&[
        &["EVAL", "return 1", "0"],
        &["EVAL", "return 3.99", "0"],
        &["EVAL", "return -3.99", "0"],
        &["EVAL", "return 'hello'", "0"],
        &["EVAL", "return true", "0"],
        &["EVAL", "return false", "0"],
        &["EVAL", "return nil", "0"],
        &["EVAL", "return {1, 2, 3, 'x', {4, 5}, true, false}", "0"],
        &["EVAL", "return {1, 2, nil, 4}", "0"],
        &["EVAL", "return {}", "0"],
        &["EVAL", "return {ok='fine'}", "0"],
        &["EVAL", "return {err='My Error'}", "0"],
        &["EVAL", "return {err='ERR one\\ntwo'}", "0"],
        &["EVAL", "return redis.status_reply('PONG')", "0"],
        &["EVAL", "return redis.error_reply('MY bad')", "0"],
        &["EVAL", "return redis.error_reply('-X y')", "0"],
        &["EVAL", "return redis.error_reply('nocode')", "0"],
        &["EVAL", "return redis.error_reply(1)", "0"],
        &["EVAL", "return {1, {ok='inner'}, {err='E inner'}}", "0"],
        &[
            "EVAL",
            "return tostring(3) .. ' ' .. tostring(3/2) .. ' ' .. tostring(1e20) .. ' ' .. tostring(0.1)",
            "0",
        ],
        &["EVAL", "return tostring(2^53) .. ' ' .. tostring(-0.0)", "0"],
        &["EVAL", "return 1e300", "0"],
        &["EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "a", "b", "c", "d"],
        &["EVAL", "return ARGV", "0", "x", "y"],
        &["EVAL", "return _VERSION", "0"],
        &["EVAL", "return {unpack({1, 2, 3})}", "0"],
        &["EVAL", "return table.getn({1, 2, 3})", "0"],
        &["EVAL", "return string.format('%d %s %5.2f %x', 3, 'x', 1.234, 255)", "0"],
        &["EVAL", "return {string.find('hello world', 'o w')}", "0"],
        &["EVAL", "return (string.gsub('hello', 'l', 'L'))", "0"],
        &["EVAL", "return string.rep('ab', 3) .. string.upper('x') .. string.byte('A')", "0"],
        &["EVAL", "return math.floor(2.7) + math.max(1, 5)", "0"],
        &["EVAL", "return type(loadstring) .. type(unpack) .. type(setfenv) .. type(print)", "0"],
    ]);
}

#[test]
fn replies_become_lua_values() {
    let mut s = session();
    s.script(&[
        &["SET", "k", "v"],
        &["RPUSH", "l", "a", "b"],
        &["HSET", "h", "f", "1"],
        &["ZADD", "z", "1.5", "m"],
        &["EVAL", "return redis.call('GET', 'k')", "0"],
        &["EVAL", "return type(redis.call('GET', 'none'))", "0"],
        &["EVAL", "return redis.call('GET', 'none') == false", "0"],
        &["EVAL", "return redis.call('INCR', 'n')", "0"],
        &["EVAL", "return type(redis.call('INCR', 'n'))", "0"],
        &["EVAL", "return redis.call('LRANGE', 'l', 0, -1)", "0"],
        &["EVAL", "return redis.call('HGETALL', 'h')", "0"],
        &["EVAL", "return redis.call('ZSCORE', 'z', 'm')", "0"],
        &["EVAL", "return redis.call('SET', 'k2', 'v2')", "0"],
        &["EVAL", "local r = redis.call('SET', 'k2', 'v2') return r.ok", "0"],
        &["EVAL", "local r = redis.pcall('INCR', 'k') return r.err", "0"],
        &["EVAL", "return redis.pcall('INCR', 'k')", "0"],
        &["EVAL", "return redis.call('EXISTS', 'k', 'k2', 'none')", "0"],
        &["EVAL", "return redis.call('SET', 'num', 3.5)", "0"],
        &["EVAL", "redis.call('SET', 'num', 3) return redis.call('GET', 'num')", "0"],
        &["EVAL", "redis.call('SET', 'num', 1e15) return redis.call('GET', 'num')", "0"],
        &["EVAL", "redis.call('SET', 'num', 0.1) return redis.call('GET', 'num')", "0"],
        &["EVAL", "return redis.call('SET', 'num', true)", "0"],
        &["EVAL", "return redis.pcall('SET', 'num', {})", "0"],
        &["EVAL", "return redis.call()", "0"],
    ]);
}

#[test]
fn resp3_replies_in_scripts() {
    let mut s = session();
    s.script(&[
        &["HSET", "h", "f", "v"],
        &["SADD", "s", "only"],
        &["ZADD", "z", "2.5", "m"],
        &["EVAL", "redis.setresp(3) return redis.call('HGETALL', 'h')", "0"],
        &["EVAL", "redis.setresp(3) local r = redis.call('HGETALL', 'h') return r.map.f", "0"],
        &["EVAL", "redis.setresp(3) return redis.call('SMEMBERS', 's')", "0"],
        &["EVAL", "redis.setresp(3) local r = redis.call('ZSCORE', 'z', 'm') return tostring(r.double)", "0"],
        &["EVAL", "redis.setresp(3) return redis.call('ZSCORE', 'z', 'm')", "0"],
        &["EVAL", "redis.setresp(3) return type(redis.call('GET', 'none'))", "0"],
        &["EVAL", "redis.setresp(3) return true", "0"],
        &["EVAL", "redis.setresp(3) return false", "0"],
        &["EVAL", "return {double=3.5}", "0"],
        &["EVAL", "return {map={a=1}}", "0"],
        &["EVAL", "return {set={a=true}}", "0"],
        &["EVAL", "redis.setresp(4)", "0"],
        &["EVAL", "redis.setresp()", "0"],
    ]);
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["EVAL", "return {map={a=1}}", "0"],
        &["EVAL", "return {set={a=true}}", "0"],
        &["EVAL", "return {double=3.5}", "0"],
        &["EVAL", "return true", "0"],
        &["EVAL", "return false", "0"],
        &["EVAL", "return nil", "0"],
        &["EVAL", "redis.setresp(3) return true", "0"],
        &["EVAL", "redis.setresp(3) return redis.call('HGETALL', 'h')", "0"],
    ]);
}

/// RESP3 big numbers: a script's `{big_number=...}` (one line, as Redis makes it) and DEBUG
/// PROTOCOL BIGNUM seen by a script, for RESP2 and RESP3 clients and scripts.
#[test]
fn big_numbers() {
    let mut s = session();
    s.run(&["DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"]);
    let cases: &[&[&str]] = &[
        &["EVAL", "return {big_number='123\r\n123'}", "0"],
        &["EVAL", "return {big_number='-98765432109876543210'}", "0"],
        &["EVAL", "return redis.call('debug', 'protocol', 'bignum')", "0"],
        &["EVAL", "redis.setresp(3) return redis.call('debug', 'protocol', 'bignum')", "0"],
        &["EVAL", "redis.setresp(3) return redis.call('debug', 'protocol', 'bignum').big_number", "0"],
        &["EVAL", "return type(redis.call('debug', 'protocol', 'bignum'))", "0"],
        &["DEBUG", "PROTOCOL", "BIGNUM"],
    ];
    s.script(cases);
    s.run(&["HELLO", "3"]);
    s.script(cases);
    s.run(&["DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0"]);
}

#[test]
fn errors_name_the_script_and_line() {
    let mut s = session();
    s.script(&[
        &["SET", "str", "x"],
        &["EVAL", "error('boom')", "0"],
        &["EVAL", "\n\nerror('on line three')", "0"],
        &["EVAL", "error({err='CUSTOM table error'})", "0"],
        &["EVAL", "return redis.call('nosuch')", "0"],
        &["EVAL", "redis.call('nosuch')", "0"],
        &["EVAL", "return redis.call('GET')", "0"],
        &["EVAL", "return redis.call('INCR', 'str')", "0"],
        &["EVAL", "local x = 1\nreturn redis.call('INCR', 'str')", "0"],
        &["EVAL", "return redis.call('EVAL', 'return 1', '0')", "0"],
        &["EVAL", "return redis.call('MULTI')", "0"],
        &["EVAL", "return nil + 1", "0"],
        &["EVAL", "local t = nil\nreturn t.x", "0"],
        &["EVAL", "x = = 1", "0"],
        &["EVAL", "return 'unfinished", "0"],
        &["EVAL", "return pcall(redis.call, 'nosuch')", "0"],
        &["EVAL", "local ok, e = pcall(error, 'x') return {tostring(ok), e}", "0"],
        &["EVAL", "local ok, e = pcall(redis.call, 'INCR', 'str') return e", "0"],
        &["EVAL", "return redis.sha1hex()", "0"],
        &["EVAL", "return redis.log()", "0"],
        &["EVAL", "return redis.log('x', 'y')", "0"],
        &["EVAL", "return redis.log(9, 'y')", "0"],
        &["EVAL", "return 1", "-1"],
        &["EVAL", "return 1", "2", "a"],
        &["EVAL", "return 1", "x"],
        &["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"],
        &["EVALSHA", "short", "0"],
        &["EVAL", "#!lua\nreturn 1", "0"],
        &["EVAL", "#!lua flags=no-writes\nreturn redis.call('SET', 'a', 'b')", "0"],
        &["EVAL", "#!lua flags=bogus\nreturn 1", "0"],
        &["EVAL", "#!lua bogus=1\nreturn 1", "0"],
        &["EVAL", "#!python\nreturn 1", "0"],
        &["EVAL", "#!lua", "0"],
        &["EVAL", "#!lua\nerror('line two')", "0"],
        &["EVAL_RO", "return redis.call('SET', 'a', 'b')", "0"],
        &["EVAL_RO", "return redis.call('GET', 'str')", "0"],
        &["EVAL_RO", "#!lua\nreturn 1", "0"],
        &["EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"],
    ]);
}

#[test]
fn sandbox_refuses_globals() {
    let mut s = session();
    s.script(&[
        &["EVAL", "a = 5", "0"],
        &["EVAL", "return a", "0"],
        &["EVAL", "local a = 5 return a", "0"],
        &["EVAL", "redis = nil", "0"],
        &["EVAL", "return print", "0"],
        &["EVAL", "return dofile", "0"],
        &["EVAL", "function f() end", "0"],
        &["EVAL", "local function f() return 7 end return f()", "0"],
        &["EVAL", "return loadstring('return 1 + 1')()", "0"],
        &["EVAL", "return type(os.clock)", "0"],
        &["EVAL", "return os.time", "0"],
        &["EVAL", "return debug", "0"],
    ]);
}

#[test]
fn redis_object() {
    let mut s = session();
    s.script(&[
        &["EVAL", "return redis.sha1hex('')", "0"],
        &["EVAL", "return redis.sha1hex('Pizza & Mandolino')", "0"],
        &["EVAL", "return redis.sha1hex(12)", "0"],
        &["EVAL", "return redis.REDIS_VERSION", "0"],
        &["EVAL", "return redis.REDIS_VERSION_NUM", "0"],
        &["EVAL", "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "0"],
        &["EVAL", "return redis.log(redis.LOG_WARNING, 'hello')", "0"],
        &["EVAL", "return redis.replicate_commands()", "0"],
        &["EVAL", "return redis.breakpoint()", "0"],
        &["EVAL", "return redis.debug('x')", "0"],
        &["EVAL", "return redis.set_repl(redis.REPL_ALL)", "0"],
        &["EVAL", "return redis.set_repl(99)", "0"],
        &["EVAL", "redis.call('SELECT', 1) redis.call('SET', 'in1', 'x') return redis.call('DBSIZE')", "0"],
        &["DBSIZE"],
        &["SELECT", "1"],
        &["DBSIZE"],
        &["EVAL", "return redis.call('GET', 'in1')", "0"],
        &["SELECT", "0"],
    ]);
}

#[test]
fn cjson_and_bit() {
    let mut s = session();
    s.script(&[
        &["EVAL", "return cjson.encode({1, 2, 3})", "0"],
        &["EVAL", "return cjson.encode({a = 'x/y'})", "0"],
        &["EVAL", "return cjson.encode({})", "0"],
        &["EVAL", "return cjson.encode('a\"b\\\\c\\n')", "0"],
        &["EVAL", "return cjson.encode(3.5)", "0"],
        &["EVAL", "return cjson.encode(1e20)", "0"],
        &["EVAL", "return cjson.encode({true, false})", "0"],
        &["EVAL", "return cjson.encode({[1] = 1, [20] = 2})", "0"],
        &["EVAL", "return cjson.encode(function() end)", "0"],
        &["EVAL", "return cjson.decode('[1,2,3]')", "0"],
        &["EVAL", "return cjson.decode('{\"a\":[1,{\"b\":\"c\"}]}').a[2].b", "0"],
        &["EVAL", "return cjson.decode('\"\\\\u0041\"')", "0"],
        &["EVAL", "return cjson.decode('3.75') * 2", "0"],
        &["EVAL", "return type(cjson.decode('null'))", "0"],
        &["EVAL", "return cjson.decode('[1,2')", "0"],
        &["EVAL", "return cjson.decode('{\"a\" 1}')", "0"],
        &["EVAL", "return bit.band(0xff, 0x0f)", "0"],
        &["EVAL", "return bit.bor(1, 2, 4)", "0"],
        &["EVAL", "return bit.bxor(5, 3)", "0"],
        &["EVAL", "return bit.bnot(0)", "0"],
        &["EVAL", "return bit.lshift(1, 31)", "0"],
        &["EVAL", "return bit.rshift(-1, 28)", "0"],
        &["EVAL", "return bit.arshift(-256, 4)", "0"],
        &["EVAL", "return bit.rol(0x12345678, 8)", "0"],
        &["EVAL", "return bit.ror(0x12345678, 8)", "0"],
        &["EVAL", "return bit.bswap(0x12345678)", "0"],
        &["EVAL", "return bit.tobit(0xffffffff + 1)", "0"],
        &["EVAL", "return bit.tohex(255)", "0"],
        &["EVAL", "return bit.tohex(255, -4)", "0"],
        &["EVAL", "return bit.tohex(-1, 2)", "0"],
        &["EVAL", "return bit.tohex(65535, -2147483648)", "0"],
    ]);
}

#[test]
fn script_cache() {
    let mut s = session();
    s.script(&[
        &["SCRIPT", "LOAD", "return 'loaded'"],
        &["EVALSHA", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b", "0"],
        &["EVALSHA", "1B936E3FE509BCBC9CD0664897BBE8FD0CAC101B", "0"],
        &["EVALSHA_RO", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b", "0"],
        &[
            "SCRIPT",
            "EXISTS",
            "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b",
            "ffffffffffffffffffffffffffffffffffffffff",
        ],
        &["EVAL", "return 'by eval'", "0"],
        &["SCRIPT", "EXISTS", "a3b1c3bb9fc1f3a2d1f58a3f6e2c0d04e1d4bd3a"],
        &["SCRIPT", "LOAD", "return ="],
        &["SCRIPT", "LOAD", "#!lua flags=nope\nreturn 1"],
        &["SCRIPT", "FLUSH", "BOGUS"],
        &["SCRIPT", "FLUSH", "ASYNC"],
        &["SCRIPT", "EXISTS", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b"],
        &["EVALSHA", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b", "0"],
        &["SCRIPT", "FLUSH"],
        &["SCRIPT", "KILL"],
        &["FUNCTION", "KILL"],
        &["SCRIPT", "HELP"],
        &["SCRIPT", "BOGUS"],
        &["SCRIPT", "LOAD"],
        &["MULTI"],
        &["EVAL", "return redis.call('INCR', 'm')", "0"],
        &["EVAL", "return redis.call('INCR', 'm')", "0"],
        &["EXEC"],
    ]);
}

#[test]
fn functions() {
    let mut s = session();
    let lib = "#!lua name=mylib\nredis.register_function('hello', function(keys, args) return 'Hello ' .. (args[1] or 'nobody') end)\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='reads'}\nredis.register_function('setter', function(keys, args) return redis.call('SET', keys[1], args[1]) end)";
    s.script(&[
        &["FUNCTION", "LOAD", lib],
        &["FUNCTION", "LOAD", lib],
        &["FCALL", "hello", "0", "world"],
        &["FCALL", "hello", "0"],
        &["FCALL", "setter", "1", "k", "v"],
        &["FCALL", "ro", "1", "k"],
        &["FCALL_RO", "ro", "1", "k"],
        &["FCALL_RO", "setter", "1", "k", "v"],
        &["FCALL", "nosuch", "0"],
        &["FCALL", "hello", "-1"],
        &["FCALL", "hello", "5"],
    ]);
    // Redis lists a library's functions in its dict's order.
    s.same_unordered(&["FUNCTION", "LIST"]);
    s.same_unordered(&["FUNCTION", "LIST", "WITHCODE"]);
    s.same_unordered(&["FUNCTION", "LIST", "LIBRARYNAME", "my*"]);
    s.script(&[
        &["FUNCTION", "LIST", "LIBRARYNAME", "other*"],
        &["FUNCTION", "LIST", "LIBRARYNAME"],
        &["FUNCTION", "LIST", "BOGUS"],
        &["FUNCTION", "STATS"],
        &["FUNCTION", "LOAD", "REPLACE", "#!lua name=mylib\nredis.register_function('hello', function() return 2 end)"],
        &["FCALL", "hello", "0"],
        &["FCALL", "setter", "1", "k", "v"],
        &["FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('hello', function() return 3 end)"],
        &["FUNCTION", "LOAD", "return 1"],
        &["FUNCTION", "LOAD", "#!lua\nreturn 1"],
        &["FUNCTION", "LOAD", "#!lua name=x y=z\nreturn 1"],
        &["FUNCTION", "LOAD", "#!lua name=a name=b\nreturn 1"],
        &["FUNCTION", "LOAD", "#!lua name=bad-name\nreturn 1"],
        &["FUNCTION", "LOAD", "#!python name=x\nreturn 1"],
        &["FUNCTION", "LOAD", "#! name=x\nreturn 1"],
        &["FUNCTION", "LOAD", "REPLACE", "#!lua name=\"quoted\"\nredis.register_function('q1', function() return 1 end)"],
        &["FCALL", "Q1", "0"],
        &["FUNCTION", "DELETE", "QUOTED"],
        &["FUNCTION", "DELETE", "quoted"],
        &["FUNCTION", "LOAD", "#!lua name=empty\nlocal x = 1"],
        &["FUNCTION", "LOAD", "#!lua name=broken\nreturn ="],
        &["FUNCTION", "LOAD", "#!lua name=err\nerror('oops')"],
        &["FUNCTION", "LOAD", "#!lua name=call\nredis.call('SET', 'a', 'b')"],
        &["FUNCTION", "LOAD", "#!lua name=args\nredis.register_function('x')"],
        &["FUNCTION", "LOAD", "#!lua name=args\nredis.register_function{function_name='x', callback=function() end, flags={'bogus'}}"],
        &["FUNCTION", "LOAD", "#!lua name=args\nredis.register_function{function_name='x'}"],
        &["FUNCTION", "LOAD", "#!lua name=args\nredis.register_function('x', function() end)\nredis.register_function('x', function() end)"],
        &["FUNCTION", "LOAD", "BOGUS", "#!lua name=q\nredis.register_function('q', function() end)"],
        &["FUNCTION", "DELETE", "nosuch"],
        &["FUNCTION", "DELETE", "mylib"],
        &["FCALL", "hello", "0"],
        &["FUNCTION", "FLUSH", "BOGUS"],
        &["FUNCTION", "FLUSH"],
        &["FUNCTION", "LIST"],
        &["FUNCTION", "RESTORE", "bogus"],
    ]);
}

#[test]
fn function_dump_and_restore() {
    let mut s = session();
    s.run(&["FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function{function_name='f1', callback=function() return 1 end, flags={'no-writes'}}"]);
    // One library: the payload is the same bytes (with several, Redis writes them in its dict's order).
    s.same(&["FUNCTION", "DUMP"]);
    s.run(&["FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f2', function() return 2 end)"]);
    // Redis's payload restores here.
    let (dump, _) = s.both(&["FUNCTION", "DUMP"]);
    let payload = dump.as_bytes().expect("a payload").to_vec();
    s.script(&[&["FUNCTION", "FLUSH"], &["FUNCTION", "LIST"]]);
    let restore = |policy: &[&str]| {
        let mut cmd = vec![bytes::Bytes::from_static(b"FUNCTION"), bytes::Bytes::from_static(b"RESTORE")];
        cmd.push(bytes::Bytes::from(payload.clone()));
        cmd.extend(policy.iter().map(|p| bytes::Bytes::copy_from_slice(p.as_bytes())));
        cmd
    };
    s.same_bytes(&restore(&[]));
    // Both libraries exist now: Redis names the first it meets in its dict's order, which its
    // hash seed changes at each start, so either name is Redis's answer.
    let (theirs, ours) = s.both_frames(&restore(&[]));
    let clash = |f: &playground_engine::Frame| matches!(f, playground_engine::Frame::Error(e) if e == "ERR Library lib1 already exists" || e == "ERR Library lib2 already exists");
    assert!(clash(&theirs) && clash(&ours), "{theirs:?} / {ours:?}");
    s.same_bytes(&restore(&["REPLACE"]));
    s.same_bytes(&restore(&["FLUSH"]));
    s.same_bytes(&restore(&["BOGUS"]));
    s.same_bytes(&restore(&["FLUSH", "extra"]));
    let mut bad = payload.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    s.same_bytes(&[
        bytes::Bytes::from_static(b"FUNCTION"),
        bytes::Bytes::from_static(b"RESTORE"),
        bytes::Bytes::from(bad),
    ]);
    s.script(&[&["FCALL", "f1", "0"], &["FCALL", "f2", "0"], &["FCALL_RO", "f1", "0"]]);
    s.same_unordered(&["FUNCTION", "LIST"]);
}

#[test]
fn random_numbers() {
    let mut s = session();
    s.script(&[
        &["EVAL", "math.randomseed(42) return {math.random(100), math.random(100), math.random(5, 10)}", "0"],
        &["EVAL", "math.randomseed(7) return tostring(math.random())", "0"],
        &["EVAL", "return math.random(0)", "0"],
        &["EVAL", "math.randomseed(ARGV[1]) return tostring(math.random())", "0", "10"],
    ]);
}

#[test]
fn cmsgpack_and_cjson_settings() {
    let mut s = session();
    let hex = "local h = '' for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h";
    let packs = [
        "0.1",
        "1.5",
        "-1099511627776",
        "1",
        "200",
        "70000",
        "5000000000",
        "-5",
        "-100",
        "-1000",
        "-100000",
        "true",
        "nil",
        "'short'",
        "string.rep('x', 40)",
        "string.rep('x', 300)",
        "{1, 2, 3}",
        "{a = 1}",
        "{}",
    ];
    for p in packs {
        let script = format!("local e = cmsgpack.pack({p}) {hex}");
        s.same(&["EVAL", &script, "0"]);
    }
    s.script(&[
        &["EVAL", "local e = cmsgpack.pack(1, 'two', {3}) return {cmsgpack.unpack(e)}", "0"],
        &[
            "EVAL",
            "local e = cmsgpack.pack('a', 'b', 'c') local o, v = cmsgpack.unpack_one(e, 0) return {o, v}",
            "0",
        ],
        &[
            "EVAL",
            "local e = cmsgpack.pack('a', 'b') local o, v = cmsgpack.unpack_limit(e, 1, 2) return {o, v}",
            "0",
        ],
        &["EVAL", "return cmsgpack.unpack(cmsgpack.pack({a = {b = {1, 2}}})).a.b[2]", "0"],
        &["EVAL", "return cmsgpack.unpack('\\205')", "0"],
        &["EVAL", "cjson.encode_max_depth(1) return cjson.encode({{1}})", "0"],
        &["EVAL", "cjson.decode_max_depth(1) return cjson.decode('[[1]]')", "0"],
        &["EVAL", "return cjson.encode({0/0})", "0"],
        &["EVAL", "return {pcall(cjson.encode, {0/0})}", "0"],
    ]);
}

/// The `struct` library: every option, byte orders, alignment, wide and signed integers, the
/// `c0` and `s` strings, offsets, and each error. Binary results go through a hex encoder so the
/// replies compare as text.
#[test]
fn struct_library() {
    let mut s = session();
    let hex = "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end ";
    let packs = [
        "struct.pack('b', -1)",
        "struct.pack('B', 255)",
        "struct.pack('<h', -2)",
        "struct.pack('>H', 513)",
        "struct.pack('<i', 305419896)",
        "struct.pack('>i', -305419896)",
        "struct.pack('i2', 70000)",
        "struct.pack('>i3', 66051)",
        "struct.pack('<I10', 2^40 + 7)",
        "struct.pack('>i12', -5)",
        "struct.pack('l', -3)",
        "struct.pack('>L', 2^53)",
        "struct.pack('T', 42)",
        "struct.pack('<f', 1.5)",
        "struct.pack('>d', -0.1)",
        "struct.pack('d', 1/0)",
        "struct.pack('x')",
        "struct.pack('c3', 'abcdef')",
        "struct.pack('c0', 'xyz')",
        "struct.pack('s', 'hi')",
        "struct.pack('s', 12.5)",
        "struct.pack('!bd', 1, 2)",
        "struct.pack('!4bi bh', 1, 2, 3, 4)",
        "struct.pack('!2 b i', 1, 2)",
        "struct.pack('< b > h', 1, 2)",
        "struct.pack('b', '7')",
        "struct.pack('b', 300.7)",
        "struct.pack('')",
    ];
    let mut cmds: Vec<String> = packs.iter().map(|p| format!("{hex}return hex({p})")).collect();
    let others = [
        "return {struct.unpack('b', '\\255')}",
        "return {struct.unpack('B', '\\255')}",
        "return {struct.unpack('<h', '\\254\\255')}",
        "return {struct.unpack('>H', '\\2\\1')}",
        "return {struct.unpack('<i', struct.pack('<i', -7))}",
        "return {struct.unpack('>I3', '\\1\\2\\3')}",
        "return {struct.unpack('<i10', struct.pack('<i10', -9))}",
        "return {struct.unpack('l', struct.pack('l', -123456789012))}",
        "return tostring(struct.unpack('<f', struct.pack('<f', 0.1)))",
        "return tostring(struct.unpack('>d', struct.pack('>d', -2.25)))",
        "return {struct.unpack('c2c1', 'abc')}",
        "return {struct.unpack('bc0', '\\3abcd')}",
        "return {struct.unpack('c1c0', '2xyz')}",
        "return {struct.unpack('ss', 'ab\\0cd\\0')}",
        "return {struct.unpack('xb', '\\1\\2')}",
        "return {struct.unpack('b', 'abc', 2)}",
        "return {struct.unpack('b', 'abc', 3.9)}",
        "return {struct.unpack('!4bi', struct.pack('!4bi', 5, 6))}",
        "return {struct.unpack('', 'abc')}",
        "return {struct.unpack('', 'abc', -3)}",
        "return struct.size('bhilTfdx')",
        "return struct.size('!bd')",
        "return struct.size('!4bdc3i7')",
        "return struct.size('q')",
        "return struct.size('i32')",
        "return struct.size('s')",
        "return struct.size('c0')",
        "return struct.size('?')",
        "return struct.pack('q', 1)",
        "return struct.pack('i33', 1)",
        "return struct.pack('i99999999999', 1)",
        "return struct.pack('!3b', 1)",
        "return struct.pack('b')",
        "return struct.pack('b', 'x')",
        "return struct.pack('b', {})",
        "return struct.pack('c5', 'abc')",
        "return struct.pack('bc5', 1, 'abc')",
        "return struct.pack('s', nil)",
        "return struct.pack()",
        "return struct.pack(12)",
        "return struct.unpack('i', 'ab')",
        "return struct.unpack('b', 'a', 0)",
        "return struct.unpack('b', 'a', 2)",
        "return struct.unpack('b', 'a', -1)",
        "return struct.unpack('c0', 'abc')",
        "return struct.unpack('c1c0', 'xabc')",
        "return struct.unpack('bc0', '\\9ab')",
        "return struct.unpack('s', 'abc')",
        "return struct.unpack('z', 'abc')",
        "return struct.unpack('b')",
        "return pcall(struct.pack, 'q')",
    ];
    cmds.extend(others.iter().map(|c| c.to_string()));
    let script: Vec<[&str; 3]> = cmds.iter().map(|c| ["EVAL", c.as_str(), "0"]).collect();
    let script: Vec<&[&str]> = script.iter().map(|c| c.as_slice()).collect();
    s.script(&script);
}

/// SORT of a set BY a constant inside a script comes back in ALPHA order (a set's own order
/// would make the script's reply depend on the server), as it does outside only with STORE.
#[test]
fn sort_by_constant_is_ordered_in_scripts() {
    let mut s = session();
    s.script(&[
        &["DEL", "myset", "l"],
        &["SADD", "myset", "b", "aa", "c", "a", "azz", "10", "9"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_')", "1", "myset"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", "1", "myset"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_', 'desc', 'limit', '1', '3')", "1", "myset"],
        &["RPUSH", "l", "z", "b", "a"],
        &["EVAL", "return redis.call('sort', KEYS[1], 'by', '_')", "1", "l"],
        &["DEL", "myset", "l"],
    ]);
}

/// `redis.acl_check_cmd`: the calling user's rights on a command, its keys and channels; an
/// unknown command or bad arguments are errors. Functions see it too, loading code does not.
#[test]
fn acl_check_cmd() {
    let mut s = session();
    s.run(&["ACL", "DELUSER", "scripter"]);
    let setuser = [
        "ACL",
        "SETUSER",
        "scripter",
        "on",
        ">pw",
        "+@scripting",
        "+set",
        "+get",
        "+config|get",
        "+publish",
        "~x*",
        "&ch*",
    ];
    let lib = "#!lua name=acl\nredis.register_function('check', function(keys, argv) return redis.acl_check_cmd(unpack(argv)) end)";
    s.script(&[
        &setuser,
        &["EVAL", "return redis.acl_check_cmd('hset','yy','f',1)", "0"],
        &["FUNCTION", "LOAD", lib],
        &["AUTH", "scripter", "pw"],
        &["EVAL", "return redis.acl_check_cmd('set','xx',1)", "0"],
        &["EVAL", "return redis.acl_check_cmd('SeT','xx',1)", "0"],
        &["EVAL", "return redis.acl_check_cmd('hset','xx','f',1)", "0"],
        &["EVAL", "return redis.acl_check_cmd('set','yy',1)", "0"],
        &["EVAL", "return redis.acl_check_cmd('get', 5)", "0"],
        &["EVAL", "return redis.acl_check_cmd('get', 'x', 'extra')", "0"],
        &["EVAL", "return redis.acl_check_cmd('set')", "0"],
        &["EVAL", "return redis.acl_check_cmd('invalid-cmd','arg')", "0"],
        &["EVAL", "return redis.acl_check_cmd()", "0"],
        &["EVAL", "return redis.acl_check_cmd('set', {})", "0"],
        &["EVAL", "return redis.acl_check_cmd('set', 'x', nil)", "0"],
        &["EVAL", "return redis.acl_check_cmd('config','get','x')", "0"],
        &["EVAL", "return redis.acl_check_cmd('CONFIG','SET','x','y')", "0"],
        &["EVAL", "return redis.acl_check_cmd('config','nosuch')", "0"],
        &["EVAL", "return redis.acl_check_cmd('publish','ch1','m')", "0"],
        &["EVAL", "return redis.acl_check_cmd('publish','other','m')", "0"],
        &["EVAL", "return {pcall(redis.acl_check_cmd, 'nope')}", "0"],
        &["EVAL", "return {pcall(redis.acl_check_cmd)}", "0"],
        &["EVAL", "return type(redis.acl_check_cmd('get','x1'))", "0"],
        &["EVAL", "redis.setresp(3) return redis.acl_check_cmd('get','x1')", "0"],
    ]);
    s.run(&["HELLO", "3"]);
    s.same(&[
        "EVAL",
        "redis.setresp(3) return {redis.acl_check_cmd('get','x1'), redis.acl_check_cmd('get','y1')}",
        "0",
    ]);
    s.run(&["HELLO", "2"]);
    s.script(&[
        &["FCALL", "check", "0", "set", "xx", "1"],
        &["FCALL", "check", "0", "set", "yy", "1"],
        &["FCALL", "check", "0", "nope"],
        &["FUNCTION", "LOAD", "#!lua name=acl2\nreturn redis.acl_check_cmd('set','xx',1)"],
        &["AUTH", "default", "any"],
        &["EVAL", "return redis.acl_check_cmd('hset','yy','f',1)", "0"],
    ]);
    s.run(&["ACL", "DELUSER", "scripter"]);
}

/// INFO commandstats without timings, sorted (Redis prints them in its dict's order).
fn command_counts(reply: &playground_engine::Frame) -> Vec<String> {
    let text = match reply {
        playground_engine::Frame::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        other => format!("{other:?}"),
    };
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("cmdstat_"))
        .map(|l| l.split(',').filter(|f| !f.starts_with("usec")).collect::<Vec<_>>().join(","))
        .collect();
    lines.sort();
    lines
}

/// Errors inside scripts count once in errorstats: a command the script's `redis.call` ran
/// or the engine refused (OOM, read-only, ACL, unknown, arity: a rejected call) counts when
/// it happens, and the script's reply that carries it (`ignore_error_stats_update`) does not
/// count again; an error the script makes itself counts with the reply.
#[test]
fn script_errors_count_once() {
    let mut s = session();
    s.run(&["DEL", "Sicily", "x"]);
    let cases: &[&[&str]] = &[
        &["EVAL", "return redis.call('set','x','y')", "1", "x"],
        &["EVAL", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"],
        &["EVAL", "return redis.pcall('set','x','y')", "1", "x"],
        &["EVAL", "return redis.call('select',99)", "0"],
        &["EVAL", "local t = redis.pcall('select',99) return t['err']", "0"],
        &["EVAL", "local t = redis.pcall('select',99) return tostring(t.ignore_error_stats_update)", "0"],
        &["EVAL", "return {redis.pcall('select',99)}", "0"],
        &["EVAL", "error(redis.pcall('select',99))", "0"],
        &["EVAL", "return redis.error_reply('MY_ERR oops')", "0"],
        &["EVAL", "return {1, redis.error_reply('XERR y')}", "0"],
        &["EVAL", "return {redis.error_reply('A b'), {redis.pcall('select', 99)}}", "0"],
        &["EVAL", "return redis.call('nosuchcmd')", "0"],
        &["EVAL", "return redis.pcall('get')", "0"],
        &["EVAL", "return redis.call('get', {})", "0"],
        &["EVAL", "return redis.call('multi')", "0"],
        &["EVAL_RO", "return redis.call('set','x','y')", "1", "x"],
        &["EVAL_RO", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"],
        &["EVAL", "return redis.call('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo')", "1", "x"],
        &["FCALL", "fails", "0"],
    ];
    s.run(&["SET", "Sicily", "1"]);
    s.run(&["FUNCTION", "LOAD", "#!lua name=errs\nredis.register_function('fails', function() return redis.call('incr', 'Sicily2') end)"]);
    s.run(&["SET", "Sicily2", "a"]);
    for (i, case) in cases.iter().enumerate() {
        let oom = i < 3;
        s.run(&["CONFIG", "SET", "maxmemory", if oom { "1" } else { "0" }]);
        s.run(&["CONFIG", "RESETSTAT"]);
        s.same(case);
        s.run(&["CONFIG", "SET", "maxmemory", "0"]);
        s.same(&["INFO", "errorstats"]);
        let (a, b) = s.run(&["INFO", "commandstats"]);
        assert_eq!(command_counts(&a), command_counts(&b), "commandstats after {case:?}");
        let (a, b) = s.run(&["INFO", "stats"]);
        let field = |f| common::info_field(&f, "total_error_replies");
        assert_eq!(field(a), field(b), "total_error_replies after {case:?}");
    }
    s.run(&["DEL", "Sicily", "Sicily2", "x"]);
}

/// Scripts on a replica whose link is down: writes refused (READONLY, from `redis.call` and for
/// scripts without `no-writes`), and on a stale replica only `allow-stale` scripts and commands
/// flagged `stale`.
#[test]
fn scripts_on_a_replica() {
    /// Back to a primary whatever happened: the next session must not find a replica.
    struct Primary(Session);
    impl Drop for Primary {
        fn drop(&mut self) {
            self.0.run(&["REPLICAOF", "NO", "ONE"]);
            self.0.run(&["CONFIG", "SET", "replica-serve-stale-data", "yes"]);
        }
    }
    let mut guard = Primary(session());
    let s = &mut guard.0;
    s.script(&[
        &["SET", "k", "v"],
        &["REPLICAOF", "127.0.0.1", "1"],
        &["EVAL", "return redis.call('GET', 'k')", "0"],
        &["EVAL", "return redis.call('SET', 'k', 'x')", "0"],
        &["EVAL", "return redis.pcall('SET', 'k', 'x')", "0"],
        &["EVAL", "#!lua\nreturn 1", "0"],
        &["EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", "0"],
        &["CONFIG", "SET", "replica-serve-stale-data", "no"],
        &["EVAL", "return 1", "0"],
        &["EVAL", "#!lua flags=no-writes\nreturn 1", "0"],
        &["EVAL", "#!lua flags=no-writes,allow-stale\nreturn redis.call('GET', 'k')", "0"],
        &["EVAL", "#!lua flags=no-writes,allow-stale\nreturn redis.pcall('GET', 'k')", "0"],
        &["EVAL", "#!lua flags=no-writes,allow-stale\nreturn redis.call('PING')", "0"],
        &["CONFIG", "SET", "replica-serve-stale-data", "yes"],
        &["REPLICAOF", "NO", "ONE"],
    ]);
}
