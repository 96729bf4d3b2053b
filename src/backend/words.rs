//! Plain words for what goes wrong on the way to a real Redis, and notes for the replies a
//! learner would otherwise misread (a real server without the search module answers
//! `unknown command 'FT.SEARCH'`: say so rather than pretend).

/// Why a WebSocket closed, in words, from its close code (RFC 6455 and the proxy's own).
pub fn close_reason(url: &str, code: u16, reason: &str, was_open: bool) -> String {
    let tail = if reason.is_empty() { String::new() } else { format!(": {reason}") };
    match code {
        1000 => format!("the proxy closed the connection{tail}"),
        1007 => format!("the proxy rejected a malformed command and closed the connection{tail}"),
        1008 => format!("too many commands in one message for the proxy (close code 1008){tail}"),
        1009 => format!("a command was larger than the proxy accepts (close code 1009){tail}"),
        4000 => "the proxy closed the connection after it sat idle; the next command reconnects".into(),
        _ if !was_open => format!(
            "cannot reach the proxy at {url}: is `playground-proxy serve` running, and does it allow \
             this page's origin and token? (WebSocket closed with code {code})"
        ),
        _ => format!("the connection to the proxy at {url} was lost (close code {code}){tail}"),
    }
}

/// A note under an error reply from the real server, when the error has a likely cause the
/// learner should hear in words. `None` when the error speaks for itself.
pub fn explain_error(error: &str) -> Option<String> {
    let upper = error.to_ascii_uppercase();
    if let Some(rest) = error.strip_prefix("ERR unknown command '") {
        let name = rest.split('\'').next().unwrap_or_default();
        let known = playground_engine::cmd::lookup(&name.to_ascii_lowercase()).is_some();
        if name.to_ascii_uppercase().starts_with("FT.") {
            let emulator = if known { " The in-browser emulator has it." } else { "" };
            return Some(format!(
                "this server has no search module: {name} needs RediSearch (Redis Stack, Redis 8, or \
                 Azure Managed Redis with the RediSearch module).{emulator}"
            ));
        }
        if known {
            return Some(format!("the real server does not have {name}, though the in-browser emulator does (an older version or a missing module)"));
        }
        let guess = nearest_command(&name.to_ascii_lowercase(), REDIS_74_COMMANDS.split_ascii_whitespace())
            .filter(|_| !is_redis_command(name))
            .map(|near| format!("; did you mean {}?", near.to_ascii_uppercase()))
            .unwrap_or_default();
        return Some(format!("neither the real server nor the emulator knows {name}{guess}"));
    }
    if upper.starts_with("WRONGPASS")
        || upper.starts_with("NOAUTH")
        || upper.contains("REJECTED THE PROXY'S CREDENTIALS")
    {
        return Some("authentication failed: the proxy's Redis password, access key or Entra token was refused. Fix it where the proxy runs (the page never holds a password).".into());
    }
    if upper.contains("TLS HANDSHAKE") || upper.contains("CERTIFICATE") {
        return Some("the TLS connection from the proxy to Redis failed: check the rediss:// host and port, and the certificate it presents.".into());
    }
    if upper.contains("CANNOT REACH REDIS") {
        return Some("the proxy is running but cannot reach Redis: check the server address the proxy was started with.".into());
    }
    if upper.contains("DID NOT ANSWER WITHIN") {
        return Some("Redis is slow or unreachable from the proxy.".into());
    }
    if error.starts_with("ERR playground-proxy:") {
        return Some("this is the proxy's policy, not Redis: the command never reached the server.".into());
    }
    None
}

