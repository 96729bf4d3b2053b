//! Users and their permissions, as Redis 7.4's `acl.c` keeps them: each user has flags,
//! password hashes (SHA-256) and selectors (the root one and any `(...)` ones), each selector a
//! command bitmap, key patterns with read/write flags, channel patterns and the ordered command
//! rules ACL LIST prints back. The commands are in `cmd/acl.rs`; the engine calls
//! [`Acl::check`] before each command only while some user is restricted ([`Acl::open`] false),
//! so the all-permissive default user costs one boolean per command.

use crate::cmd::server::docs::{category_bit, category_bits, ACL_CATEGORIES};
use crate::cmd::CommandSpec;
use crate::glob::glob_match;
use bytes::Bytes;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::OnceLock;

/// One command or subcommand the ACL knows, with the id its bit has in a selector's bitmap.
pub struct AclCommand {
    /// `get`, `config|get`.
    pub name: String,
    pub spec: &'static CommandSpec,
    pub categories: u32,
    pub parent: Option<usize>,
    pub subs: Vec<usize>,
    /// What a command's first key and its other keys need (1: read, 2: write), from its key
    /// specs' access flags (ACCESS reads; INSERT, DELETE, UPDATE write).
    pub key_access: (u8, u8),
}

/// Commands whose key specs need other than read (readonly commands) or read and write (the
/// others): `name=AB`, A for the first key, B for the others (when they differ). Read from the
/// oracle's COMMAND INFO.
const KEY_ACCESS: &str = "append=2 bitop=21 blmove=32 brpoplpush=32 copy=12 del=2 exists=0 expire=2 \
expireat=2 geoadd=2 georadius=12 georadiusbymember=12 geosearchstore=21 hdel=2 hexists=0 \
hexpire=2 hexpireat=2 hlen=0 hmset=2 hpersist=2 hpexpire=2 hpexpireat=2 hset=2 hsetnx=2 hstrlen=0 \
linsert=2 llen=0 lmove=32 lpush=2 lpushx=2 lrem=2 lset=2 ltrim=2 memory|usage=0 mset=2 msetnx=2 \
object|encoding=0 object|freq=0 object|idletime=0 object|refcount=0 persist=2 pexpire=2 \
pexpireat=2 pfadd=2 pfdebug=1 pfmerge=31 psetex=2 rename=32 renamenx=32 restore=2 rpoplpush=32 \
rpush=2 rpushx=2 sadd=2 scard=0 sdiffstore=21 setex=2 setnx=2 setrange=2 sinterstore=21 \
sismember=0 smove=32 sort=12 spublish=0 srem=2 ssubscribe=0 strlen=0 sunionstore=21 sismember=0 \
sunsubscribe=0 touch=0 type=0 unlink=2 watch=0 xack=2 xadd=2 xautoclaim=2 xclaim=2 xdel=2 \
xgroup|create=2 xgroup|createconsumer=2 xgroup|delconsumer=2 xgroup|destroy=2 xgroup|setid=2 \
xlen=0 xreadgroup=1 xsetid=2 xtrim=2 zadd=2 zcard=0 zdiffstore=21 zinterstore=21 zrangestore=21 \
zrem=2 zremrangebylex=2 zremrangebyrank=2 zremrangebyscore=2 zunionstore=21";

/// Every command and subcommand, numbered.
pub struct Commands {
    pub list: Vec<AclCommand>,
    by_name: HashMap<String, usize>,
    by_spec: HashMap<usize, usize>,
}

/// The command table as the ACL numbers it.
pub fn commands() -> &'static Commands {
    static TABLE: OnceLock<Commands> = OnceLock::new();
    TABLE.get_or_init(|| {
        let access: HashMap<&str, (u8, u8)> = KEY_ACCESS
            .split_whitespace()
            .filter_map(|item| {
                let (name, code) = item.split_once('=')?;
                let digits: Vec<u8> = code.bytes().map(|b| b - b'0').collect();
                Some((name, (digits[0], *digits.last()?)))
            })
            .collect();
        let mut t = Commands { list: Vec::new(), by_name: HashMap::new(), by_spec: HashMap::new() };
        let add = |t: &mut Commands, spec: &'static CommandSpec, name: String, parent| {
            let default = if spec.has_flag("readonly") { 1 } else { 3 };
            let key_access = access.get(name.as_str()).copied().unwrap_or((default, default));
            let id = t.list.len();
            let categories = category_bits(spec, &name);
            t.by_name.insert(name.clone(), id);
            t.by_spec.insert(std::ptr::from_ref(spec) as usize, id);
            t.list.push(AclCommand { name, spec, categories, parent, subs: Vec::new(), key_access });
            id
        };
        for spec in crate::cmd::all() {
            let id = add(&mut t, spec, spec.name.to_string(), None);
            for sub in spec.subcommands {
                let sid = add(&mut t, sub, format!("{}|{}", spec.name, sub.name), Some(id));
                t.list[id].subs.push(sid);
            }
        }
        t
    })
}

