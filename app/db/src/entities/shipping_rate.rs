use sea_orm::entity::prelude::*;

/// One bracket of a zone's rate table: parcels up to `up_to_grams` (no limit when `None`) cost
/// `price_cents`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipping_rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub zone_code: String,
    pub up_to_grams: Option<i32>,
    pub price_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::shipping_zone::Entity",
        from = "Column::ZoneCode",
        to = "super::shipping_zone::Column::Code",
        on_delete = "Cascade"
    )]
    Zone,
}

impl Related<super::shipping_zone::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Zone.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
