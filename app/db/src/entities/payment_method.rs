use sea_orm::entity::prelude::*;

/// A payment method and where it is offered: from `min_total_cents` (when set), to the
/// destinations in `countries` (comma-separated codes; everywhere when `None`); `recurring`
/// methods can pay subscriptions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_methods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub position: i32,
    pub enabled: bool,
    pub min_total_cents: Option<i64>,
    pub countries: Option<String>,
    pub recurring: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