impl Commands {
    /// `get` or `config|get`, any case (Redis's `lookupCommandBySdsLogic`).
    pub fn find(&self, name: &[u8]) -> Option<usize> {
        self.by_name.get(&String::from_utf8_lossy(name).to_ascii_lowercase()).copied()
    }

    /// The id of a resolved spec.
    pub fn id_of(&self, spec: &CommandSpec) -> Option<usize> {
        self.by_spec.get(&(std::ptr::from_ref(spec) as usize)).copied()
    }
}

/// Why a command is refused, ordered as Redis ranks them when selectors disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Denied {
    Command = 1,
    Key = 2,
    Auth = 3,
    Channel = 4,
}

/// A failed SETUSER rule (Redis's errno values), with Redis's message.
#[derive(Debug, Clone, Copy)]
pub enum RuleError {
    NoEnt,
    Inval,
    Exist,
    IsDir,
    NoDev,
    BadMsg,
    Child,
}

impl RuleError {
    pub fn message(self) -> &'static str {
        match self {
            RuleError::NoEnt => "Unknown command or category name in ACL",
            RuleError::Inval => "Syntax error",
            RuleError::Exist => {
                "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any \
                 effect. Try 'resetkeys' to start with an empty list of patterns"
            }
            RuleError::IsDir => {
                "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have \
                 any effect. Try 'resetchannels' to start with an empty list of channels"
            }
            RuleError::NoDev => "The password you are trying to remove from the user does not exist",
            RuleError::BadMsg => {
                "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
            }
            RuleError::Child => "Allowing first-arg of a subcommand is not supported",
        }
    }
}

const READ: u8 = 1;
const WRITE: u8 = 2;

/// One selector: what commands, keys and channels it allows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    allkeys: bool,
    allchannels: bool,
    /// The ALLCOMMANDS flag: every command, whatever the bitmap (cleared by any `-`).
    allcommands: bool,
    /// Redis's reserved bit: set by `+@all`, so the rules start with `+@all`.
    future: bool,
    bits: Vec<u64>,
    /// Allowed first arguments of otherwise blocked commands (`+select|0`).
    firstargs: Vec<(usize, Vec<String>)>,
    keys: Vec<(u8, Bytes)>,
    channels: Vec<Bytes>,
    /// The command rules in the order they apply, compacted (`ACLUpdateCommandRules`).
    rules: String,
}

fn has_spaces(s: &[u8]) -> bool {
    s.iter().any(|b| *b == b' ' || *b == 0)
}