/// Redis 7.4's command names with RediSearch's and RedisJSON's, lowercase (`COMMAND LIST` on
/// Redis Stack 7.4 with both modules, RediSearch's internal `ft._*` left out but `ft._list`): what a
/// learner may have read about and typed.
const REDIS_74_COMMANDS: &str = "\
    json.arrappend json.arrindex json.arrinsert json.arrlen json.arrpop json.arrtrim json.clear \
    json.debug json.del json.forget json.get json.merge json.mget json.mset json.numincrby \
    json.nummultby json.numpowby json.objkeys json.objlen json.resp json.set json.strappend json.strlen \
    json.toggle json.type \
    acl append asking auth bgrewriteaof bgsave bitcount bitfield bitfield_ro bitop bitpos blmove \
    blmpop blpop brpop brpoplpush bzmpop bzpopmax bzpopmin client cluster command config copy \
    dbsize debug decr decrby del discard dump echo eval eval_ro evalsha evalsha_ro exec exists \
    expire expireat expiretime failover fcall fcall_ro flushall flushdb ft.add ft._list ft.aggregate \
    ft.aliasadd ft.aliasdel ft.aliasupdate ft.alter ft.config ft.create ft.cursor ft.debug \
    ft.del ft.dictadd ft.dictdel ft.dictdump ft.drop ft.dropindex ft.explain ft.explaincli \
    ft.get ft.info ft.mget ft.profile ft.safeadd ft.search ft.spellcheck ft.sugadd ft.sugdel \
    ft.sugget ft.suglen ft.synadd ft.syndump ft.synupdate ft.tagvals function geoadd geodist \
    geohash geopos georadius georadius_ro georadiusbymember georadiusbymember_ro geosearch \
    geosearchstore get getbit getdel getex getrange getset hdel hello hexists hexpire hexpireat \
    hexpiretime hget hgetall hincrby hincrbyfloat hkeys hlen hmget hmset hpersist hpexpire \
    hpexpireat hpexpiretime hpttl hrandfield hscan hset hsetnx hstrlen httl hvals incr incrby \
    incrbyfloat info keys lastsave latency lcs lindex linsert llen lmove lmpop lolwut lpop \
    lpos lpush lpushx lrange lrem lset ltrim memory mget migrate module monitor move mset \
    msetnx multi object persist pexpire pexpireat pexpiretime pfadd pfcount pfdebug pfmerge \
    pfselftest ping psetex psubscribe psync pttl publish pubsub punsubscribe quit randomkey \
    readonly readwrite rename renamenx replconf replicaof reset restore restore-asking role \
    rpop rpoplpush rpush rpushx sadd save scan scard script sdiff sdiffstore select set setbit \
    setex setnx setrange shutdown sinter sintercard sinterstore sismember slaveof slowlog \
    smembers smismember smove sort sort_ro spop spublish srandmember srem sscan ssubscribe \
    strlen subscribe substr sunion sunionstore sunsubscribe swapdb sync time touch ttl type \
    unlink unsubscribe unwatch wait waitaof watch xack xadd xautoclaim xclaim xdel xgroup \
    xinfo xlen xpending xrange xread xreadgroup xrevrange xsetid xtrim zadd zcard zcount \
    zdiff zdiffstore zincrby zinter zintercard zinterstore zlexcount zmpop zmscore zpopmax \
    zpopmin zrandmember zrange zrangebylex zrangebyscore zrangestore zrank zrem zremrangebylex \
    zremrangebyrank zremrangebyscore zrevrange zrevrangebylex zrevrangebyscore zrevrank zscan \
    zscore zunion zunionstore";

/// Commands the playground leaves out, and what it has that does the same job.
const INSTEAD: &[(&str, &str)] = &[
    ("hmset", "HSET (it takes several fields since Redis 4)"),
    ("setex", "SET key value EX seconds"),
    ("psetex", "SET key value PX milliseconds"),
    ("setnx", "SET key value NX"),
    ("getset", "SET key value GET"),
    ("substr", "GETRANGE"),
    ("rpoplpush", "LMOVE source destination RIGHT LEFT"),
    ("brpoplpush", "BLMOVE source destination RIGHT LEFT timeout"),
    ("zrangebyscore", "ZRANGE key min max BYSCORE"),
    ("zrevrangebyscore", "ZRANGE key max min BYSCORE REV"),
    ("zrangebylex", "ZRANGE key min max BYLEX"),
    ("zrevrangebylex", "ZRANGE key max min BYLEX REV"),
    ("zrevrange", "ZRANGE key start stop REV"),
    ("georadius", "GEOSEARCH"),
    ("georadiusbymember", "GEOSEARCH"),
    ("slaveof", "REPLICAOF"),
    ("ft.drop", "FT.DROPINDEX"),
    ("ft.add", "HSET on a key under the index's prefix"),
    ("ft.get", "HGETALL"),
    ("ft.del", "DEL"),
];

