//! A legal text (Markdown headings and paragraphs) as a PDF.

use super::*;

/// A legal text's Markdown as lines to lay out: headings, paragraphs and list items, with the
/// emphasis marks dropped and each link written out with its address (a file has no links to
/// follow). Quotes (the model form) become plain paragraphs.
pub(super) fn blocks(markdown: &str) -> Vec<(u8, String)> {
    fn plain(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find("](").map(|i| open + i) else {
                break;
            };
            let Some(end) = rest[close..].find(')').map(|i| close + i) else {
                break;
            };
            out.push_str(&rest[..open]);
            out.push_str(&rest[open + 1..close]);
            let url = &rest[close + 2..end];
            if url.starts_with("http") {
                out.push_str(&format!(" ({url})"));
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out.replace("**", "").replace("\\*", "*").replace('`', "")
    }
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, blocks: &mut Vec<(u8, String)>| {
        if !paragraph.trim().is_empty() {
            blocks.push((0, plain(paragraph.trim())));
        }
        paragraph.clear();
    };
    for line in markdown.lines() {
        let line = line.trim_start_matches('>').trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(heading) = line.strip_prefix('#') {
            flush(&mut paragraph, &mut blocks);
            blocks.push((1, plain(heading.trim_start_matches('#').trim())));
        } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            flush(&mut paragraph, &mut blocks);
            blocks.push((2, plain(item)));
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// A legal text (`title`, Markdown `body`) as a PDF of as many A4 pages as it needs.
///
/// # Errors
/// [`PdfError`] if the font cannot be read or the file written.
pub fn render_text(title: &str, body: &str) -> Result<Vec<u8>, PdfError> {
    let (regular, bold) = FACES.as_ref().ok_or(PdfError::Font)?;
    let mut pdf = Document::new();
    let mut w = Writer {
        regular,
        bold,
        y: 70.0,
    };
    let settings = || PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a valid size");
    let mut page = pdf.start_page_with(settings());
    let mut surface = page.surface();
    for line in w.wrap(title, RIGHT - LEFT, 15.0) {
        w.text(&mut surface, LEFT, &line, 15.0, true, GREEN);
        w.y += 19.0;
    }
    w.y += 6.0;
    for (kind, text) in blocks(body) {
        let (size, indent, gap, bold, color) = match kind {
            1 => (11.5, 0.0, 8.0, true, GREEN),
            2 => (9.5, 12.0, 3.0, false, INK),
            _ => (9.5, 0.0, 6.0, false, INK),
        };
        if kind == 1 {
            w.y += 6.0;
        }
        let lines = w.wrap(&text, RIGHT - LEFT - indent, size);
        for (i, line) in lines.iter().enumerate() {
            if w.y > BOTTOM {
                surface.finish();
                page.finish();
                page = pdf.start_page_with(settings());
                surface = page.surface();
                w.y = 70.0;
            }
            if kind == 2 && i == 0 {
                w.text(&mut surface, LEFT, "•", size, false, INK);
            }
            w.text(&mut surface, LEFT + indent, line, size, bold, color);
            w.y += size * 1.35;
        }
        w.y += gap;
    }
    surface.finish();
    page.finish();
    pdf.finish().map_err(PdfError::Write)
}

#[cfg(test)]
mod text_tests {
    use super::super::*;

    #[test]
    fn markdown_becomes_headings_paragraphs_and_items() {
        let blocks = blocks(
            "Intro **bold** [CGV](/legal/terms) and [site](https://exemple.fr).\n\n## Titre\n\n- un\n- deux\n\n> Je/Nous (\\*) vous notifie\n>\n> Signature :",
        );
        assert_eq!(
            blocks,
            [
                (
                    0,
                    "Intro bold CGV and site (https://exemple.fr).".to_owned()
                ),
                (1, "Titre".to_owned()),
                (2, "un".to_owned()),
                (2, "deux".to_owned()),
                (0, "Je/Nous (*) vous notifie".to_owned()),
                (0, "Signature :".to_owned()),
            ]
        );
    }

    #[test]
    fn a_long_text_makes_a_pdf_of_several_pages() {
        let body = "Un paragraphe assez long pour remplir des lignes. ".repeat(400);
        let long =
            render_text("Conditions générales de vente — version 2026-11-01", &body).unwrap();
        let short = render_text("Formulaire", "Un paragraphe.").unwrap();
        assert!(long.starts_with(b"%PDF") && short.starts_with(b"%PDF"));
        assert!(long.len() > short.len());
    }
}
