//! What search engines and link previews read: title, description, canonical URL, Open Graph,
//! and schema.org JSON-LD.

use crate::i18n::{Locale, use_locale};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The store's name in titles and previews.
pub const SITE_NAME: &str = "Comptoir Botanique";

/// `path` as an absolute URL on the store's public address (server side; relative in a browser).
pub fn absolute_url(path: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::state::AppState>() {
        return format!("{}{path}", state.site.public_url.trim_end_matches('/'));
    }
    path.to_owned()
}

/// `title` for the `<title>` element. leptos_meta 0.8 writes the server-rendered title into the
/// head as it is, so a title holding `</title><script>` (an article or product name typed in
/// the back office) would run as markup: the server escapes it here. Pages outside islands
/// never set the title from the browser, where the text would be taken literally.
pub fn title_text(title: &str) -> String {
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title.to_owned()
    }
}

/// The head tags of a page. `path` is its canonical path (with the query that matters).
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] path: String,
    #[prop(optional, into)] image: Option<String>,
    #[prop(default = "website")] og_type: &'static str,
    #[prop(optional)] noindex: bool,
) -> impl IntoView {
    let canonical = absolute_url(&path);
    let og_locale = match use_locale() {
        Locale::Fr => "fr_FR",
        Locale::En => "en_GB",
    };
    let full_title = if title.contains(SITE_NAME) {
        title.clone()
    } else {
        format!("{title} — {SITE_NAME}")
    };
    view! {
        <Title text=title_text(&full_title)/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        <Meta property="og:site_name" content=SITE_NAME/>
        <Meta property="og:type" content=og_type/>
        <Meta property="og:locale" content=og_locale/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=canonical/>
        {image.map(|image| view! { <Meta property="og:image" content=absolute_url(&image)/> })}
        {noindex.then(|| view! { <Meta name="robots" content="noindex, follow"/> })}
    }
}

/// A schema.org JSON-LD block. `<` is escaped so no text can close the script element.
#[component]
pub fn JsonLd(value: serde_json::Value) -> impl IntoView {
    let json = value.to_string().replace('<', "\\u003c");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
