//! The outbox page: the emails the shop sent or is about to send.

use super::*;

/// Emails per page of the outbox.
pub const OUTBOX_PAGE: u64 = 50;

/// An email of the outbox, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: i32,
    pub to: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// Carries the PDF of an invoice.
    pub with_invoice: bool,
}

/// A page of the outbox, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub emails: Vec<OutboxEmail>,
    pub page: u64,
    pub has_more: bool,
}

/// Every email sent or waiting, newest first, for staff.
#[server(prefix = "/api", endpoint = "admin/outbox")]
pub async fn admin_outbox(page: u64) -> Result<OutboxPage, AppError> {
    use crate::db::entities::email_outbox;
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let state = require_staff().await?;
    let page = page.max(1);
    let mut rows = email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::Id)
        .offset((page - 1).saturating_mul(OUTBOX_PAGE))
        .limit(OUTBOX_PAGE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > OUTBOX_PAGE;
    rows.truncate(OUTBOX_PAGE as usize);
    let emails = rows
        .into_iter()
        .map(|m| OutboxEmail {
            id: m.id,
            to: m.to_address,
            kind: m.kind,
            subject: m.subject,
            // Links that sign in, reset a password or open an order are for their recipient
            // only: staff see that they were sent, never the secret they carry.
            body: crate::email::mask_secrets(&m.body_text),
            created_at: m.created_at,
            sent_at: m.sent_at,
            attempts: m.attempts,
            last_error: m.last_error,
            with_invoice: m.invoice_id.is_some(),
        })
        .collect();
    Ok(OutboxPage {
        emails,
        page,
        has_more,
    })
}

/// `/admin/outbox?page=N`: the emails, each with its state and whole text.
#[component]
pub fn OutboxAdminPage() -> impl IntoView {
    let page = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("page").and_then(|p| p.parse::<u64>().ok()))
        .unwrap_or(1);
    let outbox = OnceResource::new(admin_outbox(page));
    view! {
        <PageMeta title=t(Msg::OutboxTitle) description=t(Msg::OutboxLead) path="/admin/outbox" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match outbox.await {
                    Ok(outbox) => view! { <Outbox outbox/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/admin/outbox"/> }.into_any()
                    }
                    Err(AppError::Forbidden) => {
                        view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub(super) fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%d/%m/%Y %H:%M UTC").to_string()
}

#[component]
pub(super) fn Outbox(outbox: OutboxPage) -> impl IntoView {
    let OutboxPage {
        emails,
        page,
        has_more,
    } = outbox;
    let empty = emails.is_empty();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">{t(Msg::AdminTitle)}</a></p>
            <h1>{t(Msg::OutboxTitle)}</h1>
            <p>{t(Msg::OutboxLead)}</p>
            {empty.then(|| view! { <p class="account__empty">{t(Msg::OutboxEmpty)}</p> })}
            <ul class="outbox">
                {emails
                    .into_iter()
                    .map(|email| {
                        let state = match (&email.sent_at, &email.last_error) {
                            (Some(at), _) => format!("{} {}", t(Msg::OutboxSent), when(*at)),
                            (None, Some(error)) => format!("{} ({}) : {error}", t(Msg::OutboxFailed), email.attempts),
                            (None, None) => t(Msg::OutboxWaiting).to_owned(),
                        };
                        view! {
                            <li class="outbox__email" data-testid="outbox-email">
                                <details>
                                    <summary>
                                        <strong>{email.subject.clone()}</strong>
                                        <span class="outbox__meta">
                                            {email.to.clone()} " · " {email.kind.clone()} " · " {when(email.created_at)}
                                        </span>
                                        <span class="outbox__state" class:outbox__state--failed=email.sent_at.is_none() && email.last_error.is_some()>
                                            {state}
                                        </span>
                                    </summary>
                                    <pre class="outbox__body">{email.body.clone()}</pre>
                                    {email.with_invoice.then(|| view! { <p class="outbox__meta">{t(Msg::OutboxInvoiceAttached)}</p> })}
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <nav class="pagination" aria-label=t(Msg::OutboxTitle)>
                {(page > 1).then(|| view! { <a class="button button--small" href=format!("/admin/outbox?page={}", page - 1)>"←"</a> })}
                {has_more.then(|| view! { <a class="button button--small" href=format!("/admin/outbox?page={}", page + 1)>"→"</a> })}
            </nav>
        </section>
    }
}
