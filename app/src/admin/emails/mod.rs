//! `/admin/emails`: staff preview every email the shop sends, in either language, as the
//! customer would see it: the HTML part in a sandboxed frame (served by
//! [`email_preview`] under its own strict policy), the text part beside it.

use super::*;
#[cfg(feature = "ssr")]
pub mod samples;

/// A sample email as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSample {
    pub kind: String,
    pub subject: String,
    pub text: String,
}

/// Every email the shop sends, in language `lang`, for the sample customer.
#[server(prefix = "/api", endpoint = "admin/emails")]
pub async fn admin_email_samples(lang: String) -> Result<Vec<EmailSample>, AppError> {
    use crate::i18n::Locale;
    let state = require_staff().await?;
    let locale = Locale::from_code(&lang).unwrap_or(Locale::Fr);
    let samples =
        samples::samples(&state.db, &state.site.public_url, locale, state.clock.now()).await?;
    Ok(samples
        .into_iter()
        .map(|s| EmailSample {
            kind: s.kind,
            subject: s.subject,
            text: s.body,
        })
        .collect())
}

/// The policy of a previewed email: nothing runs, nothing is fetched but images, only our own
/// back office may frame it, and the frame is a sandbox even if opened on its own.
#[cfg(feature = "ssr")]
const PREVIEW_POLICY: &str = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

/// `GET /admin/emails/preview?kind=…&lang=…`: the HTML part of sample email `kind`, for the
/// frame of `/admin/emails`. Staff only.
#[cfg(feature = "ssr")]
pub async fn email_preview(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use crate::i18n::Locale;
    use axum::response::IntoResponse;
    use http::{HeaderValue, StatusCode, header};
    if let Err(refused) = super::customers::staff_for_download(&state, &session).await {
        return refused;
    }
    let locale = query
        .get("lang")
        .and_then(|l| Locale::from_code(l))
        .unwrap_or(Locale::Fr);
    let kind = query.get("kind").map(String::as_str).unwrap_or_default();
    let samples = match samples::samples(
        &state.db,
        &state.site.public_url,
        locale,
        state.clock.now(),
    )
    .await
    {
        Ok(samples) => samples,
        Err(error) => {
            tracing::error!(%error, "email samples");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response();
        }
    };
    let Some(sample) = samples.iter().find(|s| s.kind == kind) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Aucun courriel de ce type.\n",
        )
            .into_response();
    };
    let shop = crate::settings::service::seller(&state.db)
        .await
        .map(|s| s.name)
        .unwrap_or_else(|_| "Comptoir Botanique".to_owned());
    let html = crate::email::html::render(
        crate::email::html::Frame {
            site: &state.site.public_url,
            shop: &shop,
            locale: sample.locale,
        },
        &sample.subject,
        &sample.body,
    );
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PREVIEW_POLICY),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `/admin/emails?kind=…&lang=…`.
#[component]
pub fn EmailsAdminPage() -> impl IntoView {
    let (kind, lang) = leptos_router::hooks::use_query_map().with_untracked(|q| {
        (
            q.get("kind").unwrap_or_default(),
            q.get("lang")
                .filter(|l| l == "en")
                .unwrap_or_else(|| "fr".to_owned()),
        )
    });
    let samples = OnceResource::new(admin_email_samples(lang.clone()));
    view! {
        <PageMeta title=t(Msg::EmailsTitle) description=t(Msg::EmailsLead) path="/admin/emails" noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let (kind, lang) = (kind.clone(), lang.clone());
                Suspend::new(async move {
                    match samples.await {
                        Ok(samples) => view! { <Emails samples kind lang/> }.into_any(),
                        Err(AppError::Unauthorized) => {
                            view! { <Redirect path="/account/sign-in?next=/admin/emails"/> }.into_any()
                        }
                        Err(AppError::Forbidden) => {
                            view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any()
                        }
                        Err(_) => view! { <ErrorPage/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Emails(samples: Vec<EmailSample>, kind: String, lang: String) -> impl IntoView {
    let shown = samples
        .iter()
        .find(|s| s.kind == kind)
        .or(samples.first())
        .cloned();
    let options = samples
        .iter()
        .map(|s| {
            let selected = shown.as_ref().is_some_and(|x| x.kind == s.kind);
            view! { <option value=s.kind.clone() selected=selected>{format!("{} — {}", s.kind, s.subject)}</option> }
        })
        .collect_view();
    view! {
        <section class="account container emails">
            <p class="breadcrumb"><a href="/admin">{t(Msg::AdminTitle)}</a></p>
            <h1>{t(Msg::EmailsTitle)}</h1>
            <p>{t(Msg::EmailsLead)}</p>
            {match shown {
                None => view! { <p class="account__empty">{t(Msg::EmailsNone)}</p> }.into_any(),
                Some(shown) => {
                    let preview = format!("/admin/emails/preview?kind={}&lang={lang}", shown.kind);
                    view! {
                        <form class="emails__pick" method="get" action="/admin/emails">
                            <label>
                                <span>{t(Msg::EmailsKind)}</span>
                                <select name="kind">{options}</select>
                            </label>
                            <label>
                                <span>{t(Msg::EmailsLanguage)}</span>
                                <select name="lang">
                                    <option value="fr" selected=lang == "fr">"Français"</option>
                                    <option value="en" selected=lang == "en">"English"</option>
                                </select>
                            </label>
                            <button class="button button--small" type="submit">{t(Msg::EmailsShow)}</button>
                        </form>
                        <h2 class="emails__subject" data-testid="email-subject">{shown.subject.clone()}</h2>
                        <iframe
                            class="emails__frame"
                            src=preview
                            sandbox=""
                            title=format!("{} : {}", t(Msg::EmailsPreview), shown.subject)
                            data-testid="email-frame"
                        ></iframe>
                        <details class="emails__text">
                            <summary>{t(Msg::EmailsText)}</summary>
                            <pre class="outbox__body" data-testid="email-text">{shown.text.clone()}</pre>
                        </details>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
