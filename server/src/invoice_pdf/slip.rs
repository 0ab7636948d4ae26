//! Packing slips: one A4 page per order (more when its lines need them), with the order number
//! as a Code 128 barcode a scanner reads at the packing table.

use super::*;
use app::admin::orders::slips::PackingSlip;

/// The modules (bars 1, spaces 0) of `number` in Code 128, character set B (letters, digits
/// and `-`), start, check symbol and stop included.
///
/// # Errors
/// A character outside set B (order numbers never have one).
pub fn code128(number: &str) -> Result<Vec<u8>, String> {
    barcoders::sym::code128::Code128::new(format!("\u{0181}{number}"))
        .map(|code| code.encode())
        .map_err(|e| format!("{e:?}"))
}

/// Draws `modules` as bars from (`x`, `y`), `module` points wide each, `height` high.
fn bars(surface: &mut Surface<'_>, modules: &[u8], x: f32, y: f32, module: f32, height: f32) {
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        ..Fill::default()
    }));
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            #[allow(
                clippy::cast_precision_loss,
                reason = "a barcode has a few hundred modules"
            )]
            let (left, width) = (start as f32 * module, (i - start) as f32 * module);
            if let Some(rect) = Rect::from_xywh(x + left, y, width, height) {
                let mut path = PathBuilder::new();
                path.push_rect(rect);
                if let Some(path) = path.finish() {
                    surface.draw_path(&path);
                }
            }
        } else {
            i += 1;
        }
    }
}

/// The words of a slip in the customer's language.
fn words(locale: Locale) -> [&'static str; 6] {
    match locale {
        Locale::Fr => [
            "Bon de livraison",
            "Commande",
            "passée le",
            "Livraison à",
            "Article",
            "Quantité",
        ],
        Locale::En => [
            "Packing slip",
            "Order",
            "placed on",
            "Deliver to",
            "Item",
            "Quantity",
        ],
    }
}

