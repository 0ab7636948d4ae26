//! The wishlist's heart (on cards and product pages) and the back-in-stock alert form. Both are
//! plain forms until the page's script runs; the heart then toggles in place.

use super::api::{AskStockAlert, set_wishlist};
use super::model::Watching;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::forms::{FormError, error_of, here, sign_in_then};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// What this request has read of the customer's wishlist, shared by every heart of the page
/// (server side): one read however many cards it shows.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct WatchingCell(std::sync::Arc<tokio::sync::OnceCell<Watching>>);

/// Lets the page's hearts and alert forms share one read of the customer's wishlist (the shell
/// calls it once per page).
pub fn provide_watching() {
    #[cfg(feature = "ssr")]
    provide_context(WatchingCell::default());
}

/// Reads the signed-in customer's wishlist and alerts at most once per page (the page's
/// [`WatchingCell`]; on the browser side, where these views are never built, nothing).
#[derive(Clone, Default)]
struct Reader {
    #[cfg(feature = "ssr")]
    cell: WatchingCell,
}

impl Reader {
    fn new() -> Self {
        Reader {
            #[cfg(feature = "ssr")]
            cell: use_context::<WatchingCell>().unwrap_or_default(),
        }
    }

    async fn read(self) -> Watching {
        #[cfg(feature = "ssr")]
        {
            self.cell
                .0
                .get_or_init(super::api::watching_now)
                .await
                .clone()
        }
        #[cfg(not(feature = "ssr"))]
        {
            Watching::default()
        }
    }
}

/// The heart of product `product_id` (named `name`): keeps it in the signed-in customer's
/// wishlist or takes it out; a visitor is asked to sign in first, then comes back here.
#[component]
pub fn WishlistHeart(product_id: i32, name: String) -> impl IntoView {
    let locale = use_locale();
    let back = here();
    let reader = Reader::new();
    let label = format!("{} – {name}", locale.t(Msg::WishlistKeep));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (reader, back, label) = (reader.clone(), back.clone(), label.clone());
                Suspend::new(async move {
                    let watching = reader.read().await;
                    if watching.email.is_none() {
                        let href = sign_in_then(&back);
                        let label = format!("{label} ({})", locale.t(Msg::WishlistSignIn));
                        return view! {
                            <a class="wishlist-heart" href=href aria-label=label.clone() title=label>
                                <HeartIcon/>
                            </a>
                        }.into_any();
                    }
                    let saved = watching.saved.contains(&product_id);
                    view! { <HeartToggle product_id saved back label/> }.into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn HeartIcon() -> impl IntoView {
    view! {
        <svg class="wishlist-heart__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path d="M12 20.5s-7.5-4.6-9.3-9.4C1.5 7.9 3.6 4.5 7 4.5c2 0 3.4 1.1 5 3 1.6-1.9 3-3 5-3 3.4 0 5.5 3.4 4.3 6.6-1.8 4.8-9.3 9.4-9.3 9.4z"/>
        </svg>
    }
}

/// The signed-in customer's heart: a form posting the wanted state (sent twice, it leaves the
/// same wishlist); once the page's script runs, it toggles without leaving the page.
#[island]
pub fn HeartToggle(product_id: i32, saved: bool, back: String, label: String) -> impl IntoView {
    let saved = RwSignal::new(saved);
    let busy = RwSignal::new(false);
    let sign_in = sign_in_then(&back);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let want = !saved.get_untracked();
        let sign_in = sign_in.clone();
        leptos::task::spawn_local(async move {
            match set_wishlist(product_id, want, None).await {
                Ok(now) => saved.set(now),
                Err(AppError::Unauthorized) => {
                    // The session ended meanwhile: sign in, then back here.
                    let _ = window().location().assign(&sign_in);
                }
                Err(_) => {}
            }
            busy.set(false);
        });
    };
    view! {
        <form class="wishlist-heart-form" method="post" action="/api/wishlist/set" on:submit=on_submit>
            <input type="hidden" name="product_id" value=product_id.to_string()/>
            <input type="hidden" name="saved" value=(!saved.get_untracked()).to_string() prop:value=move || (!saved.get()).to_string()/>
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="wishlist-heart" class:wishlist-heart--saved=move || saved.get()
                aria-pressed=move || saved.get().to_string() aria-label=label.clone() title=label data-testid="wishlist-heart">
                <HeartIcon/>
            </button>
        </form>
    }
}

/// On a product out of stock: "tell me when it is back". One click for a signed-in customer
/// (their verified address); a visitor gives an address and confirms by the emailed link.
#[component]
pub fn StockAlert(product_id: i32) -> impl IntoView {
    let locale = use_locale();
    let asked = crate::ui::forms::query("alert").is_some();
    let back = here();
    let reader = Reader::new();
    view! {
        <section class="stock-alert" id="stock-alert" aria-labelledby="stock-alert-title" data-testid="stock-alert">
            <h2 id="stock-alert-title">{locale.t(Msg::AlertTitle)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let (reader, back) = (reader.clone(), back.clone());
                    Suspend::new(async move {
                        let watching = reader.read().await;
                        alert_body(watching, product_id, asked, back, locale)
                    })
                }}
            </Suspense>
        </section>
    }
}

fn alert_body(
    watching: Watching,
    product_id: i32,
    asked: bool,
    back: String,
    locale: Locale,
) -> AnyView {
    let waiting = watching.alerts.contains(&product_id);
    match watching.email {
        Some(email) if waiting => view! {
            <p class="form-notice" role="status">{locale.t(Msg::AlertWaiting).replace("{email}", &email)}</p>
        }
        .into_any(),
        None if asked => view! {
            <p class="form-notice" role="status">{locale.t(Msg::AlertCheckInbox)}</p>
        }
        .into_any(),
        signed_in => {
            let action = ServerAction::<AskStockAlert>::new();
            let error = error_of(action);
            view! {
                <ActionForm action attr:class="stock-alert__form">
                    <FormError error/>
                    <input type="hidden" name="product_id" value=product_id.to_string()/>
                    <input type="hidden" name="back" value=back/>
                    {match signed_in {
                        Some(email) => view! {
                            <p class="stock-alert__lead">{locale.t(Msg::AlertSignedIn).replace("{email}", &email)}</p>
                        }.into_any(),
                        None => view! {
                            <p class="stock-alert__lead">{locale.t(Msg::AlertLead)}</p>
                            <div class="field">
                                <label for="stock-alert-email">{locale.t(Msg::EmailLabel)}</label>
                                <input id="stock-alert-email" type="email" name="email" autocomplete="email" required=true/>
                            </div>
                        }.into_any(),
                    }}
                    <button class="button button--primary" type="submit">{locale.t(Msg::AlertAsk)}</button>
                    <p class="field__hint">{locale.t(Msg::AlertNote)}</p>
                </ActionForm>
            }
            .into_any()
        }
    }
}
