//! Saving and loading through `localStorage` (gloo-storage; the page's own documents as text
//! written by [`crate::json`], so the page carries no serde), and files for export/import
//! (gloo-file). Nothing here may panic: storage can be missing (private modes, sandboxed
//! frames), full, or hold something another version wrote; each case becomes a message.

use crate::json::{write_str, Json};
use crate::persist::{PersistError, Restored, Snapshot};
use crate::session::Session;
use gloo::storage::{LocalStorage, Storage};

/// Where the snapshot lives.
pub const STATE_KEY: &str = "redis-playground:state";
/// Where an unreadable snapshot is moved, so a fresh start does not destroy it.
pub const UNREADABLE_KEY: &str = "redis-playground:state:unreadable";
pub const THEME_KEY: &str = "redis-playground:theme";
pub const LESSONS_KEY: &str = "redis-playground:lessons";

/// gloo's `LocalStorage` throws when the browser has no usable storage; ask web-sys first.
pub fn available() -> bool {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).is_some()
}

/// The session to start with, and a message when the saved one could not be used.
pub struct Loaded {
    pub session: Session,
    pub problem: Option<String>,
    /// What the saved state brought back (empty when starting fresh).
    pub restored: Restored,
}

/// Load the saved session, or start fresh at `real_now_ms` with an explanation.
pub fn load(real_now_ms: u64) -> Loaded {
    let fresh = |problem: Option<String>| Loaded {
        session: Session::new(real_now_ms),
        problem,
        restored: Restored::default(),
    };
    if !available() {
        return fresh(Some(
            "This browser gives the page no local storage, so nothing will be kept across reloads.".into(),
        ));
    }
    // Read the text as is (not through serde) to tell "nothing saved" from "damaged".
    let Ok(Some(text)) = LocalStorage::raw().get_item(STATE_KEY) else { return fresh(None) };
    match Snapshot::from_json(&text).and_then(|snap| snap.restore_with_report()) {
        Ok((session, restored)) => Loaded { session, problem: None, restored },
        Err(err) => {
            // Keep the damaged copy for the curious, then start over.
            let _ = LocalStorage::raw().set_item(UNREADABLE_KEY, &text);
            LocalStorage::delete(STATE_KEY);
            fresh(Some(format!(
                "Your saved playground could not be read: {err}. Starting fresh (the old data was kept under \"{UNREADABLE_KEY}\" in localStorage)."
            )))
        }
    }
}

/// True if the saved session has search indexes: their FT.CREATE needs RediSearch's engine
/// chunk loaded before the session is restored (`crate::families`).
pub fn saved_has_indexes() -> bool {
    available()
        && LocalStorage::raw().get_item(STATE_KEY).ok().flatten().is_some_and(|text| has_indexes(&text))
}

/// True if a saved or imported session's text has search indexes.
pub fn has_indexes(text: &str) -> bool {
    Snapshot::from_json(text).is_ok_and(|snap| !snap.indexes.is_empty())
}

/// Save the session. Returns a message if the browser refused (quota, no storage).
pub fn save(session: &Session) -> Result<(), String> {
    if !available() {
        return Err("no local storage".into());
    }
    let json = Snapshot::capture(session).to_json();
    LocalStorage::raw()
        .set_item(STATE_KEY, &json)
        .map_err(|e| format!("could not save the playground: {}", crate::lazy::describe(&e)))
}

/// Forget the saved session.
pub fn clear() {
    if available() {
        LocalStorage::delete(STATE_KEY);
    }
}

/// Read an imported file's text into a session, and what it brought.
pub fn import(text: &str) -> Result<(Session, Restored), PersistError> {
    Snapshot::from_json(text)?.restore_with_report()
}

pub fn load_theme() -> Option<String> {
    if !available() {
        return None;
    }
    // A JSON string, as gloo's serde `set` wrote it.
    let text = LocalStorage::raw().get_item(THEME_KEY).ok()??;
    Json::parse(&text).ok()?.as_str().map(str::to_string)
}

pub fn save_theme(name: &str) {
    if available() {
        let mut json = String::new();
        write_str(&mut json, name);
        let _ = LocalStorage::raw().set_item(THEME_KEY, &json);
    }
}

/// Steps done per lesson id (an unreadable record counts as no progress). Only the lazily
/// loaded lessons call this, so serde stays out of the page.
pub fn load_lessons() -> std::collections::HashMap<String, usize> {
    if !available() {
        return Default::default();
    }
    LocalStorage::get(LESSONS_KEY).unwrap_or_default()
}

pub fn save_lessons(progress: &std::collections::HashMap<String, usize>) {
    if available() {
        let _ = LocalStorage::set(LESSONS_KEY, progress);
    }
}

/// Offer `text` as a download named `file_name`. The object URL must outlive the click, so it
/// is returned for the caller to keep until the next export.
pub fn download(file_name: &str, text: &str) -> Option<gloo::file::ObjectUrl> {
    use wasm_bindgen::JsCast;
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = web_sys::window()?.document()?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    Some(url)
}
