use sea_orm::entity::prelude::*;

/// An email the store sends: captured here first (readable in the back office), sent through
/// SMTP when a relay is configured.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub to_address: String,
    /// What the email is for (`account_verify`, `password_reset`, …).
    pub kind: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// Why the last attempt failed (the relay's answer; never a password).
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// Not before then: the retry delay, or another instance's lease while it sends.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The invoice whose PDF the email carries (made when it is sent).
    pub invoice_id: Option<i32>,
    /// A marketing email's one-click unsubscribe URL (`List-Unsubscribe`, RFC 8058).
    pub list_unsubscribe: Option<String>,
    /// The terms of sale version an order confirmation carries, with the model withdrawal
    /// form (PDFs made when it is sent).
    pub terms_version: Option<String>,
    /// The language the email is written in (`fr`, `en`): its HTML part declares it.
    pub locale: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
