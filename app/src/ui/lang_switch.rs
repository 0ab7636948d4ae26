//! The language switch: the first island.
//!
//! Without WASM it is a native `<details>` menu whose buttons POST the choice to `/lang` (the
//! server sets the cookie and redirects back). Once hydrated it also closes on Escape and on a
//! click outside, and keeps `aria-expanded` on its toggle in step. The element's own `open` is
//! the state: a menu opened before the WASM arrives stays open through hydration.

use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

#[island]
pub fn LanguageSwitch(current: Locale, next: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    let details = NodeRef::<leptos::html::Details>::new();
    // Hydration writes no `open`: the shopper may have opened the native menu already.
    Effect::new(move |_| {
        if let Some(el) = details.get_untracked() {
            open.set(el.open());
        }
        hydrated.set(true);
    });
    // Closing goes through the element; its `toggle` event then brings `open` in step.
    let close = move || {
        if let Some(el) = details.get_untracked() {
            el.set_open(false);
        }
    };

    let _outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let Some(el) = details.get_untracked() else {
            return;
        };
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok());
        if el.open() && !el.contains(target.as_ref()) {
            close();
        }
    });

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && details.get_untracked().is_some_and(|el| el.open()) {
            ev.prevent_default();
            close();
        }
    };
    let on_toggle = move |_| {
        if let Some(el) = details.get_untracked() {
            open.set(el.open());
        }
    };

    view! {
        <details
            class="lang-menu"
            node_ref=details
            on:toggle=on_toggle
            on:keydown=on_keydown
            data-hydrated=move || hydrated.get().then_some("true")
        >
            <summary
                class="tool-link lang-menu__toggle"
                aria-label=format!("{}{}{}", current.t(Msg::Language), current.colon(), current.code().to_ascii_uppercase())
                aria-expanded=move || if open.get() { "true" } else { "false" }
            >
                <span aria-hidden="true">{current.code().to_ascii_uppercase()}</span>
            </summary>
            <form class="lang-menu__list" method="post" action="/lang">
                <input type="hidden" name="next" value=next/>
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <button
                                type="submit"
                                name="lang"
                                value=locale.code()
                                lang=locale.code()
                                aria-current=(locale == current).then_some("true")
                            >
                                {locale.endonym()}
                            </button>
                        }
                    })
                    .collect_view()}
            </form>
        </details>
    }
}
