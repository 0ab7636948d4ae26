//! The audit log: every action a staff member (or an editor) takes in the back office, with
//! who, what, on which record and when. Written in the transaction of the action itself where
//! the action is one transaction, so a logged action happened and an action is never unlogged.

use crate::error::AppError;
use crate::i18n::{Msg, use_locale};
use crate::ui::format::paris_time;
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

/// One line of the log, as staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The actor's email (or `#id` when the account is gone).
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// A page of the log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub subject: String,
    pub page: u64,
    pub has_more: bool,
}

/// Entries per page.
pub const AUDIT_PAGE: u64 = 100;

#[cfg(feature = "ssr")]
pub use crate::db::audit::record;
#[cfg(feature = "ssr")]
pub use ssr::entries;

#[cfg(feature = "ssr")]
mod ssr {
    use super::AuditEntry;
    use crate::db::entities::{audit_log, user};
    use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

    /// `rows` with their actors' emails (one query for all of them).
    ///
    /// # Errors
    /// The database error.
    pub async fn entries(
        db: &impl ConnectionTrait,
        rows: Vec<audit_log::Model>,
    ) -> Result<Vec<AuditEntry>, DbErr> {
        let mut ids: Vec<i32> = rows.iter().map(|r| r.actor_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let actors = if ids.is_empty() {
            Vec::new()
        } else {
            user::Entity::find()
                .filter(user::Column::Id.is_in(ids))
                .all(db)
                .await?
        };
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.created_at,
                actor: actors
                    .iter()
                    .find(|u| u.id == r.actor_id)
                    .map_or_else(|| format!("#{}", r.actor_id), |u| u.email.clone()),
                action: r.action,
                subject: r.subject,
                detail: r.detail,
            })
            .collect())
    }
}

/// The log, newest first; only the entries of `subject` when one is given.
#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn admin_audit(subject: String, page: u64) -> Result<AuditPage, AppError> {
    use crate::db::entities::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = super::require_staff().await?;
    let page = page.max(1);
    let subject = subject.trim().chars().take(100).collect::<String>();
    let mut find = audit_log::Entity::find();
    if !subject.is_empty() {
        find = find.filter(audit_log::Column::Subject.eq(subject.clone()));
    }
    let mut rows = find
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1).saturating_mul(AUDIT_PAGE))
        .limit(AUDIT_PAGE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > AUDIT_PAGE;
    rows.truncate(AUDIT_PAGE as usize);
    Ok(AuditPage {
        entries: entries(&state.db, rows).await?,
        subject,
        page,
        has_more,
    })
}

/// The log as a table.
#[component]
pub fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="table-scroll">
            <table class="admin-table" data-testid="audit">
                <thead><tr>
                    <th scope="col">{locale.t(Msg::AuditWhen)}</th>
                    <th scope="col">{locale.t(Msg::AuditWho)}</th>
                    <th scope="col">{locale.t(Msg::AuditWhat)}</th>
                    <th scope="col">{locale.t(Msg::AuditOn)}</th>
                    <th scope="col">{locale.t(Msg::AuditDetail)}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td>{paris_time(locale, e.at)}</td>
                            <td>{e.actor}</td>
                            <td><code>{e.action}</code></td>
                            <td><a href=format!("/admin/audit?subject={}", crate::ui::format::query_value(&e.subject))>{e.subject.clone()}</a></td>
                            <td>{e.detail}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/admin/audit?subject=…&page=N`.
#[component]
pub fn AuditPageView() -> impl IntoView {
    let locale = use_locale();
    let (subject, page) = leptos_router::hooks::use_query_map().with_untracked(|q| {
        (
            q.get("subject").unwrap_or_default(),
            q.get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1),
        )
    });
    let log = OnceResource::new(admin_audit(subject, page));
    view! {
        <PageMeta title=locale.t(Msg::AuditTitle) description=locale.t(Msg::AuditLead) path="/admin/audit" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(log) => {
                        let query = |page: u64| format!("/admin/audit?subject={}&page={page}", crate::ui::format::query_value(&log.subject));
                        let previous = (log.page > 1).then(|| query(log.page - 1));
                        let next = log.has_more.then(|| query(log.page + 1));
                        view! {
                            <section class="account container admin">
                                <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                                <h1>{locale.t(Msg::AuditTitle)}</h1>
                                <p>{locale.t(Msg::AuditLead)}</p>
                                <form class="admin-filters" method="get" action="/admin/audit">
                                    <div class="field">
                                        <label for="audit-subject">{locale.t(Msg::AuditOn)}</label>
                                        <input id="audit-subject" name="subject" type="text" value=log.subject.clone() placeholder="order:CB26-…"/>
                                    </div>
                                    <button class="button button--small" type="submit">{locale.t(Msg::AdminFilter)}</button>
                                </form>
                                {log.entries.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::AuditEmpty)}</p> })}
                                <AuditTable entries=log.entries/>
                                <nav class="pagination" aria-label=locale.t(Msg::AuditTitle)>
                                    {previous.map(|href| view! { <a class="button button--small" href=href>"←"</a> })}
                                    {next.map(|href| view! { <a class="button button--small" href=href>"→"</a> })}
                                </nav>
                            </section>
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/admin/audit"/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
