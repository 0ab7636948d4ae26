//! Pieces every form shares: its error line, a labelled field, the query values a refused form
//! comes back with.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// The message of a failed submission, announced to screen readers.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// The message to show for the last result of a server action.
pub fn error_of<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|result| match result {
            Some(Err(
                AppError::BadRequest(message)
                | AppError::TooManyRequests(message)
                | AppError::Conflict(message)
                | AppError::Unavailable(message),
            )) => Some(message.clone()),
            Some(Err(AppError::Unauthorized)) => {
                Some(crate::i18n::t(crate::i18n::Msg::ErrSignInRequired).to_owned())
            }
            Some(Err(_)) => Some(crate::i18n::t(crate::i18n::Msg::ErrorTitle).to_owned()),
            _ => None,
        })
    })
}

/// The current path with its query string, for returning after a form POST.
pub fn here_path(path: &str, search: &str) -> String {
    match search.trim().trim_start_matches('?') {
        "" => path.to_owned(),
        query => format!("{path}?{query}"),
    }
}

/// This page's path and query string: where a plain form posted from it comes back to.
pub fn here() -> String {
    let location = leptos_router::hooks::use_location();
    here_path(
        &location.pathname.get_untracked(),
        &location.search.get_untracked(),
    )
}

/// The sign-in page, coming back to the local path `back` once signed in.
pub fn sign_in_then(back: &str) -> String {
    format!(
        "/account/sign-in?next={}",
        crate::ui::format::query_value(back)
    )
}

/// A query parameter of the current URL.
pub fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

/// A labelled input.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] value: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                aria-describedby=hint.map(|_| hint_id.clone())
            />
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{hint}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{here_path, sign_in_then};

    #[test]
    fn the_return_path_keeps_the_query_string() {
        assert_eq!(
            here_path("/products", "q=serum&page=2"),
            "/products?q=serum&page=2"
        );
        assert_eq!(here_path("/products", "?q=serum"), "/products?q=serum");
        assert_eq!(here_path("/", ""), "/");
    }

    #[test]
    fn signing_in_comes_back_to_the_encoded_path() {
        assert_eq!(
            sign_in_then("/products?q=a b"),
            "/account/sign-in?next=%2Fproducts%3Fq%3Da+b"
        );
    }
}
