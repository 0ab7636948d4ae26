use sea_orm::entity::prelude::*;

/// A shipping zone: `FR` (metropolitan France), an overseas territory's own code (`GP`, `RE`,
/// …), `EU` or `WORLD`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipping_zones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub position: i32,
    /// Shipping is free from this goods total (after discounts), when set.
    pub free_from_cents: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::shipping_rate::Entity")]
    Rates,
}

impl Related<super::shipping_rate::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rates.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
