use sea_orm::entity::prelude::*;

/// An address a service notice went to, once, and when its account acknowledged it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_recipients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub notice_id: i32,
    pub email: String,
    /// The account holding the address, if one does (it sees the banner).
    pub user_id: Option<i32>,
    pub queued_at: DateTimeUtc,
    /// When the signed-in customer acknowledged it (the proof kept).
    pub acknowledged_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
