//! After-sales refunds what was paid: each order line keeps what it cost once the order's
//! discounts took their share (`paid_cents`), and a refund or a withdrawal keeps the lines it
//! takes back and how its amount falls on the VAT rates, for its credit note.
//!
//! Orders placed before kept only their discounts' split by VAT rate: their lines are backfilled
//! with each rate's discount spread over the rate's lines in proportion to their totals (what
//! the engine does for a discount on the whole basket).

use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(OrderLines::Table)
                    .add_column(big_integer(OrderLines::PaidCents).default(0))
                    .to_owned(),
            )
            .await?;
        for column in [Refunds::Lines, Refunds::VatSplit] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Refunds::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(WithdrawalRequests::Table)
                    .add_column(text_null(WithdrawalRequests::VatSplit))
                    .to_owned(),
            )
            .await?;
        backfill(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(WithdrawalRequests::Table)
                    .drop_column(WithdrawalRequests::VatSplit)
                    .to_owned(),
            )
            .await?;
        for column in [Refunds::Lines, Refunds::VatSplit] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Refunds::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OrderLines::Table)
                    .drop_column(OrderLines::PaidCents)
                    .to_owned(),
            )
            .await
    }
}

/// Each existing line's paid amount: its total less its share of its rate's discounts.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use comptoir_base::money::{allocate_cents, to_cents};
    use rust_decimal::Decimal;
    // The stored adjustments as this migration knows them (only what it reads), so later
    // changes to the pricing engine's types cannot change what it does.
    #[derive(serde::Deserialize)]
    struct AppliedAdjustment {
        #[serde(default)]
        by_rate: Vec<RateShare>,
    }
    #[derive(serde::Deserialize)]
    struct RateShare {
        rate: Decimal,
        amount: Decimal,
    }
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    db.execute_unprepared("UPDATE order_lines SET paid_cents = total_cents")
        .await?;
    let discounted = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, adjustments FROM orders WHERE discount_cents > 0",
        ))
        .await?;
    for row in discounted {
        let order_id: i32 = row.try_get("", "id")?;
        let adjustments: String = row.try_get("", "adjustments")?;
        let applied: Vec<AppliedAdjustment> =
            serde_json::from_str(&adjustments).map_err(|e| DbErr::Json(e.to_string()))?;
        let lines = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                match backend {
                    sea_orm_migration::sea_orm::DbBackend::Postgres => {
                        "SELECT id, total_cents, vat_rate_bp FROM order_lines WHERE order_id = $1 ORDER BY id"
                    }
                    _ => {
                        "SELECT id, total_cents, vat_rate_bp FROM order_lines WHERE order_id = ? ORDER BY id"
                    }
                },
                [order_id.into()],
            ))
            .await?;
        let mut sold = Vec::with_capacity(lines.len());
        for line in &lines {
            let id: i32 = line.try_get("", "id")?;
            let total: i64 = line.try_get("", "total_cents")?;
            let rate_bp: i32 = line.try_get("", "vat_rate_bp")?;
            sold.push((id, total, Decimal::new(i64::from(rate_bp), 2)));
        }
        let mut left: Vec<i64> = sold.iter().map(|(_, total, _)| *total).collect();
        for share in applied.iter().flat_map(|a| &a.by_rate) {
            let on_rate: Vec<usize> = (0..sold.len())
                .filter(|&i| sold[i].2.normalize() == share.rate.normalize())
                .collect();
            let weights: Vec<i64> = on_rate.iter().map(|&i| left[i]).collect();
            let amount = to_cents(share.amount)?;
            for (&i, part) in on_rate.iter().zip(allocate_cents(amount, &weights)) {
                left[i] = std::cmp::max(left[i] - part, 0);
            }
        }
        for ((id, _, _), paid) in sold.iter().zip(left) {
            db.execute_unprepared(&format!(
                "UPDATE order_lines SET paid_cents = {paid} WHERE id = {id}"
            ))
            .await?;
        }
    }
    Ok(())
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    PaidCents,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Lines,
    VatSplit,
}

#[derive(DeriveIden)]
enum WithdrawalRequests {
    Table,
    VatSplit,
}
