//! Server functions of the legal pages: reading any version, and publishing (staff).

use super::model::{LegalAdminRow, LegalDocumentView, LegalDraft};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const LEGAL_DRAFT: &str = "draft.legal";
/// Where a legal text shows the retention table (`privacy::rules::RETENTION`).
#[cfg(feature = "ssr")]
const RETENTION_PLACEHOLDER: &str = "{{retention}}";

#[cfg(feature = "ssr")]
fn kind_of(code: &str) -> Result<super::model::LegalKind, AppError> {
    super::model::LegalKind::from_code(code).ok_or_else(|| AppError::NotFound.answered())
}

/// Version `version` of the legal page `kind` (the one in force without `version`), in the
/// reader's language; 404 for an unknown page or version.
#[server(prefix = "/api", endpoint = "legal/document")]
pub async fn legal_document(
    kind: String,
    version: Option<String>,
) -> Result<LegalDocumentView, AppError> {
    use super::service::{in_force, state_of, version_ref, versions};
    use crate::i18n::Locale;
    let kind = kind_of(&kind)?;
    let state = crate::state::app_state()?;
    let today = crate::clock::paris_today(state.clock.now());
    let all = versions(&state.db, kind).await?;
    let shown = match version.as_deref().filter(|v| !v.is_empty()) {
        Some(wanted) => all.iter().find(|v| v.version == wanted),
        // Nothing in force yet (only a version to come): show the earliest one.
        None => in_force(&all, today).or(all.last()),
    }
    .ok_or_else(|| AppError::NotFound.answered())?;
    let english = crate::i18n::request_locale() == Locale::En && !shown.body_en.trim().is_empty();
    let (title, body) = if english {
        (&shown.title_en, &shown.body_en)
    } else {
        (&shown.title_fr, &shown.body_fr)
    };
    // Texts name the seller through placeholders, filled with today's identity (read only for a
    // text that has some).
    let body = if body.contains("{{seller.") {
        let seller = crate::settings::service::seller(&state.db).await?;
        crate::settings::rules::fill(body, &seller)
    } else {
        body.clone()
    };
    // The privacy text's retention table comes from the one the retention jobs apply.
    let body = if body.contains(RETENTION_PLACEHOLDER) {
        let locale = if english { Locale::En } else { Locale::Fr };
        body.replace(
            RETENTION_PLACEHOLDER,
            &crate::privacy::rules::retention_markdown(
                locale,
                state.privacy.guest_retention_months,
            ),
        )
    } else {
        body
    };
    Ok(LegalDocumentView {
        kind,
        version: shown.version.clone(),
        effective_on: shown.effective_on,
        state: state_of(&all, shown, today),
        title: title.clone(),
        html: crate::ui::markdown::render(&body),
        translation: english,
        versions: all.iter().map(version_ref).collect(),
    })
}

/// Every legal page with its version in force and the next one (staff).
#[server(prefix = "/api", endpoint = "admin/legal")]
pub async fn staff_legal() -> Result<Vec<LegalAdminRow>, AppError> {
    use super::model::LegalKind;
    use super::service::{in_force, version_ref, versions};
    let state = crate::account::api::ssr::state()?;
    crate::account::api::ssr::require_staff(&state).await?;
    let today = crate::clock::paris_today(state.clock.now());
    let mut rows = Vec::new();
    for kind in LegalKind::ALL {
        let all = versions(&state.db, kind).await?;
        let current = in_force(&all, today);
        rows.push(LegalAdminRow {
            kind,
            title: current
                .or(all.first())
                .map(|v| v.title_fr.clone())
                .unwrap_or_default(),
            in_force: current.map(version_ref),
            // The nearest one to come (versions are newest first).
            upcoming: all
                .iter()
                .rfind(|v| v.effective_on > today)
                .map(version_ref),
            versions: all.len(),
        });
    }
    Ok(rows)
}

