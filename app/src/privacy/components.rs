//! The cookie banner, the footer's "Cookie preferences" link and the audience measurement.
//!
//! Without WASM the banner is plain HTML: three forms posting to the consent server function,
//! which keeps the choice and sends the browser back to the page; "Customise" is a native
//! `<details>`. Once hydrated, the forms are sent in the background and the banner closes in
//! place, and the footer link reopens it instead of opening the cookie policy. The measurement
//! is the one script of ours that is not strictly necessary: it runs only on a page whose
//! standing choice (or the choice just made) accepts audience measurement.

use crate::i18n::{Locale, Msg};
use crate::privacy::consent::Choices;
use leptos::prelude::*;

/// Whether the banner is open, shared by the banner and the footer link of a page.
fn banner_open() -> ArcRwSignal<bool> {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static OPEN: ArcRwSignal<bool> = ArcRwSignal::new(false);
        }
        OPEN.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        ArcRwSignal::new(false)
    }
}

/// Counts a view of this page (browser only; the server stores nothing without the consent).
fn measure() {
    #[cfg(feature = "hydrate")]
    {
        let path = window().location().pathname().unwrap_or_default();
        leptos::task::spawn_local(async move {
            let _ = super::api::count_visit(path).await;
        });
    }
}

/// The banner: open on a first visit and whenever no choice stands (none, lapsed after
/// 13 months, or made under an older banner). `choices` are those standing (all off when
/// none); `next` is this page, where a form posted without JavaScript comes back.
#[island]
pub fn ConsentBanner(open: bool, choices: Choices, next: String, locale: Locale) -> impl IntoView {
    let shown = banner_open();
    shown.set(open);
    let current = RwSignal::new(choices);
    let failed = RwSignal::new(false);
    let measured = StoredValue::new(false);
    let measure_once = move || {
        if !measured.get_value() {
            measured.set_value(true);
            measure();
        }
    };
    // A standing choice that accepts the measurement: count this page.
    Effect::new(move |_| {
        if !open && choices.audience {
            measure_once();
        }
    });

    let choose = {
        let shown = shown.clone();
        move |ev: leptos::ev::SubmitEvent, choice: &'static str| {
            ev.prevent_default();
            let picked = match choice {
                "accept" => Choices::ALL,
                "refuse" => Choices::NONE,
                _ => read_custom(&ev),
            };
            let shown = shown.clone();
            leptos::task::spawn_local(async move {
                let flag = |on: bool| on.then(|| "on".to_owned());
                let saved = super::api::save_consent(
                    choice.to_owned(),
                    flag(picked.audience),
                    flag(picked.preferences),
                    flag(picked.advertising),
                    None,
                )
                .await;
                failed.set(saved.is_err());
                if saved.is_ok() {
                    current.set(picked);
                    shown.set(false);
                    if picked.audience {
                        measure_once();
                    }
                }
            });
        }
    };
    let on_accept = {
        let choose = choose.clone();
        move |ev| choose(ev, "accept")
    };
    let on_refuse = {
        let choose = choose.clone();
        move |ev| choose(ev, "refuse")
    };
    let on_custom = move |ev| choose(ev, "custom");
    let hidden = {
        let shown = shown.clone();
        move || !shown.get()
    };
    let category = move |name: &'static str,
                         title: &'static str,
                         text: &'static str,
                         on: fn(&Choices) -> bool| {
        let id = format!("consent-{name}");
        view! {
            <div class="consent__category">
                <input type="checkbox" id=id.clone() name=name value="on"
                    prop:checked=move || on(&current.get())/>
                <label for=id>
                    <strong>{title}</strong>
                    <span>{text}</span>
                </label>
            </div>
        }
    };
    view! {
        <section id="consent-banner" class="consent" role="region" aria-labelledby="consent-title" hidden=hidden>
            <div class="consent__inner container">
                <h2 id="consent-title" tabindex="-1">{locale.t(Msg::ConsentTitle)}</h2>
                <p class="consent__text">
                    {locale.t(Msg::ConsentText)} " "
                    <a href="/legal/cookies">{locale.t(Msg::ConsentLearnMore)}</a>
                </p>
                <div class="consent__actions">
                    <form method="post" action="/api/privacy/consent" on:submit=on_refuse>
                        <input type="hidden" name="choice" value="refuse"/>
                        <input type="hidden" name="next" value=next.clone()/>
                        <button type="submit" class="button consent__button">{locale.t(Msg::ConsentRefuseAll)}</button>
                    </form>
                    <form method="post" action="/api/privacy/consent" on:submit=on_accept>
                        <input type="hidden" name="choice" value="accept"/>
                        <input type="hidden" name="next" value=next.clone()/>
                        <button type="submit" class="button consent__button">{locale.t(Msg::ConsentAcceptAll)}</button>
                    </form>
                </div>
                <details class="consent__custom">
                    <summary>{locale.t(Msg::ConsentCustomise)}</summary>
                    <form method="post" action="/api/privacy/consent" on:submit=on_custom>
                        <input type="hidden" name="choice" value="custom"/>
                        <input type="hidden" name="next" value=next/>
                        <div class="consent__category">
                            <input type="checkbox" id="consent-necessary" checked disabled/>
                            <label for="consent-necessary">
                                <strong>{locale.t(Msg::ConsentNecessary)}</strong>
                                <span>{locale.t(Msg::ConsentNecessaryText)}</span>
                            </label>
                        </div>
                        {category("audience", locale.t(Msg::ConsentAudience), locale.t(Msg::ConsentAudienceText), |c| c.audience)}
                        {category("preferences", locale.t(Msg::ConsentPreferences), locale.t(Msg::ConsentPreferencesText), |c| c.preferences)}
                        {category("advertising", locale.t(Msg::ConsentAdvertising), locale.t(Msg::ConsentAdvertisingText), |c| c.advertising)}
                        <button type="submit" class="button consent__button">{locale.t(Msg::ConsentSave)}</button>
                    </form>
                </details>
                <p class="consent__status" role="alert">
                    {move || failed.get().then(|| locale.t(Msg::ConsentFailed))}
                </p>
            </div>
        </section>
    }
}

/// The categories ticked in the customise form that sent `ev`.
fn read_custom(ev: &leptos::ev::SubmitEvent) -> Choices {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok());
        let ticked = |name: &str| {
            form.as_ref()
                .and_then(|f| {
                    f.query_selector(&format!("input[name={name}]"))
                        .ok()
                        .flatten()
                })
                .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
                .is_some_and(|input| input.checked())
        };
        Choices {
            audience: ticked("audience"),
            preferences: ticked("preferences"),
            advertising: ticked("advertising"),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        Choices::NONE
    }
}

/// The footer's "Cookie preferences": the cookie policy's choice section without WASM; once
/// hydrated, it reopens the banner on this page.
#[island]
pub fn CookiePreferencesLink(locale: Locale) -> impl IntoView {
    let shown = banner_open();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        shown.set(true);
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            request_animation_frame(|| {
                if let Some(title) = document()
                    .get_element_by_id("consent-title")
                    .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok())
                {
                    let _ = title.focus();
                }
            });
        }
    };
    view! {
        <a href="/legal/cookies#cookie-choices" on:click=on_click>{locale.t(Msg::CookiePreferences)}</a>
    }
}
