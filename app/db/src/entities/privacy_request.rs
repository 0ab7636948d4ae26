use sea_orm::entity::prelude::*;

/// A request to exercise one's rights by email, without an account (see
/// `app::privacy::service::guest`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
    /// The SHA-256 of the emailed link's token.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// When the link was opened (it works once).
    pub opened_at: Option<DateTimeUtc>,
    /// What was done with it: `export`, `erase` (the last one).
    pub done: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
