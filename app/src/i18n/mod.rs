//! One translation layer for every user-facing string.
//!
//! French is the contract language and the default; English is the second language. Messages are
//! an enum so that a missing translation is a compile error, not a blank on a page. The locale of
//! a request comes from the `lang` cookie, then `Accept-Language`, then French.

mod messages;

pub use messages::Msg;
use serde::{Deserialize, Serialize};

/// The name of the cookie that keeps the shopper's language choice (strictly necessary: it only
/// remembers a choice the shopper made).
pub const LANG_COOKIE: &str = "lang";

/// A language the store is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    /// Every locale, the default first.
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    /// The BCP 47 code used in `<html lang>` and in the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// A colon after a label, as the language sets it: a space before it in French
    /// ("Statut : expédiée"), none in English ("Status: shipped").
    pub fn colon(self) -> &'static str {
        match self {
            Locale::Fr => " : ",
            Locale::En => ": ",
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::Fr => "Français",
            Locale::En => "English",
        }
    }

    /// Parses a code such as `fr`, `en`, `en-GB` or `FR_fr`.
    pub fn from_code(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header, honouring `q` weights.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::from_code) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((best_q, best_index, _)) => q > best_q || (q == best_q && index < best_index),
            };
            if better {
                best = Some((q, index, locale));
            }
        }
        best.map(|(_, _, locale)| locale)
    }

    /// Resolves the locale of a request from its `Cookie` and `Accept-Language` headers.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
        cookie_header
            .and_then(|cookies| {
                crate::security::cookie_values(cookies, LANG_COOKIE).find_map(Locale::from_code)
            })
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }

    /// Of a text stored in both languages, the one in this locale.
    pub fn pick<T>(self, fr: T, en: T) -> T {
        match self {
            Locale::Fr => fr,
            Locale::En => en,
        }
    }

    /// The translation of a message in this locale.
    #[cfg_attr(feature = "hydrate", inline(always))]
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }
}

/// The language of the request being handled, from its cookie or `Accept-Language` (server).
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    let header = |name| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
    };
    Locale::negotiate(
        header(http::header::COOKIE),
        header(http::header::ACCEPT_LANGUAGE),
    )
}

/// The locale of the page being rendered (provided by the shell; French when absent).
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// Translates a message in the locale of the page being rendered.
#[cfg_attr(feature = "hydrate", inline(always))]
pub fn t(msg: Msg) -> &'static str {
    use_locale().t(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_choice_wins_over_accept_language() {
        assert_eq!(
            Locale::negotiate(Some("a=1; lang=en"), Some("fr-FR,fr;q=0.9")),
            Locale::En
        );
    }

    #[test]
    fn accept_language_honours_weights() {
        assert_eq!(
            Locale::from_accept_language("de-DE,fr;q=0.4,en;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("en;q=0,fr"), Some(Locale::Fr));
        assert_eq!(Locale::from_accept_language("de,it"), None);
    }

    #[test]
    fn unknown_or_missing_preferences_fall_back_to_french() {
        assert_eq!(Locale::negotiate(Some("lang=xx"), Some("de")), Locale::Fr);
        assert_eq!(Locale::negotiate(None, None), Locale::Fr);
    }

    #[test]
    fn every_message_has_text_in_every_locale() {
        for msg in Msg::ALL {
            for locale in Locale::ALL {
                assert!(
                    !msg.text(locale).trim().is_empty(),
                    "{msg:?} is empty in {locale:?}"
                );
            }
        }
    }
}
