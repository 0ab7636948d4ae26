//! Article rules that need no database: slugs, tags, product references, reading time and
//! publication dates.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// Articles per page of `/articles`.
pub const PAGE_SIZE: u32 = 12;
/// At most this many tags per article, each at most [`MAX_TAG_CHARS`] long.
pub const MAX_TAGS: usize = 8;
pub const MAX_TAG_CHARS: usize = 40;
/// At most this many related products.
pub const MAX_PRODUCTS: usize = 8;
/// A slug is at most this long.
pub const MAX_SLUG: usize = 80;
/// Titles and bylines are at most this long.
pub const MAX_TITLE: usize = 160;
/// A summary (meta description, feed, cards) is at most this long.
pub const MAX_SUMMARY: usize = 400;
/// A body is at most this long (about 30,000 words).
pub const MAX_BODY: usize = 200_000;
/// Words read per minute, for the reading time.
const WORDS_PER_MINUTE: usize = 200;

/// `text` as a URL word: lower-case ASCII letters and digits joined by single hyphens, at
/// most [`MAX_SLUG`] long (`Sérum & peau : l'été` → `serum-peau-l-ete`). `fold` turns accents
/// and ligatures into ASCII first.
pub fn slugify_folded(folded: &str) -> String {
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() > MAX_SLUG {
        slug.truncate(MAX_SLUG);
        if let Some(cut) = slug.rfind('-').filter(|cut| *cut > MAX_SLUG / 2) {
            slug.truncate(cut);
        }
        slug = slug.trim_end_matches('-').to_owned();
    }
    slug
}

/// Whether `slug` is a URL word as [`slugify_folded`] makes them.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Reading time in whole minutes, at least one.
pub fn reading_minutes(markdown: &str) -> u32 {
    let words = markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX)
}

/// The labels of a comma-separated tag list, trimmed, without empties; duplicates are the
/// caller's to drop (by slug).
pub fn tag_labels(input: &str) -> Vec<String> {
    input
        .split([',', ';', '\n'])
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The product slugs named in `input`: separated by commas, spaces or lines, each a slug or a
/// product address (`https://…/products/serum-eclat` → `serum-eclat`), without repeats.
pub fn product_refs(input: &str) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    for word in input.split(|c: char| c == ',' || c.is_whitespace()) {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        let slug = match word.rfind("/products/") {
            Some(at) => &word[at + "/products/".len()..],
            None => word,
        };
        let slug = slug
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        if !slug.is_empty() && !refs.contains(&slug) {
            refs.push(slug);
        }
    }
    refs
}

/// A publication date that is not a Paris date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadDate;

/// A publication date typed as `YYYY-MM-DDTHH:MM` (seconds allowed), Paris time; `Ok(None)`
/// when empty. A time skipped by the spring change is refused; one repeated in autumn is the
/// first.
pub fn parse_publish_at(input: &str) -> Result<Option<DateTime<Utc>>, BadDate> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let local = NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| BadDate)?;
    chrono_tz::Europe::Paris
        .from_local_datetime(&local)
        .earliest()
        .map(|at| Some(at.with_timezone(&Utc)))
        .ok_or(BadDate)
}

/// `at` as an `<input type="datetime-local">` value, Paris time.
pub fn publish_at_value(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_words() {
        assert_eq!(slugify_folded("Serum & peau : l'ete"), "serum-peau-l-ete");
        assert_eq!(slugify_folded("  --Hello--World--  "), "hello-world");
        assert_eq!(slugify_folded("!!!"), "");
        let long = slugify_folded(&"collagene marin ".repeat(20));
        assert!(long.len() <= MAX_SLUG && is_slug(&long), "{long}");
        assert!(is_slug("peau-2026"));
        for bad in [
            "",
            "Peau",
            "peau--eclat",
            "-peau",
            "peau-",
            "peau eclat",
            "péau",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn reading_time_counts_words() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(&"mot ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"mot ".repeat(201)), 2);
        assert_eq!(reading_minutes("# — — —"), 1);
    }

    #[test]
    fn tags_and_product_references_are_read_leniently() {
        assert_eq!(
            tag_labels(" Peau ,  soin   du visage;;\nMicrobiote,"),
            ["Peau", "soin du visage", "Microbiote"]
        );
        assert_eq!(
            product_refs(
                "serum-eclat, https://shop.example/products/Huile-Demaquillante?x=1\nserum-eclat  baume"
            ),
            ["serum-eclat", "huile-demaquillante", "baume"]
        );
    }

    #[test]
    fn publication_dates_are_paris_time() {
        let at = parse_publish_at("2027-01-20T09:30").unwrap().unwrap();
        assert_eq!(at.to_rfc3339(), "2027-01-20T08:30:00+00:00");
        assert_eq!(publish_at_value(at), "2027-01-20T09:30");
        let summer = parse_publish_at("2027-07-01T09:30").unwrap().unwrap();
        assert_eq!(summer.to_rfc3339(), "2027-07-01T07:30:00+00:00");
        assert_eq!(parse_publish_at("  "), Ok(None));
        assert!(
            parse_publish_at("2027-03-28T02:30").is_err(),
            "skipped by the spring change"
        );
        assert!(parse_publish_at("demain").is_err());
    }
}
