use sea_orm::entity::prelude::*;

/// A service notice sent to every customer (see `app::privacy::service::notices`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `terms`, `privacy`, `breach`, `service`.
    pub kind: String,
    pub subject_fr: String,
    pub subject_en: String,
    #[sea_orm(column_type = "Text")]
    pub body_fr: String,
    #[sea_orm(column_type = "Text")]
    pub body_en: String,
    /// The legal page (and its version) the notice announces, if any.
    pub legal_kind: Option<String>,
    pub legal_version: Option<String>,
    /// Guest addresses with an order in the last `years` years were told.
    pub years: i32,
    /// How many addresses it went to.
    pub recipients: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
