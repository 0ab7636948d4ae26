use sea_orm::entity::prelude::*;

/// An order line staff marked unavailable, with the customer's choice (see
/// `app::orders::service::unavailable`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unavailable_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    #[sea_orm(unique)]
    pub order_line_id: i32,
    /// The Paris day it is expected back.
    pub expected_on: Date,
    /// `wait`, `credit` or `refund`; `None` until the customer chooses.
    pub choice: Option<String>,
    pub chosen_at: Option<DateTimeUtc>,
    /// `staff:42`.
    pub actor: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
