//! A product's variants (sizes or counts), each a row of `products` (see migration 42): the
//! first carries the product's texts, category and pictures, the others copy them and differ
//! by what is sold per size (server only).

use crate::db::entities::product;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// A new variant of product `first`: its shared fields, the rest to be set.
pub fn shared_from(first: &product::Model) -> product::ActiveModel {
    product::ActiveModel {
        category_id: Set(first.category_id),
        kind: Set(first.kind.clone()),
        name_fr: Set(first.name_fr.clone()),
        name_en: Set(first.name_en.clone()),
        summary_fr: Set(first.summary_fr.clone()),
        summary_en: Set(first.summary_en.clone()),
        description_fr: Set(first.description_fr.clone()),
        description_en: Set(first.description_en.clone()),
        composition_fr: Set(first.composition_fr.clone()),
        composition_en: Set(first.composition_en.clone()),
        usage_fr: Set(first.usage_fr.clone()),
        usage_en: Set(first.usage_en.clone()),
        vat_rate_bp: Set(first.vat_rate_bp),
        net_unit: Set(first.net_unit.clone()),
        lead_time_days: Set(first.lead_time_days),
        subscription_months: Set(first.subscription_months.clone()),
        image: Set(first.image.clone()),
        status: Set(first.status.clone()),
        created_at: Set(first.created_at),
        updated_at: Set(first.updated_at),
        name_key_fr: Set(first.name_key_fr.clone()),
        name_key_en: Set(first.name_key_en.clone()),
        ..Default::default()
    }
}

/// Copies the shared fields of product `first` to its other variants (in the caller's
/// transaction, after `first` was saved).
///
/// # Errors
/// The database error.
pub async fn share(db: &impl ConnectionTrait, first: &product::Model) -> Result<(), DbErr> {
    use product::Column as C;
    product::Entity::update_many()
        .col_expr(C::CategoryId, Expr::value(first.category_id))
        .col_expr(C::Kind, Expr::value(first.kind.clone()))
        .col_expr(C::NameFr, Expr::value(first.name_fr.clone()))
        .col_expr(C::NameEn, Expr::value(first.name_en.clone()))
        .col_expr(C::SummaryFr, Expr::value(first.summary_fr.clone()))
        .col_expr(C::SummaryEn, Expr::value(first.summary_en.clone()))
        .col_expr(C::DescriptionFr, Expr::value(first.description_fr.clone()))
        .col_expr(C::DescriptionEn, Expr::value(first.description_en.clone()))
        .col_expr(C::CompositionFr, Expr::value(first.composition_fr.clone()))
        .col_expr(C::CompositionEn, Expr::value(first.composition_en.clone()))
        .col_expr(C::UsageFr, Expr::value(first.usage_fr.clone()))
        .col_expr(C::UsageEn, Expr::value(first.usage_en.clone()))
        .col_expr(C::VatRateBp, Expr::value(first.vat_rate_bp))
        .col_expr(C::NetUnit, Expr::value(first.net_unit.clone()))
        .col_expr(C::LeadTimeDays, Expr::value(first.lead_time_days))
        .col_expr(C::Image, Expr::value(first.image.clone()))
        .col_expr(C::NameKeyFr, Expr::value(first.name_key_fr.clone()))
        .col_expr(C::NameKeyEn, Expr::value(first.name_key_en.clone()))
        .filter(C::VariantOf.eq(first.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every variant of the product whose first variant is `first_id`, in the picker's order
/// (the first first), archived ones included.
///
/// # Errors
/// The database error.
pub async fn family(
    db: &impl ConnectionTrait,
    first_id: i32,
) -> Result<Vec<product::Model>, DbErr> {
    product::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(product::Column::Id.eq(first_id))
                .add(product::Column::VariantOf.eq(first_id)),
        )
        .order_by_asc(product::Column::VariantPosition)
        .order_by_asc(product::Column::Id)
        .all(db)
        .await
}

/// Makes the product whose first variant is `first_id` found by every size's SKU: its search
/// title names them all (the other sizes are never found themselves).
///
/// # Errors
/// The database error.
pub async fn index_skus(db: &impl ConnectionTrait, first_id: i32) -> Result<(), DbErr> {
    use crate::catalog::search::{ProductSearchFields, ProductTexts};
    let family = family(db, first_id).await?;
    let Some(first) = family.iter().find(|v| v.id == first_id) else {
        return Ok(());
    };
    let skus = family
        .iter()
        .map(|v| v.sku.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let title = ProductSearchFields::of(&ProductTexts {
        sku: &skus,
        name_fr: &first.name_fr,
        name_en: &first.name_en,
        body: &[],
    })
    .search_title;
    if title != first.search_title {
        product::Entity::update_many()
            .col_expr(product::Column::SearchTitle, Expr::value(title))
            .filter(product::Column::Id.eq(first_id))
            .exec(db)
            .await?;
    }
    Ok(())
}