impl Selector {
    fn bit(&self, id: usize) -> bool {
        self.bits.get(id / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn set_bit(&mut self, id: usize, on: bool) {
        if self.bits.len() <= id / 64 {
            self.bits.resize(id / 64 + 1, 0);
        }
        if on {
            self.bits[id / 64] |= 1 << (id % 64);
        } else {
            self.bits[id / 64] &= !(1 << (id % 64));
            self.allcommands = false;
        }
    }

    /// `ACLChangeSelectorPerm`: a command and its subcommands.
    fn change(&mut self, id: usize, on: bool) {
        self.set_bit(id, on);
        self.firstargs.retain(|(c, _)| *c != id);
        for &sub in &commands().list[id].subs {
            self.set_bit(sub, on);
        }
    }

    /// `ACLUpdateCommandRules`: drop earlier rules for the same command (and its subcommands),
    /// then append this one.
    fn update_rules(&mut self, rule: &str, allow: bool) {
        let rule = rule.to_ascii_lowercase();
        let kept: Vec<&str> = self
            .rules
            .split(' ')
            .filter(|r| {
                let name = r.get(1..).unwrap_or("");
                !(name == rule || name.strip_prefix(rule.as_str()).is_some_and(|rest| rest.starts_with('|')))
            })
            .filter(|r| !r.is_empty())
            .collect();
        let mut rules = kept.join(" ");
        if !rules.is_empty() {
            rules.push(' ');
        }
        rules.push(if allow { '+' } else { '-' });
        rules.push_str(&rule);
        self.rules = rules;
    }

    fn all_commands(&mut self, on: bool) {
        let n = commands().list.len();
        self.bits = vec![if on { u64::MAX } else { 0 }; n / 64 + 1];
        self.allcommands = on;
        self.future = on;
        self.rules.clear();
        self.firstargs.clear();
    }

    /// `ACLSetSelector`: one rule.
    pub fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
        let is = |word: &str| op.eq_ignore_ascii_case(word.as_bytes());
        let table = commands();
        if is("allkeys") || is("~*") {
            self.allkeys = true;
            self.keys.clear();
        } else if is("resetkeys") {
            self.allkeys = false;
            self.keys.clear();
        } else if is("allchannels") || is("&*") {
            self.allchannels = true;
            self.channels.clear();
        } else if is("resetchannels") {
            self.allchannels = false;
            self.channels.clear();
        } else if is("allcommands") || is("+@all") {
            self.all_commands(true);
        } else if is("nocommands") || is("-@all") {
            self.all_commands(false);
        } else if op[0] == b'~' || op[0] == b'%' {
            if self.allkeys {
                return Err(RuleError::Exist);
            }
            let (mut flags, mut offset) = (0, 1);
            if op[0] == b'%' {
                while offset < op.len() {
                    let c = op[offset];
                    offset += 1;
                    match c.to_ascii_uppercase() {
                        b'R' if flags & READ == 0 => flags |= READ,
                        b'W' if flags & WRITE == 0 => flags |= WRITE,
                        b'~' if flags != 0 => break,
                        _ => return Err(RuleError::Inval),
                    }
                }
            } else {
                flags = READ | WRITE;
            }
            let pattern = &op[offset.min(op.len())..];
            if has_spaces(pattern) {
                return Err(RuleError::Inval);
            }
            match self.keys.iter_mut().find(|(_, p)| p.as_ref() == pattern) {
                Some((f, _)) => *f |= flags,
                None => self.keys.push((flags, Bytes::copy_from_slice(pattern))),
            }
        } else if op[0] == b'&' {
            if self.allchannels {
                return Err(RuleError::IsDir);
            }
            if has_spaces(&op[1..]) {
                return Err(RuleError::Inval);
            }
            if !self.channels.iter().any(|c| c.as_ref() == &op[1..]) {
                self.channels.push(Bytes::copy_from_slice(&op[1..]));
            }
        } else if (op[0] == b'+' || op[0] == b'-') && op.get(1) == Some(&b'@') {
            let name = String::from_utf8_lossy(&op[2..]);
            let bit = category_bit(&name).ok_or(RuleError::NoEnt)?;
            let allow = op[0] == b'+';
            self.update_rules(&String::from_utf8_lossy(&op[1..]), allow);
            for (id, cmd) in table.list.iter().enumerate() {
                if cmd.categories & bit != 0 {
                    self.change(id, allow);
                }
            }
        } else if op[0] == b'+' && op.contains(&b'|') {
            let at = op.iter().rposition(|b| *b == b'|').unwrap_or(0);
            let id = table.find(&op[1..at]).ok_or(RuleError::NoEnt)?;
            if table.list[id].parent.is_some() {
                return Err(RuleError::Child);
            }
            let sub = &op[at + 1..];
            if sub.is_empty() {
                return Err(RuleError::Inval);
            }
            if table.list[id].subs.is_empty() {
                let sub = String::from_utf8_lossy(sub).into_owned();
                match self.firstargs.iter_mut().find(|(c, _)| *c == id) {
                    Some((_, subs)) if subs.iter().any(|s| s.eq_ignore_ascii_case(&sub)) => {}
                    Some((_, subs)) => subs.push(sub),
                    None => self.firstargs.push((id, vec![sub])),
                }
            } else {
                let full = table.find(&op[1..]).ok_or(RuleError::NoEnt)?;
                self.change(full, true);
            }
            self.update_rules(&String::from_utf8_lossy(&op[1..]), true);
        } else if op[0] == b'+' || op[0] == b'-' {
            let id = table.find(&op[1..]).ok_or(RuleError::NoEnt)?;
            let allow = op[0] == b'+';
            self.change(id, allow);
            self.update_rules(&table.list[id].name, allow);
        } else {
            return Err(RuleError::Inval);
        }
        Ok(())
    }

    /// `ACLDescribeSelectorCommandRules`.
    fn command_rules(&self) -> String {
        let start = if self.future { "+@all" } else { "-@all" };
        if self.rules.is_empty() {
            start.to_string()
        } else {
            format!("{start} {}", self.rules)
        }
    }

    fn key_patterns(&self) -> String {
        if self.allkeys {
            return "~*".into();
        }
        let one = |(flags, p): &(u8, Bytes)| {
            let prefix = match *flags {
                READ => "%R~",
                WRITE => "%W~",
                _ => "~",
            };
            format!("{prefix}{}", String::from_utf8_lossy(p))
        };
        self.keys.iter().map(one).collect::<Vec<_>>().join(" ")
    }

    fn channel_patterns(&self) -> String {
        if self.allchannels {
            return "&*".into();
        }
        self.channels.iter().map(|c| format!("&{}", String::from_utf8_lossy(c))).collect::<Vec<_>>().join(" ")
    }

    /// `ACLDescribeSelector`: keys, channels, then command rules.
    fn describe(&self) -> String {
        let mut out = String::new();
        let keys = self.key_patterns();
        if !keys.is_empty() {
            out.push_str(&keys);
            out.push(' ');
        }
        if !self.allchannels {
            out.push_str("resetchannels ");
        }
        let channels = self.channel_patterns();
        if !channels.is_empty() {
            out.push_str(&channels);
            out.push(' ');
        }
        out.push_str(&self.command_rules());
        out
    }

    /// GETUSER's fields for a selector: commands, keys, channels.
    pub fn fields(&self) -> [(&'static str, String); 3] {
        [
            ("commands", self.command_rules()),
            ("keys", self.key_patterns()),
            ("channels", self.channel_patterns()),
        ]
    }

    fn open(&self) -> bool {
        self.allcommands && self.allkeys && self.allchannels
    }

    /// `ACLSelectorCheckCmd`: Ok, or why not and the argument at fault.
    fn check(&self, id: usize, argv: &[Bytes]) -> Result<(), (Denied, usize)> {
        let cmd = &commands().list[id];
        if !self.allcommands && !cmd.spec.has_flag("no_auth") && !self.bit(id) {
            let idx = if cmd.parent.is_some() { 2 } else { 1 };
            let allowed = argv.len() >= 2
                && self.firstargs.iter().any(|(c, subs)| {
                    *c == id
                        && argv
                            .get(idx)
                            .is_some_and(|a| subs.iter().any(|s| a.eq_ignore_ascii_case(s.as_bytes())))
                });
            if !allowed {
                return Err((Denied::Command, 0));
            }
        }
        if !self.allkeys {
            let positions = crate::cmd::server::getkeys::key_positions(cmd.spec, argv).unwrap_or_default();
            // SET's key spec has variable flags: it reads the key only with GET.
            let get = cmd.spec.name == "set" && argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"get"));
            let first = if cmd.spec.name == "set" && !get { WRITE } else { cmd.key_access.0 };
            for (j, pos) in positions.into_iter().enumerate() {
                let need = if j == 0 { first } else { cmd.key_access.1 };
                // A command short of its keys (`redis.acl_check_cmd('set')`) has none to check.
                let Some(key) = argv.get(pos) else { continue };
                let ok = self.keys.iter().any(|(flags, p)| flags & need == need && glob_match(p, key));
                if !ok {
                    return Err((Denied::Key, pos));
                }
            }
        }
        if !self.allchannels {
            let (from, pattern) = match cmd.spec.name {
                "publish" | "spublish" => (1..2.min(argv.len()), false),
                "subscribe" | "ssubscribe" => (1..argv.len(), false),
                "psubscribe" => (1..argv.len(), true),
                _ => (0..0, false),
            };
            for pos in from {
                let ok = self.channels.iter().any(|p| {
                    if pattern {
                        p == &argv[pos]
                    } else {
                        glob_match(p, &argv[pos])
                    }
                });
                if !ok {
                    return Err((Denied::Channel, pos));
                }
            }
        }
        Ok(())
    }
}

