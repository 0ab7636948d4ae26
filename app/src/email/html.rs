//! The HTML part of every email, made from its text part.
//!
//! An email is written once, as text; this module reads the few conventions the texts follow
//! and lays the same words out in the shop's look, so the two parts can never disagree on an
//! amount or a link:
//!
//! - paragraphs are separated by a blank line;
//! - a line `Label : https://…` (or `Label? https://…`, the label at most 60 characters) is an
//!   action: a button labelled `Label` that opens the link; a link alone on its line is a button
//!   too ("Ouvrir le lien");
//! - lines indented by two spaces are rows of a table (an order's lines and totals, an
//!   address), `label — value` in two columns; a line ending with `:` just before them is the
//!   table's heading, and a `Total` row is bold;
//! - any other link in a sentence is a plain link.
//!
//! The page is at most 600 px wide, every style is inline (mail clients drop style sheets), each
//! element sets both its colours so a client that inverts colours in dark mode keeps the
//! contrast, and nothing depends on the logo image: the shop's name is text beside it.
//! Everything interpolated is escaped by maud.

use crate::i18n::Locale;
use maud::{DOCTYPE, Markup, html};

/// What the text says, block by block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block<'a> {
    /// Lines of one paragraph.
    Paragraph(Vec<&'a str>),
    /// One action: its label (none for a bare link) and link.
    Button {
        label: Option<&'a str>,
        url: &'a str,
    },
    /// Rows of a table, with the line that announced them.
    Rows {
        heading: Option<&'a str>,
        rows: Vec<Row<'a>>,
    },
}

/// A row: a label and, for `label — value` rows, a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub label: &'a str,
    pub value: Option<&'a str>,
}

/// Where the email comes from: the shop's public address and name.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    pub site: &'a str,
    pub shop: &'a str,
    pub locale: Locale,
}

/// Longest label an action line may have; a longer text before a link is a sentence.
const LABEL_MAX: usize = 60;

fn is_url(word: &str) -> bool {
    (word.starts_with("https://") || word.starts_with("http://"))
        && !word.contains(char::is_whitespace)
}

/// `line` as an action: `Label : url`, `Label? url` or a bare `url`.
fn action(line: &str) -> Option<(Option<&str>, &str)> {
    let line = line.trim();
    if is_url(line) {
        return Some((None, line));
    }
    let (head, url) = line.rsplit_once(' ')?;
    if !is_url(url) {
        return None;
    }
    let head = head.trim_end();
    let label = if let Some(label) = head.strip_suffix(':') {
        label.trim_end()
    } else if head.ends_with('?') {
        head
    } else {
        return None;
    };
    (!label.is_empty() && label.chars().count() <= LABEL_MAX && !label.contains("://"))
        .then_some((Some(label), url))
}

fn row(line: &str) -> Row<'_> {
    let line = line.trim();
    match line.rsplit_once(" — ") {
        Some((label, value)) => Row {
            label: label.trim(),
            value: Some(value.trim()),
        },
        None => Row {
            label: line,
            value: None,
        },
    }
}

/// The blocks of `text`.
pub fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut words: Vec<&str> = Vec::new();
        let mut lines = paragraph
            .lines()
            .filter(|l| !l.trim().is_empty())
            .peekable();
        while let Some(line) = lines.next() {
            if line.starts_with("  ") {
                let heading = words
                    .last()
                    .filter(|w| w.trim_end().ends_with(':'))
                    .copied();
                if heading.is_some() {
                    words.pop();
                }
                if !words.is_empty() {
                    out.push(Block::Paragraph(std::mem::take(&mut words)));
                }
                let mut rows = vec![row(line)];
                while let Some(next) = lines.next_if(|l| l.starts_with("  ")) {
                    rows.push(row(next));
                }
                out.push(Block::Rows {
                    heading: heading.map(|h| h.trim_end().trim_end_matches(':').trim_end()),
                    rows,
                });
            } else if let Some((label, url)) = action(line) {
                if !words.is_empty() {
                    out.push(Block::Paragraph(std::mem::take(&mut words)));
                }
                out.push(Block::Button { label, url });
            } else {
                words.push(line);
            }
        }
        if !words.is_empty() {
            out.push(Block::Paragraph(words));
        }
    }
    out
}

/// Brand colours (the site's): deep green on cream.
const GREEN: &str = "#2f4a3a";
const CREAM: &str = "#fbf7f0";
const INK: &str = "#1f2a24";
const MUTED: &str = "#5b645e";
const RULE: &str = "#e3dccf";
const FONT: &str = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const SERIF: &str = "Georgia,'Times New Roman',serif";

