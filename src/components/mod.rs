//! One component per file. `App` owns the reducer and the contexts; the rest take props.

pub mod app;
pub mod backend_switch;
pub mod clock_bar;
pub mod console;
pub mod console_input;
pub mod header;
pub mod key_browser;
pub mod key_detail;
pub mod key_row;
pub mod labs;
pub mod lessons;
pub mod lessons_root;
pub mod lessons_tab;
pub mod notice;
pub mod python_tab;
pub mod quiz;
pub mod remote_keys;
pub mod remote_stats;
pub mod reply;
pub mod script_editor;
pub mod second_client;
pub mod server_panel;
pub mod sparkline;
pub mod state_bar;
pub mod tab_bar;
pub mod value_views;