/// Is `name` (any case) a command of Redis 7.4 or RediSearch?
pub fn is_redis_command(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    REDIS_74_COMMANDS.split_ascii_whitespace().any(|c| c == name)
}

/// Edits between two names, case aside: insertions, deletions, substitutions, and swaps of two
/// neighbouring letters (`GTE` is one edit from `GET`), as the optimal string alignment counts.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let width = b.len() + 1;
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let same = a[i - 1].eq_ignore_ascii_case(&b[j - 1]);
            let mut best = (d[(i - 1) * width + j - 1] + usize::from(!same))
                .min(d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1);
            if i > 1
                && j > 1
                && a[i - 1].eq_ignore_ascii_case(&b[j - 2])
                && a[i - 2].eq_ignore_ascii_case(&b[j - 1])
            {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// The command nearest to `name` among `known` (a typo's likely meaning): at most two edits,
/// and fewer than half the name's letters. Ties go to the first in `known`.
pub fn nearest_command<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = 2.min(name.len().saturating_sub(1) / 2);
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A note for the in-page engine's `ERR unknown command 'x'`: a real Redis command the
/// playground has not got yet (and what to use instead, when it has one), or a typo (the
/// nearest command it knows).
pub fn explain_unknown_in_playground(error: &str) -> Option<String> {
    let rest = error.strip_prefix("ERR unknown command '")?;
    let name = rest.split('\'').next().unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    if is_redis_command(&lower) {
        let instead =
            INSTEAD.iter().find(|(missing, _)| *missing == lower).map(|(_, instead)| *instead).filter(
                |instead| {
                    let first = instead.split(' ').next().unwrap_or_default().to_ascii_lowercase();
                    playground_engine::cmd::lookup(&first).is_some()
                },
            );
        let upper = name.to_ascii_uppercase();
        return Some(match instead {
            Some(instead) => format!(
                "{upper} is a real Redis command, but the playground does not have it yet; use {instead}."
            ),
            None => format!("{upper} is a real Redis command, but the playground does not have it yet."),
        });
    }
    let names = playground_engine::cmd::all().map(|spec| spec.name);
    nearest_command(&lower, names)
        .map(|near| format!("no Redis command is called {name}; did you mean {}?", near.to_ascii_uppercase()))
}

/// Why the page's engine answered a script with SCRIPT KILL's words: nothing in a browser tab
/// can send SCRIPT KILL while a script runs, so the page stops it after its time limit.
pub fn explain_script_stop(error: &str) -> Option<String> {
    error.contains("Script killed by user with SCRIPT KILL").then(|| {
        format!(
            "the page stopped this script after {} s of real time: a browser tab has no second \
             connection to send SCRIPT KILL from, and a script that never ends would freeze it. \
             Redis would answer other clients BUSY meanwhile and wait for SCRIPT KILL.",
            crate::lua::TIME_LIMIT_MS / 1000.0
        )
    })
}

/// A note for an FT.* command that names a LANGUAGE other than English (`LANGUAGE french`) on
/// the in-page engine, which stems English only (the other stemmers would weigh 41 KB in the
/// page): its words are matched as typed. `emulate` and real Redis stem that language.
pub fn language_note(args: &[bytes::Bytes]) -> Option<String> {
    // Every console command passes here: look at the name's first three bytes, copying nothing.
    let search = args.first()?.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"ft."));
    if !cfg!(target_arch = "wasm32") || !search {
        return None;
    }
    let lang = args.windows(2).find(|w| w[0].eq_ignore_ascii_case(b"language")).map(|w| &w[1])?;
    let english = lang.eq_ignore_ascii_case(b"english");
    let known = playground_engine::search::text::Lang::parse(lang).is_some();
    (!english && known).then(|| {
        format!(
            "note: this page's engine stems English only, so {} words match as typed here; `playground-proxy emulate` and Redis stem them",
            String::from_utf8_lossy(lang).to_ascii_lowercase()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_search_module_is_named() {
        let note = explain_error("ERR unknown command 'FT.SEARCH', with args beginning with: 'idx' ");
        assert!(note.is_some_and(|n| n.contains("this server has no search module")));
    }

    #[test]
    fn commands_the_emulator_has_are_called_missing_on_the_server() {
        // (the wording a server missing a command uses; SET stands in for any command the engine has)
        let note = explain_error("ERR unknown command 'SET', with args beginning with: ").unwrap_or_default();
        assert!(note.contains("emulator does"), "{note}");
        let note =
            explain_error("ERR unknown command 'NOPE', with args beginning with: ").unwrap_or_default();
        assert!(note.contains("neither"), "{note}");
        // A typo on a real server: the nearest Redis command.
        let note =
            explain_error("ERR unknown command 'HGETAL', with args beginning with: ").unwrap_or_default();
        assert!(note.ends_with("did you mean HGETALL?"), "{note}");
    }

    #[test]
    fn auth_tls_and_policy_errors_get_words() {
        assert!(explain_error("WRONGPASS invalid username-password pair")
            .is_some_and(|n| n.contains("authentication failed")));
        assert!(explain_error("NOAUTH Authentication required.").is_some());
        assert!(explain_error("ERR playground-proxy: TLS handshake with Redis at h:1 failed: x")
            .is_some_and(|n| n.contains("TLS")));
        assert!(explain_error("ERR playground-proxy: FLUSHALL is disabled on this proxy")
            .is_some_and(|n| n.contains("policy")));
        assert_eq!(explain_error("WRONGTYPE Operation against a key holding the wrong kind of value"), None);
    }

    #[test]
    fn unknown_commands_in_the_playground_are_told_apart() {
        // Real Redis, not in the playground: said so, with what exists instead when obvious.
        let note =
            explain_unknown_in_playground("ERR unknown command 'xadd', with args beginning with: 's' ")
                .unwrap_or_default();
        assert_eq!(note, "XADD is a real Redis command, but the playground does not have it yet.");
        if playground_engine::cmd::lookup("hmset").is_none() {
            let note =
                explain_unknown_in_playground("ERR unknown command 'HMSET', with args beginning with: ")
                    .unwrap_or_default();
            assert!(note.contains("use HSET"), "{note}");
        }
        // A typo: the nearest command the playground knows, as a question.
        let note = explain_unknown_in_playground("ERR unknown command 'HGETAL', with args beginning with: ")
            .unwrap_or_default();
        assert_eq!(note, "no Redis command is called HGETAL; did you mean HGETALL?");
        let note = explain_unknown_in_playground("ERR unknown command 'sett', with args beginning with: ")
            .unwrap_or_default();
        assert!(note.ends_with("did you mean SET?"), "{note}");
        // Nothing near: no guess.
        assert_eq!(
            explain_unknown_in_playground("ERR unknown command 'frobnicate', with args beginning with: "),
            None
        );
        assert_eq!(explain_unknown_in_playground("WRONGTYPE Operation"), None);
    }

    #[test]
    fn every_instead_is_a_missing_real_command_with_a_present_replacement() {
        for (missing, instead) in INSTEAD {
            assert!(is_redis_command(missing), "{missing}");
            let first = instead.split(' ').next().unwrap_or_default().to_ascii_lowercase();
            assert!(is_redis_command(&first), "{instead}");
        }
        // The engine's commands are real Redis (or RediSearch) commands.
        for spec in playground_engine::cmd::all() {
            assert!(is_redis_command(spec.name), "{} is not in Redis 7.4's list", spec.name);
        }
    }

    #[test]
    fn nearest_command_by_edit_distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("gte", "get"), 1);
        assert_eq!(edit_distance("GET", "get"), 0);
        let known = ["get", "set", "getdel", "incr", "incrby"];
        assert_eq!(nearest_command("gte", known), Some("get"));
        assert_eq!(nearest_command("incrbyy", known), Some("incrby"));
        assert_eq!(nearest_command("xx", known), None, "short names need near-exact matches");
        assert_eq!(nearest_command("zzzzzz", known), None);
    }

    #[test]
    fn close_codes_in_words() {
        assert!(close_reason("ws://x/ws", 1006, "", false).starts_with("cannot reach the proxy at ws://x/ws"));
        assert!(close_reason("ws://x/ws", 1006, "", true).contains("was lost"));
        assert!(close_reason("u", 4000, "", true).contains("idle"));
    }
}
