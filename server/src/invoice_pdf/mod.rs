//! The shop's PDFs: the invoice (the same document as the invoice page) and the legal texts an
//! order confirmation carries (terms of sale, withdrawal form), laid out on A4 with our own
//! embedded font (DejaVu Sans, subset to the glyphs used), so the files look the same
//! everywhere and nothing is installed or downloaded to make them.

use app::i18n::Locale;
use app::orders::model::InvoiceDocument;
use app::pricing::VatMode;
use app::ui::format::money;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use rust_decimal::Decimal;
use std::sync::LazyLock;

mod invoice;
mod slip;
mod text;
pub use invoice::*;
pub use slip::*;
pub use text::*;

static REGULAR_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A face: krilla's, to draw, and its metrics, to measure.
struct Face {
    font: Font,
    metrics: ttf_parser::Face<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Option<Face> {
        Some(Face {
            font: Font::new(bytes.into(), 0)?,
            metrics: ttf_parser::Face::parse(bytes, 0).ok()?,
        })
    }

    /// The advance of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .filter_map(|c| self.metrics.glyph_index(c))
            .filter_map(|g| self.metrics.glyph_hor_advance(g))
            .map(u32::from)
            .sum();
        // Advances stay far below f32's exact range.
        #[allow(clippy::cast_precision_loss, reason = "small integers")]
        let units = units as f32;
        units * size / f32::from(self.metrics.units_per_em())
    }
}

static FACES: LazyLock<Option<(Face, Face)>> =
    LazyLock::new(|| Some((Face::load(REGULAR_BYTES)?, Face::load(BOLD_BYTES)?)));

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const LEFT: f32 = 50.0;
const RIGHT: f32 = WIDTH - 50.0;
const BOTTOM: f32 = HEIGHT - 70.0;
const GREEN: (u8, u8, u8) = (0x2f, 0x4a, 0x3a);
const MUTED: (u8, u8, u8) = (0x6b, 0x62, 0x58);
const INK: (u8, u8, u8) = (0x2a, 0x27, 0x23);

/// What can go wrong making the PDF (a bug, never the shopper's doing).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("the PDF could not be written: {0:?}")]
    Write(krilla::error::KrillaError),
    #[error("the rendering task failed: {0}")]
    Task(String),
}

/// Pages being written, with the cursor.
struct Writer<'a> {
    regular: &'a Face,
    bold: &'a Face,
    y: f32,
}

impl Writer<'_> {
    fn text(
        &self,
        surface: &mut Surface<'_>,
        x: f32,
        text: &str,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
    ) {
        let face = if bold { self.bold } else { self.regular };
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(color.0, color.1, color.2).into(),
            ..Fill::default()
        }));
        surface.draw_text(
            Point::from_xy(x, self.y),
            face.font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Text ending at `right`.
    fn right(
        &self,
        surface: &mut Surface<'_>,
        right: f32,
        text: &str,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
    ) {
        let face = if bold { self.bold } else { self.regular };
        let x = right - face.width(text, size);
        self.text(surface, x, text, size, bold, color);
    }

    fn rule(&self, surface: &mut Surface<'_>, from: f32, to: f32) {
        let mut path = PathBuilder::new();
        path.move_to(from, self.y);
        path.line_to(to, self.y);
        if let Some(path) = path.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(0xe2, 0xd7, 0xc5).into(),
                width: 0.8,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
    }

    /// `text` cut into lines no wider than `width` at `size`.
    fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.regular.width(&candidate, size) > width && !line.is_empty() {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

fn eur(amount: Decimal) -> String {
    money(Locale::Fr, amount)
}

fn rate(rate: Decimal) -> String {
    app::ui::format::percent(Locale::Fr, rate)
}
