//! `/feed.xml`: the latest research articles as an Atom feed (RFC 4287), each with its summary
//! and its whole text (rendered and sanitised like the page).

use app::articles::service;
use app::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// Entries in the feed.
pub const FEED_SIZE: u64 = 20;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub async fn feed(State(state): State<AppState>) -> Response {
    let now = state.clock.now();
    let entries = match service::feed(&state.db, now, FEED_SIZE).await {
        Ok(entries) => entries,
        Err(error) => {
            tracing::error!(%error, "feed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "the feed is not available right now\n",
            )
                .into_response();
        }
    };
    let base = state.site.public_url.trim_end_matches('/');
    let updated = entries
        .iter()
        .map(|(a, _)| a.updated_at)
        .max()
        .unwrap_or(now);
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\" xml:base=\"{base}/\">\n\
         <title>{site} — Articles de recherche</title>\n\
         <subtitle>Ce que dit la recherche sur la peau, la nutrition et les actifs d'origine naturelle.</subtitle>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/feed.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/articles\"/>\n\
         <id>{base}/articles</id>\n\
         <updated>{updated}</updated>\n\
         <icon>{base}/favicon.svg</icon>\n",
        site = escape(app::ui::seo::SITE_NAME),
        updated = rfc3339(updated),
    );
    for (article, tags) in entries {
        let url = format!("{base}/articles/{}", article.slug);
        let published = article.published_at.unwrap_or(article.updated_at);
        let _ = write!(
            out,
            "<entry xml:lang=\"{lang}\">\n\
             <title>{title}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <id>{url}</id>\n\
             <published>{published}</published>\n\
             <updated>{updated}</updated>\n\
             <author><name>{author}</name></author>\n",
            lang = escape(&article.lang),
            title = escape(&article.title),
            url = escape(&url),
            published = rfc3339(published),
            updated = rfc3339(article.updated_at.max(published)),
            author = escape(&article.author),
        );
        for tag in tags {
            let _ = writeln!(
                out,
                "<category term=\"{}\" label=\"{}\"/>",
                escape(&tag.slug),
                escape(&tag.label)
            );
        }
        if let Some(cover) = &article.cover_image {
            let _ = writeln!(
                out,
                "<link rel=\"enclosure\" href=\"{}{}\"/>",
                escape(base),
                escape(cover)
            );
        }
        let _ = write!(
            out,
            "<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            escape(&article.summary),
            escape(&app::ui::markdown::render(&article.body)),
        );
    }
    out.push_str("</feed>\n");
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=600"),
        ],
        out,
    )
        .into_response()
}
