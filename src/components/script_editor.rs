//! The Lua script editor: a script, its KEYS and ARGV, and the two lines it runs in the console,
//! as an app would: `SCRIPT LOAD` (the server keeps the script under its SHA-1) and `EVALSHA`
//! with that SHA-1 (the client sends 40 characters instead of the script). The replies land in
//! the console's scrollback like typed lines. It lives in the lazily loaded labs module
//! (`src/bin/labs.rs`), mounted into the console panel by `components::script_slot`.

use crate::console::format::repr;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScriptEditorProps {
    /// Run lines in the console.
    pub on_run: Callback<Vec<String>>,
}

const SAMPLE: &str = "-- Count a visit and give the counter a lifetime, in one atomic step.\n\
local visits = redis.call('INCR', KEYS[1])\n\
if visits == 1 then\n  redis.call('EXPIRE', KEYS[1], ARGV[1])\nend\nreturn visits\n";

/// A word as a console argument: as is when plain, else quoted as redis-cli quotes.
fn arg(word: &str) -> String {
    let plain =
        !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_:.{}*@/+".contains(&b));
    if plain {
        word.to_string()
    } else {
        repr(word.as_bytes())
    }
}

/// The `SCRIPT LOAD` and `EVALSHA` lines for a script and its space-separated KEYS and ARGV.
pub fn lines_for(script: &str, keys: &str, argv: &str) -> [String; 2] {
    let sha = playground_engine::digest::sha1_hex(script.as_bytes());
    let keys: Vec<&str> = keys.split_whitespace().collect();
    let mut evalsha = format!("EVALSHA {sha} {}", keys.len());
    for word in keys.into_iter().chain(argv.split_whitespace()) {
        evalsha.push(' ');
        evalsha.push_str(&arg(word));
    }
    [format!("SCRIPT LOAD {}", repr(script.as_bytes())), evalsha]
}

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local", "nil",
    "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// Lua split into runs with a class each (comments, strings, numbers, keywords, Redis's names).
/// Runs end only on ASCII bytes, so every cut is on a character boundary.
pub fn tokens(code: &str) -> Vec<(&'static str, &str)> {
    let b = code.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    let starts = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'"' | b'\'' | b'-');
    while i < b.len() {
        let start = i;
        let class = if code[i..].starts_with("--") {
            i = code[i..].find('\n').map_or(b.len(), |n| i + n);
            "lua-comment"
        } else if b[i] == b'"' || b[i] == b'\'' {
            let quote = b[i];
            i += 1;
            while i < b.len() && b[i] != quote && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            "lua-string"
        } else if b[i].is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            "lua-number"
        } else if b[i].is_ascii_alphabetic() || b[i] == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            match &code[start..i] {
                "KEYS" | "ARGV" | "redis" => "lua-redis",
                word if KEYWORDS.contains(&word) => "lua-keyword",
                _ => "",
            }
        } else {
            i += 1;
            while i < b.len() && !starts(b[i]) {
                i += 1;
            }
            ""
        };
        // A lone '-' (not a comment) is punctuation; an escape at the end may step past it.
        out.push((class, code.get(start..i.min(b.len())).unwrap_or_default()));
    }
    out
}

fn highlighted(code: &str) -> Html {
    let runs = tokens(code).into_iter().map(|(class, text)| match class {
        "" => html! { { text } },
        class => html! { <span {class}>{ text }</span> },
    });
    // A last empty line needs a character to keep its height under the text area's.
    html! { <>{ for runs }{ " " }</> }
}

fn value(e: &InputEvent) -> String {
    e.target()
        .and_then(|t| {
            t.clone()
                .dyn_into::<web_sys::HtmlTextAreaElement>()
                .map(|a| a.value())
                .ok()
                .or_else(|| t.dyn_into::<web_sys::HtmlInputElement>().ok().map(|i| i.value()))
        })
        .unwrap_or_default()
}

#[component]
pub fn ScriptEditor(props: &ScriptEditorProps) -> Html {
    let script = use_state(|| SAMPLE.to_string());
    let keys = use_state(|| "visits:today".to_string());
    let argv = use_state(|| "86400".to_string());
    let shade = use_node_ref();
    let lines = lines_for(&script, &keys, &argv);
    let on_input = |state: UseStateHandle<String>| Callback::from(move |e: InputEvent| state.set(value(&e)));
    let on_scroll = {
        let shade = shade.clone();
        Callback::from(move |e: Event| {
            let area = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if let (Some(area), Some(pre)) = (area, shade.cast::<web_sys::Element>()) {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
        })
    };
    let run = {
        let (on_run, lines) = (props.on_run.clone(), lines.clone());
        Callback::from(move |_: MouseEvent| on_run.emit(lines.to_vec()))
    };
    html! {
        <>
            <div class="code-area">
                <pre class="code-shade" ref={shade} aria-hidden="true">{ highlighted(&script) }</pre>
                <textarea class="code-input" aria-label="Lua script" spellcheck="false" wrap="off"
                    value={(*script).clone()} oninput={on_input(script.clone())} onscroll={on_scroll} />
            </div>
            <div class="script-args">
                <label>{"KEYS "}<input aria-label="KEYS" value={(*keys).clone()} oninput={on_input(keys.clone())}
                    placeholder="key1 key2" /></label>
                <label>{"ARGV "}<input aria-label="ARGV" value={(*argv).clone()} oninput={on_input(argv.clone())}
                    placeholder="arg1 arg2" /></label>
                <button class="btn" onclick={run}>{"Run"}</button>
            </div>
            <p class="muted">{"Runs in the console:"}</p>
            <pre class="script-lines" data-testid="script-lines">{ lines.join("\n") }</pre>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_runs_script_load_then_evalsha_with_quoted_arguments() {
        let [load, call] = lines_for("return 'a\"b'\n", "k:1 {t}x", "hello world! 5");
        assert_eq!(load, r#"SCRIPT LOAD "return 'a\"b'\n""#);
        let sha = playground_engine::digest::sha1_hex(b"return 'a\"b'\n");
        assert_eq!(call, format!("EVALSHA {sha} 2 k:1 {{t}}x hello \"world!\" 5"));
        let parsed = playground_engine::resp::split_args(load.as_bytes()).expect("parses");
        assert_eq!(parsed[2], b"return 'a\"b'\n");
    }

    #[test]
    fn highlighting_cuts_lua_into_runs_and_keeps_every_byte() {
        let code = "local n = redis.call('GET', KEYS[1]) -- é\nreturn n + 1.5 \"x\\";
        let runs = tokens(code);
        assert_eq!(runs.iter().map(|(_, t)| *t).collect::<String>(), code);
        let class_of = |text: &str| runs.iter().find(|(_, t)| *t == text).map(|(c, _)| *c);
        assert_eq!(class_of("local"), Some("lua-keyword"));
        assert_eq!(class_of("redis"), Some("lua-redis"));
        assert_eq!(class_of("'GET'"), Some("lua-string"));
        assert_eq!(class_of("-- é"), Some("lua-comment"));
        assert_eq!(class_of("1.5"), Some("lua-number"));
        assert_eq!(tokens("é-é'").iter().map(|(_, t)| *t).collect::<String>(), "é-é'");
    }
}
