use sea_orm::entity::prelude::*;

/// One change to an article: who made it, what it was, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub article_id: i32,
    pub user_id: Option<i32>,
    /// `created`, `edited`, `published`, `unpublished`, `cover`.
    pub action: String,
    /// The fields changed, comma separated.
    pub fields: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
