use sea_orm::entity::prelude::*;

/// Page views of one path on one day (Paris), counted only for visitors who accepted audience
/// measurement; `visitors` counts first visits (a browser without the audience cookie yet).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audience_daily")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub day: Date,
    pub path: String,
    pub views: i32,
    pub visitors: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
