use sea_orm::entity::prelude::*;

/// One version of a legal page. Versions are never edited once published: staff publish a new
/// one (the terms with the day they take effect), and every older one stays readable.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `terms`, `privacy`, `cookies`, `notice`, `withdrawal`.
    pub kind: String,
    pub version: String,
    pub effective_on: Date,
    pub title_fr: String,
    pub title_en: String,
    /// Markdown.
    #[sea_orm(column_type = "Text")]
    pub body_fr: String,
    #[sea_orm(column_type = "Text")]
    pub body_en: String,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
