//! Markdown written by staff and editors, rendered to HTML on the server and cleaned there:
//! whatever the text holds (raw HTML, scripts, event handlers, `javascript:` links, frames),
//! only ammonia's allow-list of tags and attributes reaches a reader.

use pulldown_cmark::{Options, Parser, html};

/// The HTML of `markdown`, safe to put in a page as is.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_html() {
        let html = render(
            "# Titre\n\nUn **mot** et [un lien](/legal/terms).\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        );
        assert!(html.contains("<h1>Titre</h1>"), "{html}");
        assert!(html.contains("<strong>mot</strong>"));
        assert!(html.contains(r#"href="/legal/terms""#));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn scripts_handlers_and_foreign_frames_never_pass() {
        for payload in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
        ] {
            let html = render(payload).to_ascii_lowercase();
            for bad in ["<script", "onerror", "javascript:", "<iframe", "onload"] {
                assert!(!html.contains(bad), "{payload} → {html}");
            }
        }
    }
}
