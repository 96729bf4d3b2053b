//! The contents of one key, in a view that fits its type: a string (or a vector blob as
//! floats, or a HyperLogLog's estimate), a hash as a field/value table (with field TTLs counting
//! down), a list with its indexes, set members, a sorted set with scores in rank order, a stream
//! as entries with their ids' times and its consumer groups, a JSON document as a tree. A switch
//! offers the other reading where one exists: any string's bits, a geo set's coordinates (the
//! default when its scores look like GEOADD's), a JSON document's text.

use crate::clock::format_ttl;
use crate::components::key_row::badge_label;
use crate::components::value_views::{
    bits_view, geo_kind, geo_view, hash_view, hll_view, json_tree, stream_view, table, td,
};
use crate::console::format::{as_vector, format_vector, repr};
use crate::session::SessionHandle;
use playground_engine::float::format_double;
use playground_engine::types::hfe::FieldTtls;
use playground_engine::types::{encoding, hll, Value};
use yew::prelude::*;

/// Elements drawn at most per key.
const MAX_ITEMS: usize = 100;

#[derive(Properties, PartialEq, Clone)]
pub struct KeyDetailProps {
    pub key_name: Vec<u8>,
    pub db: usize,
    pub now: u64,
    /// Redraw marker (the value may have changed).
    pub rev: u64,
    pub on_close: Callback<()>,
}

#[component]
pub fn KeyDetail(props: &KeyDetailProps) -> Html {
    let session = use_context::<SessionHandle>();
    let entry = session.and_then(|s| {
        s.read(|s| {
            let entry = s.engine.server().dbs.get(props.db)?.raw_get(&props.key_name)?;
            // Past its deadline the key is gone, even if active expiry has not run yet.
            let alive = entry.expires_at.is_none_or(|t| t > props.now);
            let encoding = encoding::name(&entry.value, entry.encoding_floor);
            let fields = entry.field_ttls.clone();
            alive.then(|| (entry.value.clone(), entry.expires_at, entry.mem, encoding, fields))
        })
        .flatten()
    });
    // The view picked with the switch; None is the type's default. The browser keys this
    // component by key name, so another key starts from its own default.
    let lens = use_state(|| None::<&'static str>);
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let title = repr(&props.key_name);
    let Some((value, expires_at, mem, encoding, fields)) = entry else {
        return html! {
            <div class="detail" id="key-detail">
                <div class="detail-head"><h3>{ title }</h3><button class="btn quiet" onclick={on_close} aria-label="Close">{"✕"}</button></div>
                <p class="muted">{"This key no longer exists."}</p>
            </div>
        };
    };
    let ttl = expires_at.map(|t| format!("expires in {}", format_ttl(t.saturating_sub(props.now))));
    let views = lenses(&value);
    let current = (*lens).filter(|l| views.contains(l)).or(views.first().copied()).unwrap_or("value");
    let switch = (views.len() > 1).then(|| {
        let buttons = views.iter().map(|&name| {
            let lens = lens.clone();
            let onclick = Callback::from(move |_: MouseEvent| lens.set(Some(name)));
            html! { <button class="btn quiet" data-view={name} aria-pressed={(name == current).to_string()} {onclick}>{ name }</button> }
        });
        html! { <div class="view-switch" role="group" aria-label="View as">{ for buttons }</div> }
    });
    html! {
        <div class="detail" id="key-detail" data-type={value.type_name()}>
            <div class="detail-head">
                <h3>{ title }</h3>
                <span class={classes!("type-badge", badge_label(value.type_name()))} title={format!("TYPE: {}", value.type_name())}>{ badge_label(value.type_name()) }</span>
                <span class="muted">{ format!("{} element(s) · ~{} B", value.element_count(), mem) }</span>
                <span class="encoding" title="How Redis stores it: OBJECT ENCODING. Small values use compact encodings (listpack, intset, embstr) and convert when they grow.">{ encoding }</span>
                if let Some(ttl) = ttl { <span class="ttl has-ttl">{ ttl }</span> }
                <button class="btn quiet" onclick={on_close} aria-label="Close">{"✕"}</button>
            </div>
            { for switch }
            <div class="detail-body" data-view={current}>{ view_value(&value, current, fields.as_deref(), props.now) }</div>
        </div>
    }
}

/// The views a value offers, its default first.
fn lenses(value: &Value) -> Vec<&'static str> {
    match value {
        Value::Str(_) => vec!["value", "bits"],
        Value::Json(_) => vec!["tree", "text"],
        Value::ZSet(z) => match geo_kind(z) {
            Some(true) => vec!["coordinates", "scores"],
            Some(false) => vec!["scores", "coordinates"],
            None => vec![],
        },
        _ => vec![],
    }
}

fn view_value(value: &Value, lens: &str, fields: Option<&FieldTtls>, now: u64) -> Html {
    let more = |len: usize| {
        (len > MAX_ITEMS).then(|| html! { <p class="muted">{ format!("… {} more", len - MAX_ITEMS) }</p> })
    };
    match value {
        Value::Str(s) if lens == "bits" => bits_view(s),
        Value::Str(s) if hll::is_hll(s) => hll_view(s),
        Value::Str(s) => match as_vector(s) {
            Some(floats) => html! {
                <div class="vector"><p>{"vector blob "}<code>{ format_vector(&floats) }</code></p>
                <pre class="value">{ repr(s) }</pre></div>
            },
            None => html! { <pre class="value">{ repr(s) }</pre> },
        },
        Value::Hash(h) => html! {
            <>
            { hash_view(h, fields, now, MAX_ITEMS) }
            { for more(h.len()) }
            </>
        },
        Value::List(l) => {
            let rows = l.iter().take(MAX_ITEMS).enumerate();
            let rows = rows.map(|(i, v)| vec![td(Some("num"), i.to_string()), td(None, repr(v))]).collect();
            html! { <>{ table("", &["index", "element"], rows) }{ for more(l.len()) }</> }
        }
        Value::Set(s) => html! {
            <>
            <ul class="members">{ for s.iter().take(MAX_ITEMS).map(|m| html! { <li>{ repr(m) }</li> }) }</ul>
            { for more(s.len()) }
            </>
        },
        Value::ZSet(z) if lens == "coordinates" => {
            html! { <>{ geo_view(z, MAX_ITEMS) }{ for more(z.len()) }</> }
        }
        Value::Stream(s) => html! { <>{ stream_view(s, MAX_ITEMS) }{ for more(s.len()) }</> },
        Value::Suggest(d) => {
            let rows =
                d.entries.iter().take(MAX_ITEMS).map(|(t, e)| {
                    vec![td(None, t.clone()), td(Some("num"), format_double(f64::from(e.score)))]
                });
            html! { <>{ table("", &["suggestion", "score"], rows.collect()) }{ for more(d.len()) }</> }
        }
        Value::ZSet(z) => {
            let rows = z.iter().take(MAX_ITEMS).enumerate().map(|(i, (m, score))| {
                vec![td(Some("num"), i.to_string()), td(None, repr(m)), td(Some("num"), format_double(score))]
            });
            html! { <>{ table("", &["rank", "member", "score"], rows.collect()) }{ for more(z.len()) }</> }
        }
        Value::Json(j) if lens != "text" => json_tree(j),
        Value::Json(j) => {
            let fmt = playground_engine::types::json::Format {
                indent: "  ".into(),
                newline: "\n".into(),
                space: " ".into(),
            };
            let mut text = String::new();
            j.write(&mut text, &fmt, 0);
            html! { <pre class="value">{ text }</pre> }
        }
    }
}
