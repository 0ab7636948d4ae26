use sea_orm::entity::prelude::*;

/// A research article. Readers see it once it is `published` and its publication date has come.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    /// `fr` or `en`.
    pub lang: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// Markdown.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub cover_image: Option<String>,
    pub cover_alt: String,
    pub cover_width: Option<i32>,
    pub cover_height: Option<i32>,
    pub author: String,
    /// `draft` or `published`.
    pub status: String,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
