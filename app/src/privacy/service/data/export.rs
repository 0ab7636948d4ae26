//! The export of an account's personal data: every row of every table that holds some.

use super::*;

/// The ids of the customer's orders: their own, and guest orders under their address once it
/// is verified (the same person).
pub(super) async fn order_ids(
    db: &impl ConnectionTrait,
    account: &user::Model,
) -> Result<Vec<i32>, DbErr> {
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

pub(super) fn throttle_suffix(email: &str) -> String {
    crate::throttle::address_suffix(email)
}

/// The customer's rows of `table`, every column but `withheld`.
pub(super) async fn rows(
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
            // Also the hash an unsubscribed newsletter address was reduced to.
            let [address, hashed] =
                crate::privacy::service::retention::newsletter_keys(&account.email);
            sql.push(column)
                .push(" IN (")
                .bind(address)
                .push(", ")
                .bind(hashed)
                .push(")");
        }
        Reach::ThrottleKeys => {
            // The suffix is a hash in hexadecimal: no LIKE wildcard in it.
            let found = auth_throttle::Entity::find()
                .filter(auth_throttle::Column::Key.ends_with(throttle_suffix(&account.email)))
                .all(db)
                .await?;
            return Ok(found
                .into_iter()
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
