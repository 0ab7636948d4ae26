use sea_orm::entity::prelude::*;

/// An invoice as issued: immutable (a trigger refuses changes), numbered without gaps.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    #[sea_orm(unique)]
    pub order_id: i32,
    pub issued_at: DateTimeUtc,
    pub total_cents: i64,
    /// JSON: `app::orders::model::InvoiceDocument`.
    pub document: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
