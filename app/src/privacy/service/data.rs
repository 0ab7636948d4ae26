//! A customer's personal data: where it lives, the export, the erasure.
//!
//! [`TABLES`] names every table of the schema and what it holds. A table with personal data
//! says how a customer's rows are reached; the export takes every column of those rows but the
//! secrets listed (password hash, token hashes, session ids), so a column added later is
//! exported without anyone remembering to. A test lists the database's tables and fails for any
//! table missing here.
//!
//! **The erasure rule.** When an account is erased, its personal data is deleted or
//! anonymised everywhere except in the invoice archive: invoices and credit notes are kept as
//! issued for ten years, buyer's name and address included, because French tax law requires an
//! invoice to name its buyer (CGI, art. 242 nonies A) and forbids altering it. Orders are kept
//! for accounting, anonymised (the amounts, lines, destination country and dates remain). The
//! one other row that names the customer is the confirmation of the erasure itself, kept in the
//! outbox until it is sent and then emptied by the mailer.

use crate::db::entities::{
    account_token, address, auth_throttle, email_outbox, newsletter_subscription, order,
    saved_cart, session, subscription, user,
};
use crate::db::sql::Sql;
use crate::orders::model::OrderStatus;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult,
    JsonValue, QueryFilter,
};
use serde_json::{Map, json};

/// The export format's name and version.
pub const EXPORT_FORMAT: &str = "comptoir-personal-data/1";
/// The email kind of the erasure confirmation (emptied once sent).
pub const ERASED_EMAIL_KIND: &str = "account_deleted";

