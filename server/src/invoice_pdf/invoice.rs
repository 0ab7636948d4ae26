//! The invoice and credit note PDF.

use super::*;

/// Renders `document` off the async runtime (laying out a PDF is CPU work): the file's name
/// (`facture-F2026-000001.pdf`) and its bytes.
///
/// # Errors
/// As [`render`], or [`PdfError::Task`].
pub async fn render_file(document: InvoiceDocument) -> Result<(String, Vec<u8>), PdfError> {
    let name = format!("facture-{}.pdf", document.number);
    let pdf = tokio::task::spawn_blocking(move || render(&document))
        .await
        .map_err(|e| PdfError::Task(e.to_string()))??;
    Ok((name, pdf))
}

/// The invoice `document` as a PDF file.
///
/// # Errors
/// [`PdfError`] when the embedded font cannot be read or the PDF not written.
pub fn render(document: &InvoiceDocument) -> Result<Vec<u8>, PdfError> {
    let (regular, bold) = FACES.as_ref().ok_or(PdfError::Font)?;
    let mut pdf = Document::new();
    let mut w = Writer {
        regular,
        bold,
        y: 0.0,
    };
    let d = document;
    let settings = || PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a valid size");
    let mut page = pdf.start_page_with(settings());
    let mut surface = page.surface();

    // Seller, and the invoice's number and dates.
    w.y = 70.0;
    w.text(&mut surface, LEFT, &d.seller.name, 16.0, true, GREEN);
    w.right(
        &mut surface,
        RIGHT,
        &format!("Facture {}", d.number),
        16.0,
        true,
        GREEN,
    );
    w.y += 16.0;
    let mut left_lines = vec![d.seller.legal_form.clone()];
    left_lines.extend(d.seller.address.iter().cloned());
    left_lines.push(d.seller.registration.clone());
    left_lines.push(format!("TVA intracommunautaire {}", d.seller.vat_number));
    left_lines.push(format!("{} · {}", d.seller.email, d.seller.phone));
    let right_lines = [
        format!("Émise le {}", d.issued_on),
        format!("Commande {}", d.order_number),
        format!("Payée le {}", d.paid_on),
    ];
    let top = w.y;
    for line in &left_lines {
        w.text(&mut surface, LEFT, line, 8.5, false, INK);
        w.y += 11.0;
    }
    let after_seller = w.y;
    w.y = top;
    for line in &right_lines {
        w.right(&mut surface, RIGHT, line, 9.0, false, INK);
        w.y += 12.0;
    }

    // Buyer and delivery.
    w.y = after_seller + 22.0;
    let middle = LEFT + (RIGHT - LEFT) / 2.0;
    w.text(&mut surface, LEFT, "Facturé à", 10.0, true, GREEN);
    w.text(&mut surface, middle, "Livré à", 10.0, true, GREEN);
    w.y += 14.0;
    let mut buyer = d.buyer_address.clone();
    buyer.push(d.buyer_email.clone());
    let rows = buyer.len().max(d.delivery_address.len());
    for i in 0..rows {
        if let Some(line) = buyer.get(i) {
            w.text(&mut surface, LEFT, line, 9.0, false, INK);
        }
        if let Some(line) = d.delivery_address.get(i) {
            w.text(&mut surface, middle, line, 9.0, false, INK);
        }
        w.y += 12.0;
    }

    // Lines.
    let columns = [330.0, 385.0, 455.0, RIGHT];
    let header = |w: &mut Writer<'_>, surface: &mut Surface<'_>| {
        w.text(surface, LEFT, "Désignation", 8.5, true, MUTED);
        for (x, label) in columns.iter().zip(["Qté", "PU HT", "TVA", "Total HT"]) {
            w.right(surface, *x, label, 8.5, true, MUTED);
        }
        w.y += 5.0;
        w.rule(surface, LEFT, RIGHT);
        w.y += 13.0;
    };
    w.y += 18.0;
    header(&mut w, &mut surface);
    for line in &d.lines {
        let described = w.wrap(&format!("{} ({})", line.description, line.sku), 250.0, 9.0);
        let height = 12.0 * described.len() as f32 + 6.0;
        if w.y + height > BOTTOM {
            surface.finish();
            page.finish();
            page = pdf.start_page_with(settings());
            surface = page.surface();
            w.y = 70.0;
            header(&mut w, &mut surface);
        }
        w.right(
            &mut surface,
            columns[0],
            &line.quantity.to_string(),
            9.0,
            false,
            INK,
        );
        w.right(
            &mut surface,
            columns[1],
            &eur(line.unit_price_excl),
            9.0,
            false,
            INK,
        );
        w.right(
            &mut surface,
            columns[2],
            &rate(line.vat_rate),
            9.0,
            false,
            INK,
        );
        w.right(
            &mut surface,
            columns[3],
            &eur(line.total_excl),
            9.0,
            false,
            INK,
        );
        for text in described {
            w.text(&mut surface, LEFT, &text, 9.0, false, INK);
            w.y += 12.0;
        }
        w.y += 6.0;
    }
    if !d.discount_excl.is_zero() {
        w.text(&mut surface, LEFT, "Remises (HT)", 9.0, false, INK);
        w.right(
            &mut surface,
            columns[3],
            &eur(-d.discount_excl),
            9.0,
            false,
            INK,
        );
        w.y += 14.0;
    }
    w.text(&mut surface, LEFT, "Livraison", 9.0, false, INK);
    w.right(
        &mut surface,
        columns[3],
        &eur(d.shipping_excl),
        9.0,
        false,
        INK,
    );
    w.y += 6.0;
    w.rule(&mut surface, LEFT, RIGHT);

    // VAT per rate, then the totals; a new page when they would not fit.
    let needed = 30.0 + 14.0 * d.vat.len() as f32 + 60.0 + 14.0 * d.notes.len() as f32 * 2.0;
    if w.y + needed > BOTTOM {
        surface.finish();
        page.finish();
        page = pdf.start_page_with(settings());
        surface = page.surface();
        w.y = 60.0;
    }
    w.y += 22.0;
    let label_x = 330.0;
    if d.vat_mode == VatMode::Included {
        let rate_x = 250.0;
        w.text(&mut surface, rate_x, "Taux de TVA", 8.5, true, MUTED);
        for (x, label) in [385.0, 455.0, RIGHT].iter().zip(["Base HT", "TVA", "TTC"]) {
            w.right(&mut surface, *x, label, 8.5, true, MUTED);
        }
        w.y += 13.0;
        for vat in &d.vat {
            w.text(&mut surface, rate_x, &rate(vat.rate), 9.0, false, INK);
            w.right(&mut surface, 385.0, &eur(vat.net), 9.0, false, INK);
            w.right(&mut surface, 455.0, &eur(vat.vat), 9.0, false, INK);
            w.right(&mut surface, RIGHT, &eur(vat.gross), 9.0, false, INK);
            w.y += 13.0;
        }
        w.y += 10.0;
    }
    for (label, amount) in [("Total HT", d.total_excl), ("TVA", d.total_vat)] {
        w.text(&mut surface, label_x, label, 9.5, false, INK);
        w.right(&mut surface, RIGHT, &eur(amount), 9.5, false, INK);
        w.y += 14.0;
    }
    w.y += 2.0;
    w.rule(&mut surface, label_x, RIGHT);
    w.y += 16.0;
    let total_label = match d.vat_mode {
        VatMode::Included => "Total TTC",
        VatMode::Excluded => "Total (hors TVA)",
    };
    w.text(&mut surface, label_x, total_label, 12.0, true, GREEN);
    w.right(&mut surface, RIGHT, &eur(d.total), 12.0, true, GREEN);
    w.y += 28.0;
    for note in &d.notes {
        for line in w.wrap(note, RIGHT - LEFT, 8.5) {
            w.text(&mut surface, LEFT, &line, 8.5, false, MUTED);
            w.y += 11.0;
        }
        w.y += 4.0;
    }

    // The seller's identity at the foot of the last page.
    w.y = HEIGHT - 40.0;
    let foot = format!(
        "{} — {} — {} — {}",
        d.seller.name,
        d.seller.legal_form,
        d.seller.registration,
        d.seller.address.join(", ")
    );
    let width = w.regular.width(&foot, 7.5);
    w.text(
        &mut surface,
        (WIDTH - width) / 2.0,
        &foot,
        7.5,
        false,
        MUTED,
    );
    // A frame line above the foot.
    w.y -= 12.0;
    if let Some(rect) = Rect::from_xywh(LEFT, w.y, RIGHT - LEFT, 0.6) {
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        if let Some(path) = path.finish() {
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(0xe2, 0xd7, 0xc5).into(),
                ..Fill::default()
            }));
            surface.draw_path(&path);
        }
    }
    surface.finish();
    page.finish();
    pdf.finish().map_err(PdfError::Write)
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use app::orders::model::{InvoiceLine, Seller};
    use app::pricing::{PaymentMethod, VatLine};

    fn document(lines: usize) -> InvoiceDocument {
        InvoiceDocument {
            number: "F2026-000042".into(),
            issued_on: "22/11/2026".into(),
            order_number: "CB26-7K3M9Q".into(),
            seller: Seller {
                name: "Comptoir Botanique".into(),
                legal_form: "SAS".into(),
                address: vec!["14 rue des Herboristes".into(), "69002 Lyon".into()],
                registration: "RCS Lyon 912 345 678".into(),
                vat_number: "FR 27 912345678".into(),
                email: "bonjour@exemple.fr".into(),
                phone: "+33 1 23 45 67 89".into(),
            },
            buyer_name: "Léa Dubois".into(),
            buyer_email: "lea@exemple.be".into(),
            buyer_address: vec!["Léa Dubois".into(), "Rue de la Loi 16".into()],
            delivery_address: vec!["Léa Dubois".into(), "Rue de la Loi 16".into()],
            vat_mode: VatMode::Included,
            lines: (0..lines)
                .map(|i| InvoiceLine {
                    description: format!("Sérum éclat à la vitamine C, flacon pompe n° {i}"),
                    sku: format!("CB-{i:03}"),
                    quantity: 2,
                    unit_price_excl: Decimal::new(2833, 2),
                    vat_rate: Decimal::new(20, 0),
                    total_excl: Decimal::new(5667, 2),
                })
                .collect(),
            shipping_excl: Decimal::new(825, 2),
            discount_excl: Decimal::ZERO,
            vat: vec![VatLine {
                rate: Decimal::new(20, 0),
                net: Decimal::new(6492, 2),
                vat: Decimal::new(1298, 2),
                gross: Decimal::new(7790, 2),
            }],
            total_excl: Decimal::new(6492, 2),
            total_vat: Decimal::new(1298, 2),
            total: Decimal::new(7790, 2),
            payment_method: PaymentMethod::Card,
            paid_on: "22/11/2026".into(),
            notes: vec!["Paiement reçu.".into()],
        }
    }

    #[test]
    fn an_invoice_is_a_pdf_with_its_font_embedded() {
        let pdf = render(&document(3)).expect("rendered");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"), "the font is embedded");
        assert!(text.contains("DejaVuSans"), "our own font");
    }

    #[test]
    fn long_invoices_go_on_to_more_pages() {
        let short = render(&document(1)).expect("rendered");
        let long = render(&document(80)).expect("rendered");
        let pages = |pdf: &[u8]| {
            let text = String::from_utf8_lossy(pdf);
            text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
        };
        assert_eq!(pages(&short), 1);
        assert!(pages(&long) >= 3, "{} pages", pages(&long));
    }
}
