//! Categories: their list and their form.

use super::*;

/// Every category with how many products it has on sale.
///
/// # Errors
/// The database error.
pub async fn categories(db: &DatabaseConnection) -> Result<Vec<CategoryForm>, DbErr> {
    let counts: Vec<(i32, i64)> = product::Entity::find()
        .select_only()
        .column(product::Column::CategoryId)
        .column_as(product::Column::Id.count(), "n")
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::VariantOf.is_null())
        .group_by(product::Column::CategoryId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(category::Entity::find()
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CategoryForm {
            products: counts
                .iter()
                .find(|(id, _)| *id == c.id)
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
            id: c.id,
            slug: c.slug,
            name_fr: c.name_fr,
            name_en: c.name_en,
            description_fr: c.description_fr,
            description_en: c.description_en,
            position: c.position,
            archived: c.archived,
        })
        .collect())
}

/// Creates or updates a category. One with products on sale cannot be archived.
///
/// # Errors
/// [`CatalogAdminError::Invalid`], [`CatalogAdminError::Taken`] for an address already used,
/// [`CatalogAdminError::NotFound`], or the database error.
pub async fn save_category(
    db: &DatabaseConnection,
    form: &CategoryForm,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, CatalogAdminError> {
    let name_fr = form.name_fr.trim().to_owned();
    if name_fr.is_empty() || name_fr.chars().count() > 80 {
        return Err(invalid(Msg::ErrProductName));
    }
    let name_en = match form.name_en.trim() {
        "" => name_fr.clone(),
        name => name.to_owned(),
    };
    let slug = match form.slug.trim() {
        "" => crate::articles::rules::slugify_folded(&deunicode::deunicode(&name_fr)),
        typed => typed.to_owned(),
    };
    if !crate::articles::rules::is_slug(&slug) {
        return Err(invalid(Msg::ErrSlug));
    }
    let (description_fr, description_en) = (
        form.description_fr.trim().to_owned(),
        form.description_en.trim().to_owned(),
    );
    if description_fr.chars().count() > 2_000 || description_en.chars().count() > 2_000 {
        return Err(invalid(Msg::ErrTextTooLong));
    }
    let txn = crate::db::begin_write(db).await?;
    let taken = category::Entity::find()
        .filter(category::Column::Slug.eq(slug.as_str()))
        .filter(category::Column::Id.ne(form.id))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(CatalogAdminError::Taken(Msg::ErrSlugTaken));
    }
    if form.archived && form.id != 0 {
        let on_sale = product::Entity::find()
            .filter(product::Column::CategoryId.eq(form.id))
            .filter(product::Column::Status.eq(STATUS_ACTIVE))
            .count(&txn)
            .await?;
        if on_sale > 0 {
            return Err(invalid(Msg::ErrCategoryInUse));
        }
    }
    let mut model = if form.id == 0 {
        category::ActiveModel {
            created_at: Set(now),
            archived: Set(false),
            ..Default::default()
        }
    } else {
        category::Entity::find_by_id(form.id)
            .one(&txn)
            .await?
            .ok_or(CatalogAdminError::NotFound)?
            .into_active_model()
    };
    model.slug = Set(slug);
    model.name_fr = Set(name_fr);
    model.name_en = Set(name_en);
    model.description_fr = Set(description_fr);
    model.description_en = Set(description_en);
    model.position = Set(form.position.clamp(0, 999));
    if form.id != 0 {
        model.archived = Set(form.archived);
    }
    let saved = if form.id == 0 {
        model.insert(&txn).await?
    } else {
        model.update(&txn).await?
    };
    audit::record(
        &txn,
        staff_id,
        if form.id == 0 {
            "category.create"
        } else {
            "category.update"
        },
        &format!("category:{}", saved.id),
        &format!(
            "{}{}",
            saved.slug,
            if saved.archived { " (archived)" } else { "" }
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}
