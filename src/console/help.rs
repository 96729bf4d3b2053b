//! `help`, inline hints and Tab completion, all read from the engine's command table
//! (`CommandSpec::summary` and `syntax`), so a command added to the engine is documented here
//! without touching the page.

use playground_engine::cmd::{self, CommandSpec};

/// What `help` with no argument prints (adapted from redis-cli's own banner).
pub const BANNER: &str = "redis-playground console (speaks like redis-cli 7.4)\n\
To get help about Redis commands type:\n      \
\"help @<group>\" to get a list of commands in <group>\n      \
\"help <command>\" for help on <command>\n      \
\"<tab>\" completes a command name, up/down walk the history\n      \
\"clear\" clears the screen";

/// The reply to a `help ...` line.
pub fn help(topic: &[Vec<u8>]) -> String {
    let Some(first) = topic.first() else { return BANNER.to_string() };
    let first = String::from_utf8_lossy(first).to_ascii_lowercase();
    if let Some(group) = first.strip_prefix('@') {
        let mut specs: Vec<&CommandSpec> = cmd::all().filter(|s| s.group == group).collect();
        if specs.is_empty() {
            return format!("No commands in group @{group}");
        }
        playground_engine::order::sort_by_key(&mut specs, |s| s.name);
        return specs.iter().map(|s| describe(s)).collect::<Vec<_>>().join("\n\n");
    }
    // `help client setname` looks up the subcommand of a container.
    let Some(spec) = cmd::lookup(&first) else {
        return format!("No help for '{first}': the playground does not know this command yet");
    };
    if let Some(sub) = topic.get(1) {
        let sub = String::from_utf8_lossy(sub).to_ascii_lowercase();
        if let Some(sub_spec) = spec.subcommands.iter().find(|s| s.name == sub) {
            return describe_named(&format!("{} {}", spec.name, sub_spec.name), sub_spec);
        }
    }
    let mut text = describe(spec);
    if !spec.subcommands.is_empty() {
        let subs: Vec<String> = spec.subcommands.iter().map(|s| s.name.to_ascii_uppercase()).collect();
        text.push_str(&format!("\n  subcommands: {}", subs.join(", ")));
    }
    text
}

fn describe(spec: &CommandSpec) -> String {
    describe_named(spec.name, spec)
}

fn describe_named(name: &str, spec: &CommandSpec) -> String {
    let usage = format!("{} {}", name.to_ascii_uppercase(), spec.syntax);
    format!("  {}\n  summary: {}\n  group: {}", usage.trim_end(), spec.summary, spec.group)
}

/// The inline hint shown after what the learner typed: the syntax still to come, as redis-cli
/// shows it in grey. `None` when the command is unknown or nothing is left to hint.
pub fn hint(line: &str) -> Option<String> {
    let args = playground_engine::resp::split_args(line.as_bytes())?;
    let name = String::from_utf8_lossy(args.first()?).to_ascii_lowercase();
    let spec = cmd::lookup(&name)?;
    let typed = args.len() - 1;
    // A hint only makes sense once the name is complete (followed by a space).
    if typed == 0 && !line.ends_with(' ') {
        return None;
    }
    let tokens = syntax_tokens(spec.syntax);
    let required = tokens.iter().take_while(|t| !t.starts_with('[')).count();
    let skip = if typed <= required { typed } else { required };
    let rest: Vec<&str> = tokens.iter().skip(skip).map(String::as_str).collect();
    if rest.is_empty() || (typed > required && rest.iter().all(|t| !t.starts_with('['))) {
        return None;
    }
    let rest = rest.join(" ");
    Some(if line.ends_with(' ') { rest } else { format!(" {rest}") })
}

/// The syntax split at top-level spaces: `key [NX | XX] value` -> `key`, `[NX | XX]`, `value`.
fn syntax_tokens(syntax: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    for c in syntax.chars() {
        match c {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => depth -= 1,
            _ => {}
        }
        if c == ' ' && depth <= 0 {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// The spec of the command being typed, for the summary line under the input.
pub fn spec_for(line: &str) -> Option<&'static CommandSpec> {
    let first = line.split_whitespace().next()?;
    cmd::lookup(&first.to_ascii_lowercase())
}

/// Command names that start with `prefix` (case-insensitive), sorted, in the learner's case:
/// lowercase if they typed lowercase, otherwise uppercase as the docs write them.
pub fn completions(prefix: &str) -> Vec<String> {
    let lower = prefix.to_ascii_lowercase();
    let upper = prefix.is_empty() || prefix.chars().any(|c| c.is_ascii_uppercase());
    let mut names: Vec<String> = cmd::all()
        .map(|s| s.name)
        .chain(["help", "clear"])
        .filter(|n| n.starts_with(&lower))
        .map(|n| if upper { n.to_ascii_uppercase() } else { n.to_string() })
        .collect();
    playground_engine::order::sort(&mut names);
    names.dedup();
    names
}

/// The lines of a multi-line paste that are worth running (blank lines skipped).
pub fn pasted_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_end_matches('\r').trim())
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Vec<u8>> {
        s.split_whitespace().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn help_describes_a_command_from_the_table() {
        let text = help(&words("GET"));
        assert!(text.starts_with("  GET key\n  summary: "), "{text}");
        assert!(text.ends_with("group: string"), "{text}");
        assert!(help(&words("nosuchcmd")).contains("does not know"));
        assert_eq!(help(&[]), BANNER);
        let group = help(&words("@string"));
        assert!(group.contains("  GET key") && group.contains("  SET key value"), "{group}");
    }

    #[test]
    fn hints_show_what_is_left_to_type() {
        assert_eq!(hint("GET ").as_deref(), Some("key"));
        assert_eq!(hint("GET k"), None);
        assert_eq!(hint("GET"), None, "no hint until the name is complete");
        let set = hint("set k v ").unwrap_or_default();
        assert!(set.starts_with("[NX | XX] [GET]"), "{set}");
        assert_eq!(hint("DEL a ").as_deref(), Some("[key ...]"));
        assert_eq!(hint("nosuch "), None);
    }

    #[test]
    fn syntax_splits_at_top_level_only() {
        assert_eq!(syntax_tokens("key [NX | XX] value"), vec!["key", "[NX | XX]", "value"]);
    }

    #[test]
    fn completion_keeps_the_learners_case() {
        let lower = completions("ge");
        assert!(lower.contains(&"get".to_string()) && lower.contains(&"getex".to_string()), "{lower:?}");
        assert!(lower.iter().all(|c| c.starts_with("ge") && *c == c.to_lowercase()), "{lower:?}");
        let upper = completions("GE");
        assert!(
            upper.contains(&"GET".to_string()) && upper.iter().all(|c| *c == c.to_uppercase()),
            "{upper:?}"
        );
        assert_eq!(completions("getd"), vec!["getdel"]);
        let all = completions("");
        assert!(all.contains(&"PING".to_string()) && all.contains(&"HELP".to_string()));
        assert!(completions("zzz").is_empty());
    }

    #[test]
    fn pastes_run_line_by_line() {
        assert_eq!(pasted_lines("SET a 1\r\n\n  GET a  \n"), vec!["SET a 1", "GET a"]);
    }
}
