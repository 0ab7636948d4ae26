//! The 400, 403, 404 and 500 pages. They set the response status on the server and say nothing internal.

use crate::error::AppError;
use crate::i18n::{Msg, t};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

pub(crate) fn set_status(_status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(_status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
}

/// Answers 301 to `location` (a page that moved for good).
pub(crate) fn moved_permanently(_location: &str) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::MOVED_PERMANENTLY);
        if let Ok(value) = http::HeaderValue::from_str(_location) {
            response.insert_header(http::header::LOCATION, value);
        }
    }
}

/// Shown for any path the store does not know, with status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text=t(Msg::NotFoundTitle)/>
        <section class="status-page container">
            <p class="status-page__code">"404"</p>
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundText)}</p>
            <p><a class="button" href="/">{t(Msg::BackHome)}</a></p>
        </section>
    }
}

/// Shown to a signed-in account whose role may not open the page, with status 403.
#[component]
pub fn ForbiddenPage(message: Msg) -> impl IntoView {
    set_status(403);
    view! {
        <Title text=t(message)/>
        <section class="status-page container" role="alert">
            <p class="status-page__code">"403"</p>
            <h1>{t(message)}</h1>
            <p><a class="button" href="/account">{t(Msg::BackToAccount)}</a></p>
        </section>
    }
}

/// Shown for a malformed address (a bad page number, an unknown sort), with status 400 and a
/// message saying what was wrong.
#[component]
pub fn BadRequestPage(
    #[prop(into)] message: String,
    #[prop(into)] back_href: String,
    back_label: Msg,
) -> impl IntoView {
    set_status(400);
    view! {
        <Title text=t(Msg::BadRequestTitle)/>
        <section class="status-page container" role="alert">
            <p class="status-page__code">"400"</p>
            <h1>{t(Msg::BadRequestTitle)}</h1>
            <p>{message}</p>
            <p><a class="button" href=back_href>{t(back_label)}</a></p>
        </section>
    }
}

/// Shown when a page could not be built, with status 500; the cause is logged, never shown.
#[component]
pub fn ErrorPage() -> impl IntoView {
    set_status(500);
    view! {
        <Title text=t(Msg::ErrorTitle)/>
        <section class="status-page container" role="alert">
            <p class="status-page__code">"500"</p>
            <h1>{t(Msg::ErrorTitle)}</h1>
            <p>{t(Msg::ErrorText)}</p>
            <p><a class="button" href="/">{t(Msg::BackHome)}</a></p>
        </section>
    }
}

/// What a page shows while its data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading container">{t(Msg::Loading)}</p> }
}

/// A back-office page's answer to a refused load: sign in, 403, 404 or the error page.
pub fn gate(error: AppError, back: &str) -> AnyView {
    match error {
        AppError::Unauthorized => {
            view! { <Redirect path=super::forms::sign_in_then(back)/> }.into_any()
        }
        AppError::Forbidden => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        _ => view! { <ErrorPage/> }.into_any(),
    }
}
