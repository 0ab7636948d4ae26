//! Text search over the catalogue, one interface on both engines.
//!
//! Documents and queries go through the same folding here, in Rust: lower case, accents and
//! ligatures folded (`Sérum` → `serum`, `Œillet` → `oeillet`), words split on anything that is
//! not a letter or digit, and a light plural fold (`huiles` → `huile`, `cheveux` → `cheveu`).
//! The engines then index already-folded words: SQLite's FTS5 (`unicode61`) and PostgreSQL's
//! `simple` text-search configuration neither stem nor drop words, so both see the same terms
//! and answer the same way. Every query word must match (AND), as a prefix when it has at least
//! two letters, so "vit" finds "vitamine"; a few French and English stop words are dropped.

/// At most this many words of a query are used.
pub const MAX_QUERY_WORDS: usize = 8;

const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "un",
    "une", "avec", "the", "of", "and", "for", "with", "an", "to",
];

/// `text` in lower case with accents and ligatures folded to ASCII.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_ascii_lowercase()
}

fn fold_plural(word: &str) -> &str {
    let len = word.len();
    let x_plural = len > 4 && (word.ends_with("aux") || word.ends_with("eux"));
    let s_plural = len > 3 && word.ends_with('s') && !word.ends_with("ss");
    if x_plural || s_plural {
        &word[..len - 1]
    } else {
        word
    }
}

/// The folded words of `text`, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| fold_plural(w).to_owned())
        .collect::<Vec<_>>()
        .into_iter()
}

/// The searchable document made of `parts`: their folded words separated by spaces.
pub fn document(parts: &[&str]) -> String {
    parts
        .iter()
        .flat_map(|p| words(p))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key a name sorts by: folded, punctuation reduced to single spaces.
pub fn name_key(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The indexed and sorting columns of a product, derived from its texts. Every write of a
/// product's texts sets them from here, so search sees what the pages show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductSearchFields {
    pub search_title: String,
    pub search_body: String,
    pub name_key_fr: String,
    pub name_key_en: String,
}

/// The texts a product is found by.
pub struct ProductTexts<'a> {
    pub sku: &'a str,
    pub name_fr: &'a str,
    pub name_en: &'a str,
    /// Summaries, descriptions, compositions and category names, in both languages.
    pub body: &'a [&'a str],
}

impl ProductSearchFields {
    /// The fields for `texts`.
    pub fn of(texts: &ProductTexts<'_>) -> ProductSearchFields {
        ProductSearchFields {
            search_title: document(&[texts.name_fr, texts.name_en, texts.sku]),
            search_body: document(texts.body),
            name_key_fr: name_key(texts.name_fr),
            name_key_en: name_key(texts.name_en),
        }
    }
}

/// A shopper's search, reduced to folded words. Only ASCII letters and digits remain, so the
/// engine expressions built from it cannot carry any query syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// The query for `input`, or `None` when it holds no searchable word.
    pub fn parse(input: &str) -> Option<SearchQuery> {
        let mut kept: Vec<String> = Vec::new();
        for word in words(input) {
            if !STOP_WORDS.contains(&word.as_str()) && !kept.contains(&word) {
                kept.push(word);
            }
        }
        kept.truncate(MAX_QUERY_WORDS);
        (!kept.is_empty()).then_some(SearchQuery { words: kept })
    }

    /// The words searched for.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The FTS5 `MATCH` expression: every word, as a prefix when it has two letters or more.
    pub fn fts5_match(&self) -> String {
        self.words
            .iter()
            .map(|w| fts5_word(w))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// One FTS5 expression per word, each restricted to the product names (and SKU): the
    /// more of them a product matches, the higher it ranks.
    pub fn fts5_title_matches(&self) -> Vec<String> {
        self.words
            .iter()
            .map(|w| format!("search_title : {}", fts5_word(w)))
            .collect()
    }

    /// The PostgreSQL `to_tsquery('simple', …)` expression with the same meaning.
    pub fn tsquery(&self) -> String {
        self.tsquery_words().join(" & ")
    }

    /// One `tsquery` per word, matched against the words of the names (a vector of its
    /// own) with the same use as [`SearchQuery::fts5_title_matches`].
    pub fn tsquery_words(&self) -> Vec<String> {
        self.words.iter().map(|w| tsquery_word(w)).collect()
    }
}

/// A word as an FTS5 phrase: a prefix when it has two letters or more.
fn fts5_word(word: &str) -> String {
    if word.len() >= 2 {
        format!("\"{word}\"*")
    } else {
        format!("\"{word}\"")
    }
}

/// A word as a `tsquery` term with the same meaning: a prefix when it has two letters or more.
fn tsquery_word(word: &str) -> String {
    if word.len() >= 2 {
        format!("{word}:*")
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_ligatures() {
        assert_eq!(fold("Sérum ÉCLAT"), "serum eclat");
        assert_eq!(
            document(&["Œillet", "Crème à l'aloé"]),
            "oeillet creme a l aloe"
        );
    }

    #[test]
    fn folds_plurals_the_same_way_in_documents_and_queries() {
        assert_eq!(
            document(&["Huiles végétales", "cheveux", "stress"]),
            "huile vegetale cheveu stress"
        );
        let q = SearchQuery::parse("huile").unwrap();
        assert_eq!(q.words(), ["huile"]);
        let q = SearchQuery::parse("HUILES").unwrap();
        assert_eq!(q.words(), ["huile"]);
    }

    #[test]
    fn queries_drop_stop_words_duplicates_and_syntax() {
        let q = SearchQuery::parse("Huile de karité \"OR\" * karité NEAR(x)").unwrap();
        assert_eq!(q.words(), ["huile", "karite", "or", "near", "x"]);
        assert_eq!(
            q.fts5_match(),
            "\"huile\"* AND \"karite\"* AND \"or\"* AND \"near\"* AND \"x\""
        );
        assert_eq!(q.tsquery(), "huile:* & karite:* & or:* & near:* & x");
        assert_eq!(
            q.tsquery_words(),
            ["huile:*", "karite:*", "or:*", "near:*", "x"]
        );
        assert_eq!(
            SearchQuery::parse("sérum b").unwrap().fts5_title_matches(),
            ["search_title : \"serum\"*", "search_title : \"b\""]
        );
        assert_eq!(SearchQuery::parse("  de la ! "), None);
        assert_eq!(SearchQuery::parse(""), None);
    }

    #[test]
    fn long_queries_are_cut() {
        let q = SearchQuery::parse("a1 b2 c3 d4 e5 f6 g7 h8 i9 j10").unwrap();
        assert_eq!(q.words().len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn names_sort_by_their_folded_key() {
        assert_eq!(name_key("Élixir  d'Été"), "elixir d ete");
        assert!(name_key("Éclat") < name_key("Fleur"));
    }
}