/// How a customer's rows of a table are found.
#[derive(Clone, Copy, Debug)]
pub enum Reach {
    /// `column` holds the account's id.
    Account(&'static str),
    /// The customer's orders: theirs, and guest orders under their verified address.
    OwnOrders,
    /// `column` holds one of the customer's orders.
    Orders(&'static str),
    /// `column` holds the customer's email address.
    Email(&'static str),
    /// Sign-in counters keyed by the customer's address.
    ThrottleKeys,
    /// The consent log, anonymous: only the rows of this browser's visitor id.
    Visitor(&'static str),
}

/// What a table holds.
#[derive(Clone, Copy, Debug)]
pub enum Holds {
    /// Personal data, exported under `export_as` without the `withheld` secrets.
    Personal {
        export_as: &'static str,
        reach: Reach,
        withheld: &'static [&'static str],
    },
    /// Nothing about a person, and why.
    Nothing(&'static str),
}

/// Every table of the schema.
pub const TABLES: &[(&str, Holds)] = &[
    (
        "users",
        Holds::Personal {
            export_as: "profile",
            reach: Reach::Account("id"),
            withheld: &["password_hash"],
        },
    ),
    (
        "addresses",
        Holds::Personal {
            export_as: "addresses",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "saved_carts",
        Holds::Personal {
            export_as: "saved_cart",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "sessions",
        Holds::Personal {
            export_as: "sessions",
            reach: Reach::Account("user_id"),
            // The id signs a browser in; the data holds the same drafts the pages show.
            withheld: &["id", "data"],
        },
    ),
    (
        "account_tokens",
        Holds::Personal {
            export_as: "email_links",
            reach: Reach::Account("user_id"),
            withheld: &["token_hash"],
        },
    ),
    (
        "auth_throttle",
        Holds::Personal {
            export_as: "sign_in_attempts",
            reach: Reach::ThrottleKeys,
            withheld: &[],
        },
    ),
    (
        "subscriptions",
        Holds::Personal {
            export_as: "subscriptions",
            reach: Reach::Account("user_id"),
            withheld: &["mandate"],
        },
    ),
    (
        "orders",
        Holds::Personal {
            export_as: "orders",
            reach: Reach::OwnOrders,
            // The secret of the order's link and the browser's retry key.
            withheld: &["access_key", "idempotency_key"],
        },
    ),
    (
        "order_lines",
        Holds::Personal {
            export_as: "order_lines",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "order_events",
        Holds::Personal {
            export_as: "order_history",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "payments",
        Holds::Personal {
            export_as: "payments",
            reach: Reach::Orders("order_id"),
            withheld: &["checkout_url"],
        },
    ),
    (
        "refunds",
        Holds::Personal {
            export_as: "refunds",
            reach: Reach::Orders("order_id"),
            withheld: &["idempotency_key"],
        },
    ),
    (
        "invoices",
        Holds::Personal {
            export_as: "invoices",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "credit_notes",
        Holds::Personal {
            export_as: "credit_notes",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "withdrawal_requests",
        Holds::Personal {
            export_as: "withdrawals",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "unavailable_lines",
        Holds::Personal {
            export_as: "unavailable_items",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "email_outbox",
        Holds::Personal {
            export_as: "emails",
            reach: Reach::Email("to_address"),
            withheld: &[],
        },
    ),
    (
        "newsletter_subscriptions",
        Holds::Personal {
            export_as: "newsletter",
            reach: Reach::Email("email"),
            withheld: &["confirm_token_hash", "unsubscribe_key"],
        },
    ),
    (
        "consent_records",
        Holds::Personal {
            export_as: "cookie_consents",
            reach: Reach::Visitor("visitor"),
            withheld: &[],
        },
    ),
    (
        "audience_daily",
        Holds::Nothing("page views counted per path and day, no visitor id"),
    ),
    (
        "legal_documents",
        Holds::Nothing("the shop's legal texts (the author is a staff account)"),
    ),
    (
        "articles",
        Holds::Nothing("research articles; the byline is one the editor chose to publish"),
    ),
    ("article_tags", Holds::Nothing("research articles")),
    ("article_products", Holds::Nothing("research articles")),
    (
        "article_revisions",
        Holds::Nothing("the editorial log (editor and staff accounts, never customers)"),
    ),
    (
        "audit_log",
        Holds::Nothing(
            "the back-office log: staff accounts acting on order numbers and record ids, never a customer's details",
        ),
    ),
    (
        "promo_codes",
        Holds::Nothing("the shop's promo codes and their use counts"),
    ),
    (
        "promo_redemptions",
        Holds::Personal {
            export_as: "promo_codes_used",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "referrals",
        Holds::Personal {
            export_as: "referrals",
            reach: Reach::Account("sponsor_id"),
            // The referred friend's address is theirs, not the sponsor's.
            withheld: &["referee_email"],
        },
    ),
    (
        "referrals",
        Holds::Personal {
            export_as: "referred_by",
            reach: Reach::Email("referee_email"),
            // The sponsor's side: who they are and what they earned.
            withheld: &["sponsor_id", "credit_cents", "credit_order_id"],
        },
    ),
    (
        "loyalty_entries",
        Holds::Personal {
            export_as: "loyalty_points",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "store_credits",
        Holds::Personal {
            export_as: "store_credit",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "content_versions",
        Holds::Nothing("a counter of changes to the shop's public pages"),
    ),
    (
        "shop_settings",
        Holds::Nothing(
            "the shop's own settings: the seller's identity and bank details, the reward rates",
        ),
    ),
    (
        "stock_movements",
        Holds::Nothing("stock adjustments by staff accounts"),
    ),
    ("categories", Holds::Nothing("the catalogue")),
    ("products", Holds::Nothing("the catalogue")),
    ("product_images", Holds::Nothing("the catalogue")),
    ("shipping_zones", Holds::Nothing("shipping rates")),
    ("shipping_rates", Holds::Nothing("shipping rates")),
    ("payment_methods", Holds::Nothing("payment settings")),
    (
        "demo_payments",
        Holds::Nothing("the demo provider's side: amounts and order numbers, no identity"),
    ),
    (
        "demo_refunds",
        Holds::Nothing("the demo provider's side: amounts, no identity"),
    ),
    (
        "counters",
        Holds::Nothing("the last invoice and credit-note numbers"),
    ),
    ("seaql_migrations", Holds::Nothing("schema versions")),
];

/// Whether `table` is an internal table of an engine or one engine's search index, derived
/// from `products` (SQLite's own, its FTS5 index, PostgreSQL's `product_search`): no person's
/// data, and not on both engines.
pub fn is_engine_table(table: &str) -> bool {
    table.starts_with("sqlite_") || table.starts_with("products_fts") || table == "product_search"
}

/// The ids of the customer's orders: their own, and guest orders under their address once it
/// is verified (the same person).
async fn order_ids(db: &impl ConnectionTrait, account: &user::Model) -> Result<Vec<i32>, DbErr> {
    let mut condition = sea_orm::Condition::any().add(order::Column::UserId.eq(account.id));
    if account.email_verified_at.is_some() {
        condition = condition.add(order::Column::Email.eq(account.email.as_str()));
    }
    Ok(order::Entity::find()
        .filter(condition)
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect())
}

fn throttle_suffix(email: &str) -> String {
    crate::throttle::address_suffix(email)
}

/// The customer's rows of `table`, every column but `withheld`.
async fn rows(
    db: &impl ConnectionTrait,
    table: &str,
    reach: Reach,
    withheld: &[&str],
    account: &user::Model,
    orders: &[i32],
    visitor: Option<&str>,
) -> Result<Vec<JsonValue>, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!("SELECT * FROM {table} WHERE "));
    match reach {
        Reach::Account(column) => {
            sql.push(column).push(" = ").bind(account.id);
        }
        Reach::OwnOrders | Reach::Orders(_) => {
            let column = match reach {
                Reach::Orders(column) => column,
                _ => "id",
            };
            if orders.is_empty() {
                return Ok(Vec::new());
            }
            sql.push(column).push(" IN (");
            for (i, id) in orders.iter().enumerate() {
                sql.push(if i > 0 { ", " } else { "" }).bind(*id);
            }
            sql.push(")");
        }
        Reach::Email(column) => {
            sql.push(column).push(" = ").bind(account.email.clone());
        }
        Reach::ThrottleKeys => {
            // Compared by suffix in Rust: `LIKE` would read `_` and `%` in an address.
            let suffix = throttle_suffix(&account.email);
            let found = auth_throttle::Entity::find().all(db).await?;
            return Ok(found
                .into_iter()
                .filter(|row| row.key.ends_with(&suffix))
                .map(|row| {
                    json!({
                        "key": row.key,
                        "attempts": row.attempts,
                        "window_started_at": row.window_started_at,
                    })
                })
                .collect());
        }
        Reach::Visitor(column) => {
            let Some(visitor) = visitor else {
                return Ok(Vec::new());
            };
            sql.push(column).push(" = ").bind(visitor.to_owned());
        }
    }
    sql.push(" ORDER BY 1");
    let mut found = JsonValue::find_by_statement(sql.build()).all(db).await?;
    for row in &mut found {
        if let Some(object) = row.as_object_mut() {
            for column in withheld {
                object.remove(*column);
            }
        }
    }
    Ok(found)
}

/// Everything the shop holds about `account`, as one JSON document; `visitor` is this
/// browser's consent visitor id (the consent log is not tied to accounts).
///
/// # Errors
/// The database error.
pub async fn export(
    db: &impl ConnectionTrait,
    account: &user::Model,
    visitor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<JsonValue, DbErr> {
    let orders = order_ids(db, account).await?;
    let mut document = Map::new();
    document.insert("format".into(), json!(EXPORT_FORMAT));
    document.insert("generated_at".into(), json!(now));
    let seller = crate::settings::service::seller(db).await?;
    document.insert(
        "controller".into(),
        json!(format!(
            "{}, {}, {}",
            seller.name,
            seller.address.join(", "),
            seller.email
        )),
    );
    for (table, holds) in TABLES {
        let Holds::Personal {
            export_as,
            reach,
            withheld,
        } = holds
        else {
            continue;
        };
        let found = rows(db, table, *reach, withheld, account, &orders, visitor).await?;
        let value = match reach {
            // One account, one profile.
            Reach::Account("id") => found.into_iter().next().unwrap_or(JsonValue::Null),
            _ => JsonValue::Array(found),
        };
        document.insert((*export_as).to_owned(), value);
    }
    Ok(JsonValue::Object(document))
}

/// Why an account cannot be erased now.
#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    /// A paid order is still on its way: its address is needed until it is delivered.
    #[error("an order is still on its way")]
    OrderInProgress,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The address an erased account and its orders are left with.
pub fn erased_email(id: i32) -> String {
    format!("deleted-{id}@erased.invalid")
}

/// Erases `account` in `txn` at `now` (see the rule at the top of this module): subscriptions
/// ended and anonymised, unpaid orders cancelled (stock back), orders anonymised, addresses,
/// saved cart, sessions, email links, sign-in counters and emails deleted, the account row left
/// anonymised and marked deleted. Refused while a paid order is on its way.
///
/// # Errors
/// [`EraseError::OrderInProgress`], or the database error.
pub async fn erase(
    txn: &DatabaseTransaction,
    account: &user::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), EraseError> {
    let orders = order_ids(txn, account).await?;
    let in_progress = [
        OrderStatus::Paid,
        OrderStatus::Preparing,
        OrderStatus::Shipped,
    ];
    let open = order::Entity::find()
        .filter(order::Column::Id.is_in(orders.clone()))
        .filter(order::Column::Status.is_in(in_progress.iter().map(|s| s.code())))
        .one(txn)
        .await?;
    if open.is_some() {
        return Err(EraseError::OrderInProgress);
    }

    let subscriptions = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(account.id))
        .all(txn)
        .await?;
    for s in &subscriptions {
        crate::subscriptions::service::end(txn, s.id, reason, now).await?;
    }
    subscription::Entity::update_many()
        .col_expr(subscription::Column::Title, Expr::value(None::<String>))
        .col_expr(subscription::Column::FirstName, Expr::value(""))
        .col_expr(subscription::Column::LastName, Expr::value(""))
        .col_expr(subscription::Column::Phone, Expr::value(None::<String>))
        .col_expr(subscription::Column::DeliveryAddress, Expr::value(""))
        .col_expr(subscription::Column::BillingAddress, Expr::value(""))
        .col_expr(subscription::Column::Mandate, Expr::value(""))
        .filter(subscription::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;

    let unpaid = order::Entity::find()
        .filter(order::Column::Id.is_in(orders.clone()))
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment.code()))
        .all(txn)
        .await?;
    for o in unpaid {
        crate::orders::service::lifecycle::cancel_quietly(txn, o.id, reason, now)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    let placeholder = erased_email(account.id);
    order::Entity::update_many()
        .col_expr(order::Column::Email, Expr::value(placeholder.clone()))
        .col_expr(order::Column::Title, Expr::value(None::<String>))
        .col_expr(order::Column::FirstName, Expr::value(""))
        .col_expr(order::Column::LastName, Expr::value(""))
        .col_expr(order::Column::Phone, Expr::value(None::<String>))
        .col_expr(order::Column::DeliveryAddress, Expr::value(""))
        .col_expr(order::Column::BillingAddress, Expr::value(""))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.is_in(orders.clone()))
        .exec(txn)
        .await?;

    // Uses of promo codes keep counting towards the codes' limits, under no one's address.
    crate::db::entities::promo_redemption::Entity::update_many()
        .col_expr(
            crate::db::entities::promo_redemption::Column::Customer,
            Expr::value(placeholder.clone()),
        )
        .filter(crate::db::entities::promo_redemption::Column::OrderId.is_in(orders.clone()))
        .exec(txn)
        .await?;
    // A referral naming this person as the friend keeps its row (a person is referred once)
    // under the anonymised address; the points ledger goes.
    crate::db::entities::referral::Entity::update_many()
        .col_expr(
            crate::db::entities::referral::Column::RefereeEmail,
            Expr::value(placeholder.clone()),
        )
        .filter(crate::db::entities::referral::Column::RefereeEmail.eq(account.email.as_str()))
        .exec(txn)
        .await?;
    crate::db::entities::loyalty_entry::Entity::delete_many()
        .filter(crate::db::entities::loyalty_entry::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    // The erasure page says an unspent store credit is given up with the account.
    crate::db::entities::store_credit::Entity::delete_many()
        .filter(crate::db::entities::store_credit::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    address::Entity::delete_many()
        .filter(address::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    saved_cart::Entity::delete_many()
        .filter(saved_cart::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    let suffix = throttle_suffix(&account.email);
    for row in auth_throttle::Entity::find().all(txn).await? {
        if row.key.ends_with(&suffix) {
            auth_throttle::Entity::delete_by_id(row.key)
                .exec(txn)
                .await?;
        }
    }
    email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::ToAddress.eq(account.email.as_str()))
        .exec(txn)
        .await?;
    newsletter_subscription::Entity::delete_many()
        .filter(newsletter_subscription::Column::Email.eq(account.email.as_str()))
        .exec(txn)
        .await?;

    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(placeholder))
        .col_expr(
            user::Column::EmailVerifiedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        // Not a PHC string: no password ever matches it.
        .col_expr(user::Column::PasswordHash, Expr::value("!"))
        .col_expr(user::Column::Title, Expr::value(None::<String>))
        .col_expr(user::Column::FirstName, Expr::value(""))
        .col_expr(user::Column::LastName, Expr::value(""))
        .col_expr(user::Column::Phone, Expr::value(None::<String>))
        .col_expr(user::Column::Newsletter, Expr::value(false))
        .col_expr(user::Column::ReferredByCode, Expr::value(None::<String>))
        .col_expr(user::Column::ReferralCode, Expr::value(None::<String>))
        .col_expr(user::Column::LoyaltyPoints, Expr::value(0i64))
        .col_expr(user::Column::StoreCreditCents, Expr::value(0i64))
        .col_expr(user::Column::SessionsValidAfter, Expr::value(Some(now)))
        .col_expr(user::Column::DeletedAt, Expr::value(Some(now)))
        .col_expr(
            user::Column::InactivityWarnedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .exec(txn)
        .await?;
    Ok(())
}