/// One ACL user.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub enabled: bool,
    pub nopass: bool,
    pub skip_sanitize: bool,
    /// SHA-256 hex of each password.
    pub passwords: Vec<String>,
    /// The root selector first, then the `(...)` ones.
    pub selectors: Vec<Selector>,
}

impl Default for User {
    fn default() -> User {
        let mut root = Selector::default();
        root.all_commands(false);
        User {
            enabled: false,
            nopass: false,
            skip_sanitize: false,
            passwords: Vec::new(),
            selectors: vec![root],
        }
    }
}

/// True if `hash` is 64 lowercase hex digits.
fn valid_hash(hash: &[u8]) -> bool {
    hash.len() == 64 && hash.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

impl User {
    /// `ACLSetUser`: one rule.
    pub fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
        if op.is_empty() {
            return Ok(());
        }
        let is = |word: &str| op.eq_ignore_ascii_case(word.as_bytes());
        if is("on") || is("off") {
            self.enabled = is("on");
        } else if is("skip-sanitize-payload") || is("sanitize-payload") {
            self.skip_sanitize = is("skip-sanitize-payload");
        } else if is("nopass") || is("resetpass") {
            self.nopass = is("nopass");
            self.passwords.clear();
        } else if op[0] == b'>' || op[0] == b'#' || op[0] == b'<' || op[0] == b'!' {
            let hash = if op[0] == b'>' || op[0] == b'<' {
                crate::digest::sha256_hex(&op[1..])
            } else if valid_hash(&op[1..]) {
                String::from_utf8_lossy(&op[1..]).into_owned()
            } else {
                return Err(RuleError::BadMsg);
            };
            if op[0] == b'>' || op[0] == b'#' {
                if !self.passwords.contains(&hash) {
                    self.passwords.push(hash);
                }
                self.nopass = false;
            } else {
                let at = self.passwords.iter().position(|p| *p == hash).ok_or(RuleError::NoDev)?;
                self.passwords.remove(at);
            }
        } else if op[0] == b'(' && op[op.len() - 1] == b')' {
            let mut selector = Selector::default();
            selector.all_commands(false);
            for rule in op[1..op.len() - 1].split(|b| *b == b' ').filter(|r| !r.is_empty()) {
                selector.apply(rule)?;
            }
            self.selectors.push(selector);
        } else if is("clearselectors") {
            self.selectors.truncate(1);
        } else if is("reset") {
            for rule in [
                "resetpass",
                "resetkeys",
                "resetchannels",
                "off",
                "sanitize-payload",
                "clearselectors",
                "-@all",
            ] {
                self.apply(rule.as_bytes())?;
            }
        } else {
            self.selectors[0].apply(op)?;
        }
        Ok(())
    }

    /// `ACLDescribeUser`: the rules ACL LIST prints after the name.
    pub fn describe(&self) -> String {
        let mut out = self.flags().join(" ");
        out.push(' ');
        for p in &self.passwords {
            out.push('#');
            out.push_str(p);
            out.push(' ');
        }
        out.push_str(&self.selectors[0].describe());
        for s in &self.selectors[1..] {
            out.push_str(&format!(" ({})", s.describe()));
        }
        out
    }

    /// The flags, in Redis's order.
    pub fn flags(&self) -> Vec<&'static str> {
        let mut flags = vec![if self.enabled { "on" } else { "off" }];
        if self.nopass {
            flags.push("nopass");
        }
        flags.push(if self.skip_sanitize { "skip-sanitize-payload" } else { "sanitize-payload" });
        flags
    }

    /// `getUpcomingChannelList`: the channel patterns of this (changed) user, when they are not a
    /// superset of what `original` allowed (its subscribers may then have to go); None if they are.
    pub fn narrowed_channels(&self, original: &User) -> Option<Vec<Bytes>> {
        if self.selectors.iter().any(|s| s.allchannels) {
            return None;
        }
        let upcoming: Vec<Bytes> = self.selectors.iter().flat_map(|s| s.channels.iter().cloned()).collect();
        let kept = original
            .selectors
            .iter()
            .all(|s| !s.allchannels && s.channels.iter().all(|c| upcoming.contains(c)));
        (!kept).then_some(upcoming)
    }

    /// Can `password` log in as this user?
    pub fn accepts(&self, password: &[u8]) -> bool {
        self.enabled && (self.nopass || self.passwords.contains(&crate::digest::sha256_hex(password)))
    }

    /// `ACLCheckAllUserCommandPerm`: the first selector that allows it wins; otherwise the
    /// most relevant refusal (a channel over a key over the command, then the later argument).
    pub fn check(&self, id: usize, argv: &[Bytes]) -> Result<(), (Denied, usize)> {
        let mut worst = (Denied::Command, 0);
        for s in &self.selectors {
            match s.check(id, argv) {
                Ok(()) => return Ok(()),
                Err(e) if e > worst => worst = e,
                Err(_) => {}
            }
        }
        Err(worst)
    }
}

