use sea_orm::entity::prelude::*;

/// One action of a staff member in the back office.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub actor_id: i32,
    /// `order.ship`, `product.update`, `stock.adjust`…
    pub action: String,
    /// `order:CB26-7K3M9Q`, `product:12`, `customer:7`…
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
