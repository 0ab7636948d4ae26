//! The demo brand's legal texts, first version of each page (staff publish later ones from
//! `/admin/legal`).

use anyhow::{Context, Result};
use app::db::entities::legal_document;
use app::legal::model::LegalKind;
use app::orders::rules::TERMS_VERSION;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

struct Text {
    kind: LegalKind,
    title: (&'static str, &'static str),
    body: (&'static str, &'static str),
}

const TEXTS: &[Text] = &[
    Text {
        kind: LegalKind::Terms,
        title: ("Conditions générales de vente", "Terms of sale"),
        body: (
            include_str!("legal/terms.fr.md"),
            include_str!("legal/terms.en.md"),
        ),
    },
    Text {
        kind: LegalKind::Withdrawal,
        title: ("Droit de rétractation", "Right of withdrawal"),
        body: (
            include_str!("legal/withdrawal.fr.md"),
            include_str!("legal/withdrawal.en.md"),
        ),
    },
    Text {
        kind: LegalKind::Privacy,
        title: ("Politique de confidentialité", "Privacy policy"),
        body: (
            include_str!("legal/privacy.fr.md"),
            include_str!("legal/privacy.en.md"),
        ),
    },
    Text {
        kind: LegalKind::Cookies,
        title: ("Politique cookies", "Cookie policy"),
        body: (
            include_str!("legal/cookies.fr.md"),
            include_str!("legal/cookies.en.md"),
        ),
    },
    Text {
        kind: LegalKind::Notice,
        title: ("Mentions légales", "Legal notice"),
        body: (
            include_str!("legal/notice.fr.md"),
            include_str!("legal/notice.en.md"),
        ),
    },
];

/// Publishes the first version of every legal page that has none yet.
///
/// # Errors
/// The database error.
pub async fn seed_legal(db: &impl ConnectionTrait) -> Result<usize> {
    let effective =
        NaiveDate::parse_from_str(TERMS_VERSION, "%Y-%m-%d").context("TERMS_VERSION is a date")?;
    let mut added = 0;
    for text in TEXTS {
        let existing = legal_document::Entity::find()
            .filter(legal_document::Column::Kind.eq(text.kind.code()))
            .count(db)
            .await?;
        if existing > 0 {
            continue;
        }
        legal_document::ActiveModel {
            kind: Set(text.kind.code().to_owned()),
            version: Set(TERMS_VERSION.to_owned()),
            effective_on: Set(effective),
            title_fr: Set(text.title.0.to_owned()),
            title_en: Set(text.title.1.to_owned()),
            body_fr: Set(text.body.0.to_owned()),
            body_en: Set(text.body.1.to_owned()),
            created_by: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .with_context(|| format!("inserting the {} page", text.kind.code()))?;
        added += 1;
    }
    Ok(added)
}
