//! The editor's Markdown field with its live preview.

use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

/// How long typing must pause before the preview is asked for.
const PAUSE_MS: u64 = 300;

/// The body field and, beside it, the article as readers will see it. The preview is rendered
/// and sanitised by the server (the very function publishing uses), asked for when typing
/// pauses; an answer overtaken by later typing is dropped. Before the WASM loads (or without
/// it) the field is a plain textarea and the preview shows the text as last saved.
#[island]
pub fn MarkdownEditor(body: String, preview: String, locale: Locale) -> impl IntoView {
    let html = RwSignal::new(preview);
    let asked = StoredValue::new(0u64);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                asked.update_value(|n| *n += 1);
                let mine = asked.get_value();
                leptos::task::spawn_local(async move {
                    if let Ok(rendered) = super::api::preview_article(text).await
                        && asked.get_value() == mine
                    {
                        html.set(rendered);
                    }
                });
            },
            std::time::Duration::from_millis(PAUSE_MS),
        )
        .ok();
        pending.set_value(handle);
    };
    view! {
        <div class="md-editor">
            <div class="field md-editor__source">
                <label for="article-body">{locale.t(Msg::AdminArticleBody)}</label>
                <textarea id="article-body" name="body" rows="26" spellcheck="true" on:input=on_input>{body}</textarea>
            </div>
            <section class="md-editor__preview" aria-labelledby="article-preview-title">
                <h2 id="article-preview-title" class="md-editor__title">{locale.t(Msg::AdminArticlePreview)}</h2>
                <p class="md-editor__help">{locale.t(Msg::AdminArticlePreviewHelp)}</p>
                <div class="prose md-editor__output" data-testid="article-preview" inner_html=move || html.get()></div>
            </section>
        </div>
    }
}
