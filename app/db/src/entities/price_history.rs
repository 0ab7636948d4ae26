use sea_orm::entity::prelude::*;

/// A price a product had from `valid_from` until the next row's (written by a trigger on
/// `products`; see migration 40).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "price_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    /// VAT included.
    pub price_cents: i64,
    pub valid_from: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