/// `slips` as one PDF, each order starting a page.
///
/// # Errors
/// [`PdfError`] when the embedded font cannot be read or the PDF not written.
pub fn render_slips(slips: &[PackingSlip]) -> Result<Vec<u8>, PdfError> {
    let (regular, bold) = FACES.as_ref().ok_or(PdfError::Font)?;
    let mut pdf = Document::new();
    let settings = || PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a valid size");
    for slip in slips {
        let [title, order_word, placed, deliver, item, quantity] = words(slip.locale);
        let mut w = Writer {
            regular,
            bold,
            y: 70.0,
        };
        let mut page = pdf.start_page_with(settings());
        let mut surface = page.surface();
        w.text(&mut surface, LEFT, title, 18.0, true, GREEN);
        w.right(
            &mut surface,
            RIGHT,
            &format!("{order_word} {}", slip.number),
            14.0,
            true,
            INK,
        );
        w.y += 16.0;
        w.right(
            &mut surface,
            RIGHT,
            &format!("{placed} {}", slip.placed_on),
            9.0,
            false,
            MUTED,
        );
        // The number as a barcode under it, and in digits for the eye.
        if let Ok(modules) = code128(&slip.number) {
            const MODULE: f32 = 1.2;
            #[allow(clippy::cast_precision_loss, reason = "a few hundred modules")]
            let width = modules.len() as f32 * MODULE;
            bars(
                &mut surface,
                &modules,
                RIGHT - width,
                w.y + 8.0,
                MODULE,
                42.0,
            );
        }
        w.y += 64.0;
        w.right(&mut surface, RIGHT, &slip.number, 9.0, false, INK);
        // The address, as on the label.
        w.y = 110.0;
        w.text(&mut surface, LEFT, deliver, 9.0, true, MUTED);
        w.y += 15.0;
        for line in &slip.address {
            w.text(&mut surface, LEFT, line, 11.0, false, INK);
            w.y += 14.0;
        }
        w.y = w.y.max(190.0) + 20.0;
        let header = |w: &mut Writer<'_>, surface: &mut Surface<'_>| {
            w.text(surface, LEFT, item, 9.0, true, MUTED);
            w.right(surface, RIGHT, quantity, 9.0, true, MUTED);
            w.y += 8.0;
            w.rule(surface, LEFT, RIGHT);
            w.y += 16.0;
        };
        header(&mut w, &mut surface);
        for line in &slip.lines {
            let text = w.wrap(
                &format!("{} · {}", line.name, line.sku),
                RIGHT - LEFT - 90.0,
                11.0,
            );
            if w.y + 16.0 * text.len() as f32 > BOTTOM {
                surface.finish();
                page.finish();
                page = pdf.start_page_with(settings());
                surface = page.surface();
                w.y = 70.0;
                // Whoever packs page 2 still sees which parcel it is.
                w.text(
                    &mut surface,
                    LEFT,
                    &format!("{title} — {order_word} {}", slip.number),
                    12.0,
                    true,
                    GREEN,
                );
                w.y += 26.0;
                header(&mut w, &mut surface);
            }
            w.right(
                &mut surface,
                RIGHT,
                &line.quantity.to_string(),
                13.0,
                true,
                INK,
            );
            for part in text {
                w.text(&mut surface, LEFT, &part, 11.0, false, INK);
                w.y += 15.0;
            }
            w.y -= 7.0;
            w.rule(&mut surface, LEFT, RIGHT);
            w.y += 18.0;
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(PdfError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads Code 128 modules back: widths of bars and spaces, six per symbol (seven for stop),
    /// each symbol's value from the standard's table order in barcoders' encoding.
    fn widths(modules: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < modules.len() {
            let start = i;
            while i < modules.len() && modules[i] == modules[start] {
                i += 1;
            }
            out.push(i - start);
        }
        out
    }

    #[test]
    fn an_order_number_is_a_valid_code_128() {
        let modules = code128("CB26-7K3M9Q").unwrap();
        let w = widths(&modules);
        // Start B (2 1 1 2 1 4), 11 symbols of data, a check symbol, stop (2 3 3 1 1 1 2).
        assert_eq!(&w[..6], &[2, 1, 1, 2, 1, 4]);
        assert_eq!(&w[w.len() - 7..], &[2, 3, 3, 1, 1, 1, 2]);
        assert_eq!(w.len(), 6 * (1 + 11 + 1) + 7);
        // Every symbol is 11 modules wide; the stop 13.
        assert_eq!(modules.len(), 11 * 13 + 13);
        // "C" is value 35 in set B: 1 3 1 3 2 1 (ISO/IEC 15417 table).
        assert_eq!(&w[6..12], &[1, 3, 1, 3, 2, 1]);
        assert!(code128("CB26-é").is_err());
    }

    #[test]
    fn slips_make_a_pdf_page_per_order() {
        let slip = |number: &str, lines: usize| PackingSlip {
            number: number.into(),
            placed_on: "05/12/2026".into(),
            address: vec![
                "Camille Martin".into(),
                "3 rue des Lilas".into(),
                "69002 Lyon".into(),
            ],
            lines: (0..lines)
                .map(|i| app::admin::orders::slips::SlipLine {
                    sku: format!("CB-{i}"),
                    name: format!("Produit {i}"),
                    quantity: 2,
                })
                .collect(),
            locale: Locale::Fr,
        };
        let one = render_slips(&[slip("CB26-AAAAAA", 2)]).unwrap();
        assert!(one.starts_with(b"%PDF-"));
        // Two orders, the second with more lines than a page holds: it goes on.
        let many = render_slips(&[slip("CB26-AAAAAA", 2), slip("CB26-BBBBBB", 60)]).unwrap();
        assert!(many.starts_with(b"%PDF-") && many.len() > one.len());
        // To look at it: SLIP_PDF=/tmp/slips.pdf cargo nextest run -p server --lib slip
        if let Ok(path) = std::env::var("SLIP_PDF") {
            std::fs::write(path, &many).unwrap();
        }
    }
}