/// One ACL LOG entry.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub count: u64,
    pub reason: Denied,
    /// `toplevel`, `multi` or `lua`.
    pub context: &'static str,
    pub object: Bytes,
    pub username: Bytes,
    /// Virtual-clock ms of the last occurrence, and of the first.
    pub updated: u64,
    pub created: u64,
    pub client_info: String,
    pub id: u64,
}

/// The users, the log and the denial counters.
#[derive(Debug, Clone)]
pub struct Acl {
    /// By name, in byte order (Redis's rax).
    pub users: BTreeMap<Bytes, User>,
    /// Only the default user exists and it may do anything without a password: no check runs.
    pub open: bool,
    /// Newest first.
    pub log: VecDeque<LogEntry>,
    pub log_entries: u64,
    /// Refusals by reason (INFO's `acl_access_denied_cmd`, `_key`, `_channel`).
    pub denied: [u64; 3],
}

impl Default for Acl {
    fn default() -> Acl {
        let mut user = User::default();
        for rule in ["+@all", "~*", "&*", "on", "nopass"] {
            let _ = user.apply(rule.as_bytes());
        }
        let users = BTreeMap::from([(Bytes::from_static(b"default"), user)]);
        Acl { users, open: true, log: VecDeque::new(), log_entries: 0, denied: [0; 3] }
    }
}

