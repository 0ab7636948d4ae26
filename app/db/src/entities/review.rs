use sea_orm::entity::prelude::*;

/// A verified review (see `app::reviews`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    /// The delivered order the product was bought in (one review per product per order).
    pub order_id: i32,
    /// The author's account; none once the account is erased (the review stays, anonymised).
    pub user_id: Option<i32>,
    /// 1 to 5.
    pub rating: i32,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// As shown: first name and the initial of the last name.
    pub author_name: String,
    pub locale: String,
    /// `pending`, `published`, `refused`.
    pub status: String,
    /// Told to the author when refused.
    pub refusal_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub moderated_at: Option<DateTimeUtc>,
    pub moderated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
