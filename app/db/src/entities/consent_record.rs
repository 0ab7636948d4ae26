use sea_orm::entity::prelude::*;

/// One cookie choice, kept as proof: an anonymous visitor id (the one in the consent cookie),
/// what was accepted, the banner version shown, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub visitor: String,
    pub banner_version: i32,
    pub audience: bool,
    pub preferences: bool,
    pub advertising: bool,
    pub given_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