/// What the form for a new version of `kind` starts from: a refused submission as it was sent,
/// else the latest version's texts; with the page's history (staff).
#[server(prefix = "/api", endpoint = "admin/legal/draft")]
pub async fn legal_edit(kind: String) -> Result<LegalDraft, AppError> {
    use super::service::{authors, versions};
    let kind = kind_of(&kind)?;
    let state = crate::account::api::ssr::state()?;
    crate::account::api::ssr::require_staff(&state).await?;
    let all = versions(&state.db, kind).await?;
    let names = authors(&state.db, &all).await?;
    let history = all
        .iter()
        .map(|v| {
            let who = v
                .created_by
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "—".to_owned());
            (v.version.clone(), v.effective_on, who, v.created_at)
        })
        .collect();
    let kept: Option<(String, LegalDraft)> =
        crate::account::api::ssr::take_draft(LEGAL_DRAFT).await;
    if let Some((code, draft)) = kept.filter(|(code, _)| code == kind.code()) {
        let _ = code;
        return Ok(LegalDraft { history, ..draft });
    }
    let today = crate::clock::paris_today(state.clock.now());
    let latest = all.first();
    Ok(LegalDraft {
        version: today.format("%Y-%m-%d").to_string(),
        effective_on: today.format("%Y-%m-%d").to_string(),
        title_fr: latest.map(|v| v.title_fr.clone()).unwrap_or_default(),
        title_en: latest.map(|v| v.title_en.clone()).unwrap_or_default(),
        body_fr: latest.map(|v| v.body_fr.clone()).unwrap_or_default(),
        body_en: latest.map(|v| v.body_en.clone()).unwrap_or_default(),
        history,
    })
}

/// Publishes a new version of a legal page (staff), then shows it. Earlier versions stay
/// readable; the terms in force change on `effective_on`.
#[server(prefix = "/api", endpoint = "admin/legal/publish")]
#[allow(clippy::too_many_arguments, reason = "one argument per form field")]
pub async fn publish_legal(
    kind: String,
    version: String,
    effective_on: String,
    title_fr: String,
    title_en: String,
    body_fr: String,
    body_en: String,
) -> Result<(), AppError> {
    use super::service::{LegalError, NewVersion, publish};
    let kind = kind_of(&kind)?;
    let state = crate::account::api::ssr::state()?;
    let (session, staff) = crate::account::api::ssr::require_account(&state).await?;
    crate::account::api::ssr::require_staff(&state).await?;
    let now = state.clock.now();
    let today = crate::clock::paris_today(now);
    let refused = |message: String| {
        let draft = LegalDraft {
            version: version.clone(),
            effective_on: effective_on.clone(),
            title_fr: title_fr.clone(),
            title_en: title_en.clone(),
            body_fr: body_fr.clone(),
            body_en: body_en.clone(),
            history: Vec::new(),
        };
        let session = session.clone();
        async move {
            crate::account::api::ssr::keep_draft(
                &session,
                LEGAL_DRAFT,
                &(kind.code().to_owned(), draft),
            )
            .await;
            AppError::BadRequest(message).answered()
        }
    };
    let Ok(effective) = chrono::NaiveDate::parse_from_str(effective_on.trim(), "%Y-%m-%d") else {
        return Err(refused("Date d'effet invalide (AAAA-MM-JJ).".to_owned()).await);
    };
    let published = publish(
        &state.db,
        NewVersion {
            kind,
            version: &version,
            effective_on: effective,
            title_fr: &title_fr,
            title_en: &title_en,
            body_fr: &body_fr,
            body_en: &body_en,
            author: Some(staff.id),
        },
        today,
        now,
    )
    .await;
    match published {
        Ok(model) => {
            leptos_axum::redirect(&format!("{}?version={}", kind.path(), model.version));
            Ok(())
        }
        Err(LegalError::Invalid(message)) => Err(refused(message.to_owned()).await),
        Err(LegalError::VersionTaken) => {
            Err(refused("Cette version existe déjà : donnez-lui un autre numéro.".to_owned()).await)
        }
        Err(LegalError::Database(error)) => Err(error.into()),
    }
}