/// `line` with its links clickable.
fn linked(line: &str) -> Markup {
    html! {
        @for (i, word) in line.split(' ').enumerate() {
            @if i > 0 { " " }
            @let start = word.find("http").unwrap_or(0);
            @let bare = word[start..].trim_end_matches(['.', ',', ';', ')']);
            @if is_url(bare) {
                (&word[..start])
                a href=(bare) style={ "color:" (GREEN) ";text-decoration:underline;word-break:break-all;" } { (shown(bare)) }
                (&word[start + bare.len()..])
            } @else {
                (word)
            }
        }
    }
}

/// How a link in a sentence reads: its address without the scheme, the query (keys and
/// tokens are long and mean nothing to a reader) or the fragment. The link itself is whole.
fn shown(url: &str) -> &str {
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = url.find(['?', '#']).unwrap_or(url.len());
    url[..end].trim_end_matches('/')
}

fn button(label: &str, url: &str) -> Markup {
    html! {
        table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:4px 0 20px;" {
            tr { td style={ "border-radius:6px;background:" (GREEN) ";" } {
                a href=(url) style={ "display:inline-block;padding:12px 22px;border-radius:6px;background:" (GREEN) ";color:#ffffff;font:600 16px/1.3 " (FONT) ";text-decoration:none;" } { (label) }
            } }
        }
    }
}

