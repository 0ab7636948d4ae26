//! The cart-reminders panel of `/account/privacy`: off by default, one click to turn on or off.

use crate::cart::api::{SetCartReminders, my_cart_reminders};
use crate::i18n::{Msg, use_locale};
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The panel: what reminders are, whether they are on, and the button that switches them.
#[component]
pub fn AccountCartReminders() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetCartReminders>::new();
    let state = Resource::new(move || action.version().get(), |_| my_cart_reminders());
    view! {
        <article class="account__panel" id="cart-reminders">
            <h2>{locale.t(Msg::CartRemindersTitle)}</h2>
            <p>{locale.t(Msg::CartRemindersText)}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let Ok(on) = state.await else {
                        return view! { <ErrorPage/> }.into_any();
                    };
                    view! {
                        <p data-reminders=if on { "on" } else { "off" }>
                            <strong>{locale.t(if on { Msg::CartRemindersOn } else { Msg::CartRemindersOff })}</strong>
                        </p>
                        <ActionForm action>
                            <input type="hidden" name="on" value=if on { "no" } else { "yes" }/>
                            <button class="button" type="submit">
                                {locale.t(if on { Msg::CartRemindersStop } else { Msg::CartRemindersStart })}
                            </button>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </article>
    }
}
