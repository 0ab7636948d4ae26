//! What pages show of articles.

use crate::catalog::model::ProductCard;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A tag: its URL word and its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub slug: String,
    pub label: String,
}

/// A cover image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    pub src: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// An article in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleCard {
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub cover: Option<Cover>,
    pub author: String,
    pub published_at: DateTime<Utc>,
    pub reading_minutes: u32,
    pub tags: Vec<Tag>,
}

/// One page of `/articles`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleListing {
    pub articles: Vec<ArticleCard>,
    /// Every tag of a published article, with how many articles carry it.
    pub tags: Vec<(Tag, u32)>,
    /// The tag filtered on.
    pub tag: Option<Tag>,
    pub page: u32,
    pub last_page: u32,
}

/// An article page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    pub card: ArticleCard,
    /// The body, rendered and sanitised on the server.
    pub html: String,
    pub updated_at: DateTime<Utc>,
    /// Related products still on sale, in the editor's order.
    pub products: Vec<ProductCard>,
}

/// Where an article stands, for editors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleState {
    Draft,
    /// Published with a date to come: readers see it from then.
    Scheduled,
    Published,
}

/// An article in the editors' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleAdminRow {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub state: ArticleState,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Who made the last change.
    pub updated_by: String,
}

/// One change in an article's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub who: String,
    /// `created`, `edited`, `published`, `unpublished`, `cover`.
    pub action: String,
    pub fields: String,
    pub at: DateTime<Utc>,
}

/// The editor's form: an article as stored, or a refused submission as it was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    /// `None` for a new article.
    pub id: Option<i32>,
    pub title: String,
    pub slug: String,
    pub lang: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    pub cover_alt: String,
    /// Comma separated, as typed.
    pub tags: String,
    /// Product slugs, one per line.
    pub products: String,
    /// `YYYY-MM-DDTHH:MM`, Paris time (an `<input type="datetime-local">`).
    pub publish_at: String,
}

/// The editor's page: the form, and what is stored of the article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEditorPage {
    pub form: ArticleForm,
    /// A refused submission's message.
    pub error: Option<String>,
    pub state: Option<ArticleState>,
    pub cover: Option<Cover>,
    /// The stored body, rendered (the preview before any typing).
    pub preview: String,
    /// The related products as stored: name and slug.
    pub related: Vec<(String, String)>,
    pub history: Vec<Revision>,
}
