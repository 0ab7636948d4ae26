use sea_orm::entity::prelude::*;

/// A customer, editor or staff account. Never sent to a browser as is: the password hash stays
/// on the server (pages get `account::model` views).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Trimmed and lower-cased.
    #[sea_orm(unique)]
    pub email: String,
    pub email_verified_at: Option<DateTimeUtc>,
    /// Argon2id, PHC string format.
    pub password_hash: String,
    /// `customer`, `editor` or `staff`.
    pub role: String,
    pub title: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub newsletter: bool,
    pub referred_by_code: Option<String>,
    /// This account's own referral code (upper-case), made on first need.
    #[sea_orm(unique)]
    pub referral_code: Option<String>,
    /// The loyalty points balance (the sum of the account's ledger).
    pub loyalty_points: i64,
    /// The store-credit balance in cents (the sum of the account's `store_credits`).
    pub store_credit_cents: i64,
    /// Sessions signed in before this instant are over.
    pub sessions_valid_after: Option<DateTimeUtc>,
    pub last_sign_in_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the account was erased: what remains is anonymised.
    pub deleted_at: Option<DateTimeUtc>,
    /// When the inactivity warning went out (cleared by the next sign-in).
    pub inactivity_warned_at: Option<DateTimeUtc>,
    /// When the customer objected to marketing and audience measurement (none: no objection).
    pub objected_at: Option<DateTimeUtc>,
    /// The language cart reminders are sent in (`fr`, `en`) when the customer asked for them;
    /// none (the default) when not.
    pub cart_reminders: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