impl Acl {
    pub fn default_user(&self) -> Option<&User> {
        self.users.get(b"default".as_slice())
    }

    /// Recompute [`Acl::open`] after any change to the users.
    pub fn refresh(&mut self) {
        let open = |u: &User| u.enabled && u.nopass && u.selectors.len() == 1 && u.selectors[0].open();
        self.open = self.users.len() == 1 && self.default_user().is_some_and(open);
    }

    /// New connections must AUTH first (Redis's `authRequired` for a fresh client).
    pub fn auth_required(&self) -> bool {
        !self.default_user().is_some_and(|u| u.nopass && u.enabled)
    }

    /// `requirepass`: the default user's only password, or nopass when empty.
    pub fn set_requirepass(&mut self, password: &[u8]) {
        if let Some(user) = self.users.get_mut(b"default".as_slice()) {
            let _ = user.apply(b"resetpass");
            let rule = if password.is_empty() { b"nopass".to_vec() } else { [b">", password].concat() };
            let _ = user.apply(&rule);
        }
        self.refresh();
    }

    /// `addACLLogEntry`: count the refusal and log it, merging with a like entry of the last
    /// minute among the ten newest.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        reason: Denied,
        context: &'static str,
        object: Bytes,
        username: Bytes,
        client_info: String,
        now: u64,
        max_len: usize,
    ) {
        match reason {
            Denied::Command => self.denied[0] += 1,
            Denied::Key => self.denied[1] += 1,
            Denied::Channel => self.denied[2] += 1,
            Denied::Auth => {}
        }
        if max_len == 0 {
            self.log.clear();
            return;
        }
        let like = self.log.iter().take(10).position(|e| {
            e.reason == reason
                && e.context == context
                && e.updated.abs_diff(now) <= 60_000
                && e.object == object
                && e.username == username
        });
        if let Some(at) = like {
            if let Some(mut e) = self.log.remove(at) {
                e.count += 1;
                e.updated = now;
                e.client_info = client_info;
                self.log.push_front(e);
            }
            return;
        }
        let id = self.log_entries;
        self.log_entries += 1;
        self.log.push_front(LogEntry {
            count: 1,
            reason,
            context,
            object,
            username,
            updated: now,
            created: now,
            client_info,
            id,
        });
        self.log.truncate(max_len);
    }
}

/// Category names, for ACL CAT.
pub fn category_names() -> &'static [&'static str] {
    &ACL_CATEGORIES
}

/// The NOPERM text for a refusal (`getAclErrorMessage`); `verbose` names the key or channel.
pub fn denial_message(reason: Denied, user: &[u8], command: &str, arg: &[u8], verbose: bool) -> String {
    let user = String::from_utf8_lossy(user);
    let arg = String::from_utf8_lossy(arg);
    match reason {
        Denied::Command | Denied::Auth => {
            format!("User {user} has no permissions to run the '{command}' command")
        }
        Denied::Key if verbose => format!("User {user} has no permissions to access the '{arg}' key"),
        Denied::Key => "No permissions to access a key".into(),
        Denied::Channel if verbose => format!("User {user} has no permissions to access the '{arg}' channel"),
        Denied::Channel => "No permissions to access a channel".into(),
    }
}
