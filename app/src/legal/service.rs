//! Reading and publishing legal texts.

use crate::db::entities::legal_document;
use crate::legal::model::{LegalKind, VersionRef, VersionState};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

/// The longest body accepted (characters, per language).
pub const MAX_BODY_CHARS: usize = 100_000;

/// Why a version was not published.
#[derive(Debug, thiserror::Error)]
pub enum LegalError {
    #[error("{0}")]
    Invalid(&'static str),
    #[error("this version already exists")]
    VersionTaken,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Every version of `kind`, newest first (by effective date, then publication).
///
/// # Errors
/// The database error.
pub async fn versions(
    db: &impl ConnectionTrait,
    kind: LegalKind,
) -> Result<Vec<legal_document::Model>, DbErr> {
    legal_document::Entity::find()
        .filter(legal_document::Column::Kind.eq(kind.code()))
        .order_by_desc(legal_document::Column::EffectiveOn)
        .order_by_desc(legal_document::Column::Id)
        .all(db)
        .await
}

/// The version in force on `today` among `versions` (newest first): the first whose date has
/// come.
pub fn in_force(
    versions: &[legal_document::Model],
    today: NaiveDate,
) -> Option<&legal_document::Model> {
    versions.iter().find(|v| v.effective_on <= today)
}

/// How `version` stands on `today` among `versions`.
pub fn state_of(
    versions: &[legal_document::Model],
    version: &legal_document::Model,
    today: NaiveDate,
) -> VersionState {
    match in_force(versions, today) {
        Some(current) if current.id == version.id => VersionState::InForce,
        _ if version.effective_on > today => VersionState::Upcoming,
        _ => VersionState::Superseded,
    }
}

pub fn version_ref(v: &legal_document::Model) -> VersionRef {
    VersionRef {
        version: v.version.clone(),
        effective_on: v.effective_on,
    }
}

/// The version of the terms of sale in force on `today` (what checkout asks to accept).
///
/// # Errors
/// The database error; `RecordNotFound` when no terms have been published.
pub async fn terms_in_force(db: &impl ConnectionTrait, today: NaiveDate) -> Result<String, DbErr> {
    let versions = versions(db, LegalKind::Terms).await?;
    in_force(&versions, today)
        .map(|v| v.version.clone())
        .ok_or_else(|| DbErr::RecordNotFound("terms of sale".into()))
}

/// A new version to publish.
pub struct NewVersion<'a> {
    pub kind: LegalKind,
    pub version: &'a str,
    pub effective_on: NaiveDate,
    pub title_fr: &'a str,
    pub title_en: &'a str,
    pub body_fr: &'a str,
    pub body_en: &'a str,
    pub author: Option<i32>,
}

/// Publishes `new` at `now`. A version is never edited afterwards; the terms cannot take effect
/// before today (a customer accepted what was in force when they ordered).
///
/// # Errors
/// [`LegalError::Invalid`] with what is wrong, [`LegalError::VersionTaken`], or the database
/// error.
pub async fn publish(
    db: &impl ConnectionTrait,
    new: NewVersion<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<legal_document::Model, LegalError> {
    let version = new.version.trim();
    if version.is_empty()
        || version.len() > 32
        || !version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(LegalError::Invalid(
            "La version est faite de lettres, chiffres, points et tirets (32 au plus).",
        ));
    }
    if new.title_fr.trim().is_empty() || new.body_fr.trim().is_empty() {
        return Err(LegalError::Invalid(
            "Le titre et le texte français sont obligatoires (langue du contrat).",
        ));
    }
    if new.body_fr.chars().count() > MAX_BODY_CHARS || new.body_en.chars().count() > MAX_BODY_CHARS
    {
        return Err(LegalError::Invalid("Le texte dépasse 100 000 caractères."));
    }
    if new.kind == LegalKind::Terms && new.effective_on < today {
        return Err(LegalError::Invalid(
            "De nouvelles conditions de vente ne peuvent pas prendre effet avant aujourd'hui.",
        ));
    }
    let taken = legal_document::Entity::find()
        .filter(legal_document::Column::Kind.eq(new.kind.code()))
        .filter(legal_document::Column::Version.eq(version))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(LegalError::VersionTaken);
    }
    let inserted = legal_document::ActiveModel {
        kind: Set(new.kind.code().to_owned()),
        version: Set(version.to_owned()),
        effective_on: Set(new.effective_on),
        title_fr: Set(new.title_fr.trim().to_owned()),
        title_en: Set(new.title_en.trim().to_owned()),
        body_fr: Set(new.body_fr.to_owned()),
        body_en: Set(new.body_en.to_owned()),
        created_by: Set(new.author),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(model) => Ok(model),
        // Two staff members publishing the same version at once: the unique index decides.
        Err(error) if is_unique_violation(&error) => Err(LegalError::VersionTaken),
        Err(error) => Err(error.into()),
    }
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// The authors' names of `versions`, by user id.
///
/// # Errors
/// The database error.
pub async fn authors(
    db: &impl ConnectionTrait,
    versions: &[legal_document::Model],
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    crate::account::service::full_names(db, versions.iter().filter_map(|v| v.created_by)).await
}

/// A legal text as a durable medium carries it: a file name, a title and its Markdown, the
/// seller's placeholders filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractText {
    pub file_name: String,
    pub title: String,
    pub markdown: String,
}

/// What an order confirmation carries besides the invoice (art. L221-13): the terms of sale
/// in `terms_version` (the one the customer accepted; none if it was never published), and the
/// withdrawal page in force on `today` with its model form, in `locale` (French when the text
/// has no translation).
///
/// # Errors
/// The database error.
pub async fn contract_texts(
    db: &impl ConnectionTrait,
    terms_version: &str,
    locale: crate::i18n::Locale,
    today: NaiveDate,
) -> Result<Vec<ContractText>, DbErr> {
    use crate::i18n::Locale;
    let seller = crate::settings::service::seller(db).await?;
    let text = |doc: &legal_document::Model, file_name: String| {
        let english = locale == Locale::En && !doc.body_en.trim().is_empty();
        let (title, body) = if english {
            (&doc.title_en, &doc.body_en)
        } else {
            (&doc.title_fr, &doc.body_fr)
        };
        ContractText {
            file_name,
            title: format!("{title} — version {}", doc.version),
            markdown: crate::settings::rules::fill(body, &seller),
        }
    };
    let mut texts = Vec::new();
    let terms = versions(db, LegalKind::Terms).await?;
    if let Some(accepted) = terms.iter().find(|v| v.version == terms_version) {
        let name = match locale {
            Locale::Fr => format!("cgv-{}.pdf", accepted.version),
            Locale::En => format!("terms-{}.pdf", accepted.version),
        };
        texts.push(text(accepted, name));
    }
    let withdrawal = versions(db, LegalKind::Withdrawal).await?;
    if let Some(form) = in_force(&withdrawal, today) {
        let name = match locale {
            Locale::Fr => "formulaire-de-retractation.pdf".to_owned(),
            Locale::En => "withdrawal-form.pdf".to_owned(),
        };
        texts.push(text(form, name));
    }
    Ok(texts)
}
