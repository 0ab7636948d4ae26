//! The legal pages and what a reader or staff member sees of them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// A legal page. Its texts are versioned: every published version stays readable, and the one
    /// in force is the latest whose effective date has come.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum LegalKind {
        Terms = "terms",
        Withdrawal = "withdrawal",
        Privacy = "privacy",
        Cookies = "cookies",
        Notice = "notice",
    }
}

impl LegalKind {
    /// The public page.
    pub fn path(self) -> String {
        format!("/legal/{}", self.code())
    }
}

/// A version in a page's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRef {
    pub version: String,
    pub effective_on: NaiveDate,
}

/// Whether a version is the one in force, an older one or one to come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionState {
    InForce,
    Superseded,
    Upcoming,
}

/// One version of a legal page, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDocumentView {
    pub kind: LegalKind,
    pub version: String,
    pub effective_on: NaiveDate,
    pub state: VersionState,
    pub title: String,
    /// Sanitised HTML rendered from the Markdown.
    pub html: String,
    /// Shown in English while French is the contract language.
    pub translation: bool,
    /// Every version, newest first.
    pub versions: Vec<VersionRef>,
}

/// A page as staff see it in the back office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalAdminRow {
    pub kind: LegalKind,
    pub title: String,
    pub in_force: Option<VersionRef>,
    pub upcoming: Option<VersionRef>,
    pub versions: usize,
}

/// The texts a new version starts from (the latest one's), and who changed what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDraft {
    pub version: String,
    pub effective_on: String,
    pub title_fr: String,
    pub title_en: String,
    pub body_fr: String,
    pub body_en: String,
    /// Version, effective date, author's name, published at (newest first).
    pub history: Vec<(String, NaiveDate, String, chrono::DateTime<chrono::Utc>)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::rules::NoticeKind;

    #[test]
    fn a_notice_announces_a_legal_page_that_exists() {
        let pages: Vec<LegalKind> = NoticeKind::ALL
            .into_iter()
            .filter_map(NoticeKind::legal_page)
            .map(|code| LegalKind::from_code(code).expect("a legal page's code"))
            .collect();
        assert_eq!(pages, [LegalKind::Terms, LegalKind::Privacy]);
    }
}