fn rows(heading: Option<&str>, rows: &[Row<'_>]) -> Markup {
    let cell = format!(
        "padding:8px 0;border-bottom:1px solid {RULE};color:{INK};font:15px/1.45 {FONT};vertical-align:top;"
    );
    html! {
        @if let Some(heading) = heading {
            p style={ "margin:0 0 4px;color:" (MUTED) ";font:600 13px/1.4 " (FONT) ";text-transform:uppercase;letter-spacing:.04em;" } { (heading) }
        }
        table cellpadding="0" cellspacing="0" border="0" width="100%" style="width:100%;border-collapse:collapse;margin:0 0 20px;" {
            @for row in rows {
                @let bold = if row.label == "Total" { "font-weight:700;" } else { "" };
                tr {
                    @match row.value {
                        Some(value) => {
                            td style={ (cell) (bold) "padding-right:12px;" } { (row.label) }
                            // An amount stays on one line; a longer value ("67,70 € (TVA
                            // incluse)") may wrap rather than squeeze the label on a phone.
                            @let wrap = if value.chars().count() <= 12 { "white-space:nowrap;" } else { "" };
                            td align="right" style={ (cell) (bold) "text-align:right;" (wrap) } { (value) }
                        }
                        // An address line: no rule between the lines of one address.
                        None => td colspan="2" style={ "padding:1px 0;color:" (INK) ";font:15px/1.45 " (FONT) ";" } { (row.label) },
                    }
                }
            }
        }
    }
}

/// The HTML part of an email whose subject is `subject` and text part `text`.
pub fn render(frame: Frame<'_>, subject: &str, text: &str) -> String {
    let site = frame.site.trim_end_matches('/');
    let open = match frame.locale {
        Locale::Fr => "Ouvrir le lien",
        Locale::En => "Open the link",
    };
    let footer = match frame.locale {
        Locale::Fr => "Vous recevez cet e-mail de",
        Locale::En => "You are receiving this email from",
    };
    let page = html! {
        (DOCTYPE)
        html lang=(frame.locale.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light";
                meta name="supported-color-schemes" content="light";
                title { (subject) }
            }
            body style={ "margin:0;padding:0;background:" (CREAM) ";color:" (INK) ";" } {
                table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style={ "width:100%;background:" (CREAM) ";" } {
                    tr { td align="center" style="padding:24px 12px;" {
                        table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600" style="width:100%;max-width:600px;background:#ffffff;border-radius:10px;" {
                            tr { td style={ "padding:18px 28px;background:" (GREEN) ";border-radius:10px 10px 0 0;" } {
                                a href=(site) style={ "color:" (CREAM) ";text-decoration:none;font:600 20px/40px " (SERIF) ";" } {
                                    img src={ (site) "/img/email-logo.png" } width="40" height="40" alt="" style="vertical-align:middle;border:0;margin-right:10px;";
                                    span style={ "vertical-align:middle;color:" (CREAM) ";" } { (frame.shop) }
                                }
                            } }
                            tr { td style={ "padding:28px;background:#ffffff;color:" (INK) ";font:16px/1.55 " (FONT) ";" } {
                                h1 style={ "margin:0 0 18px;color:" (GREEN) ";font:600 22px/1.3 " (SERIF) ";" } { (subject) }
                                @for block in blocks(text) {
                                    @match block {
                                        Block::Paragraph(lines) => p style={ "margin:0 0 16px;color:" (INK) ";font:16px/1.55 " (FONT) ";" } {
                                            @for (i, line) in lines.iter().enumerate() {
                                                @if i > 0 { br; }
                                                (linked(line))
                                            }
                                        },
                                        Block::Button { label, url } => (button(label.unwrap_or(open), url)),
                                        Block::Rows { heading, rows: r } => (rows(heading, &r)),
                                    }
                                }
                            } }
                            tr { td style={ "padding:16px 28px 22px;border-top:1px solid " (RULE) ";background:#ffffff;color:" (MUTED) ";font:13px/1.5 " (FONT) ";border-radius:0 0 10px 10px;" } {
                                (footer) " " a href=(site) style={ "color:" (MUTED) ";" } { (frame.shop) } "."
                            } }
                        }
                    } }
                }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: &str = "Bonjour Camille,\n\nMerci pour votre commande CB26-7K3M9Q.\n\n  2 × Fer — 31,80 €\n  Livraison — 4,90 €\n  Total — 36,70 € (TVA incluse)\n\nLivraison à :\n  Camille Martin\n  3 rue des Lilas\n\nSuivre votre commande : https://shop.example/orders/CB26?key=k1\nMot de passe oublié ? https://shop.example/reset\n\nConfirmez en ouvrant ce lien (valable 48 heures) :\nhttps://shop.example/verify?token=t\n\nVotre facture reste téléchargeable ici, à tout moment et sans compte : https://shop.example/f.pdf\n";

    #[test]
    fn the_text_conventions_make_blocks() {
        let b = blocks(ORDER);
        assert_eq!(b[0], Block::Paragraph(vec!["Bonjour Camille,"]));
        assert_eq!(
            b[2],
            Block::Rows {
                heading: None,
                rows: vec![
                    Row {
                        label: "2 × Fer",
                        value: Some("31,80 €")
                    },
                    Row {
                        label: "Livraison",
                        value: Some("4,90 €")
                    },
                    Row {
                        label: "Total",
                        value: Some("36,70 € (TVA incluse)")
                    },
                ]
            }
        );
        assert_eq!(
            b[3],
            Block::Rows {
                heading: Some("Livraison à"),
                rows: vec![
                    Row {
                        label: "Camille Martin",
                        value: None
                    },
                    Row {
                        label: "3 rue des Lilas",
                        value: None
                    },
                ]
            }
        );
        assert_eq!(
            b[4],
            Block::Button {
                label: Some("Suivre votre commande"),
                url: "https://shop.example/orders/CB26?key=k1"
            }
        );
        assert_eq!(
            b[5],
            Block::Button {
                label: Some("Mot de passe oublié ?"),
                url: "https://shop.example/reset"
            }
        );
        assert_eq!(
            b[6],
            Block::Paragraph(vec!["Confirmez en ouvrant ce lien (valable 48 heures) :"])
        );
        assert_eq!(
            b[7],
            Block::Button {
                label: None,
                url: "https://shop.example/verify?token=t"
            }
        );
        // A long sentence before a link stays a sentence.
        assert!(matches!(&b[8], Block::Paragraph(l) if l.len() == 1));
        assert_eq!(b.len(), 9);
    }

    #[test]
    fn the_page_carries_the_same_facts_escaped() {
        let frame = Frame {
            site: "https://shop.example/",
            shop: "Comptoir Botanique",
            locale: Locale::Fr,
        };
        let page = render(
            frame,
            "Commande <b>CB26</b>",
            &format!("{ORDER}\nNote : <script>alert(1)</script> & \"x\"\n"),
        );
        assert!(page.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
        for fact in [
            "31,80 €",
            "36,70 € (TVA incluse)",
            "Camille Martin",
            "href=\"https://shop.example/orders/CB26?key=k1\"",
            ">Suivre votre commande<",
            ">Ouvrir le lien<",
            "href=\"https://shop.example/f.pdf\"",
        ] {
            assert!(page.contains(fact), "{fact} missing");
        }
        assert!(!page.contains("<script>") && !page.contains("<b>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(page.contains("Commande &lt;b&gt;CB26&lt;/b&gt;"));
        // Nothing wider than the 600 px column; no style sheet, only inline styles.
        assert!(page.contains("max-width:600px"));
        assert!(!page.contains("<style"));
        let en = render(
            Frame {
                locale: Locale::En,
                ..frame
            },
            "Hi",
            "https://shop.example/x",
        );
        assert!(
            en.contains("lang=\"en\"")
                && en.contains(">Open the link<")
                && en.contains("You are receiving")
        );
    }

    #[test]
    fn a_link_ending_a_sentence_keeps_its_full_stop_outside() {
        let page = render(
            Frame {
                site: "https://s.example",
                shop: "S",
                locale: Locale::Fr,
            },
            "S",
            "Voir https://s.example/a. Et (https://s.example/b).",
        );
        assert!(page.contains("href=\"https://s.example/a\""));
        assert!(page.contains(">s.example/a</a>. Et"));
        assert!(page.contains("(<a href=\"https://s.example/b\""));
        assert!(page.contains(">s.example/b</a>)."));
        assert_eq!(
            shown("https://s.example/orders/A1/?key=k#withdraw"),
            "s.example/orders/A1"
        );
    }
}
