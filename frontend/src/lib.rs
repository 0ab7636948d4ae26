//! The browser entry: hydrates the islands of the server-rendered pages.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Links the `app` crate so that its islands are registered (without this use, every island
    // stays dead and the console only warns "Could not find WASM function for the island").
    #[expect(unused_imports, reason = "links the app crate's islands into the WASM")]
    use app::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
