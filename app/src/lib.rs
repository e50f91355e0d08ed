//! ohnet's user interface: the site shell, routes, pages, the small interactive islands that
//! run in the browser, and thin server functions over the `domain` crate.
//!
//! Built twice: with `ssr` into the server, and with `hydrate` into the browser bundle, where
//! only `#[island]` components ship as wasm (islands mode keeps every page fully usable
//! without JavaScript and the download small).

pub mod accounts;
pub mod admin;
pub mod cpd;
pub mod error;
pub mod files;
pub mod forms;
pub mod forums;
pub mod layout;
pub mod learning;
pub mod library;
pub mod pages;
pub mod query_string;
pub mod search;
pub mod sections;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod context;

/// Browser entry point: hydrates the islands on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
