//! `/legal/{page}` (any version with `?version=`), and `/admin/legal` where staff publish new
//! versions.

use super::api::{PublishLegal, legal_document, legal_edit, staff_legal};
use super::model::{LegalAdminRow, LegalDocumentView, LegalDraft, LegalKind, VersionState};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::format::day;
use crate::ui::forms::{FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn kind_param() -> String {
    use_params_map().with_untracked(|p| p.get("kind").unwrap_or_default())
}

#[component]
pub fn LegalPage() -> impl IntoView {
    let kind = kind_param();
    let version = query("version");
    let document = OnceResource::new(legal_document(kind, version));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(document) => view! { <Document document/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn since(locale: Locale, document: &LegalDocumentView) -> String {
    let date = day(document.effective_on);
    match (document.state, locale) {
        (VersionState::InForce, Locale::Fr) => {
            format!("Version {} — en vigueur depuis le {date}", document.version)
        }
        (VersionState::InForce, Locale::En) => {
            format!("Version {} — in force since {date}", document.version)
        }
        (VersionState::Superseded, Locale::Fr) => format!(
            "Version {} du {date}, qui n'est plus en vigueur",
            document.version
        ),
        (VersionState::Superseded, Locale::En) => {
            format!("Version {} of {date}, no longer in force", document.version)
        }
        (VersionState::Upcoming, Locale::Fr) => format!(
            "Version {} — en vigueur à partir du {date}",
            document.version
        ),
        (VersionState::Upcoming, Locale::En) => {
            format!("Version {} — in force from {date}", document.version)
        }
    }
}

#[component]
fn Document(document: LegalDocumentView) -> impl IntoView {
    let locale = use_locale();
    let path = document.kind.path();
    let canonical = match document.state {
        VersionState::InForce => path.clone(),
        _ => format!("{path}?version={}", document.version),
    };
    let old = document.state != VersionState::InForce;
    let meta = since(locale, &document);
    let versions = document.versions.clone();
    let shown = document.version.clone();
    let cookies = document.kind == LegalKind::Cookies;
    view! {
        <PageMeta title=document.title.clone() description=meta.clone() path=canonical noindex=old/>
        <article class="legal container">
            <h1>{document.title.clone()}</h1>
            <p class="legal__meta">{meta}</p>
            {(document.state == VersionState::Superseded).then(|| view! {
                <p class="form-notice form-notice--warning" role="note">
                    {locale.t(Msg::LegalSuperseded)} " " <a href=path.clone()>{locale.t(Msg::LegalReadCurrent)}</a>
                </p>
            })}
            {document.translation.then(|| view! { <p class="legal__note">{locale.t(Msg::LegalTranslationNote)}</p> })}
            {(document.kind == LegalKind::Withdrawal).then(|| view! {
                <p><a class="button button--primary" href="/withdrawal">{locale.t(Msg::WithdrawalOnline)}</a></p>
            })}
            <div class="legal__body" inner_html=document.html/>
            {cookies.then(|| view! { <CookieChoices/> })}
            {(versions.len() > 1).then(|| view! {
                <nav class="legal__versions" aria-label=locale.t(Msg::LegalVersions)>
                    <h2>{locale.t(Msg::LegalVersions)}</h2>
                    <ul>
                        {versions.into_iter().map(|v| {
                            let label = format!("{} — {}", v.version, day(v.effective_on));
                            let current = v.version == shown;
                            view! {
                                <li>
                                    <a href=format!("{path}?version={}", v.version)
                                        aria-current=current.then_some("page")>{label}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
            })}
        </article>
    }
}

/// The cookie policy's choice section: the choice standing and the same three forms as the
/// banner (the footer link lands here when the page has no WASM).
#[component]
fn CookieChoices() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    let standing = crate::privacy::api::standing_consent();
    #[cfg(not(feature = "ssr"))]
    let standing: Option<crate::privacy::consent::Consent> = None;
    let choices = standing.as_ref().map(|c| c.choices).unwrap_or_default();
    let said = |on: bool| locale.t(if on { Msg::ConsentOn } else { Msg::ConsentOff });
    let summary = standing.as_ref().map(|c| {
        let given = c.given().map(|d| day(d.date_naive())).unwrap_or_default();
        let until = c.expires().map(|d| day(d.date_naive())).unwrap_or_default();
        match locale {
            Locale::Fr => format!("Choix fait le {given}, valable jusqu'au {until}."),
            Locale::En => format!("Choice made on {given}, valid until {until}."),
        }
    });
    let next = "/legal/cookies#cookie-choices";
    let category = move |name: &'static str, title: Msg, on: bool| {
        let id = format!("choice-{name}");
        view! {
            <div class="consent__category">
                <input type="checkbox" id=id.clone() name=name value="on" checked=on/>
                <label for=id><strong>{locale.t(title)}</strong></label>
            </div>
        }
    };
    view! {
        <section id="cookie-choices" class="legal__choices account__panel">
            <h2>{locale.t(Msg::CookiePreferences)}</h2>
            {match summary {
                Some(summary) => view! {
                    <ul class="legal__choice-list">
                        <li>{locale.t(Msg::ConsentNecessary)} {locale.colon()} {locale.t(Msg::ConsentAlways)}</li>
                        <li>{locale.t(Msg::ConsentAudience)} {locale.colon()} {said(choices.audience)}</li>
                        <li>{locale.t(Msg::ConsentPreferences)} {locale.colon()} {said(choices.preferences)}</li>
                        <li>{locale.t(Msg::ConsentAdvertising)} {locale.colon()} {said(choices.advertising)}</li>
                    </ul>
                    <p>{summary}</p>
                }.into_any(),
                None => view! { <p>{locale.t(Msg::ConsentNone)}</p> }.into_any(),
            }}
            <div class="consent__actions">
                <form method="post" action="/api/privacy/consent">
                    <input type="hidden" name="choice" value="refuse"/>
                    <input type="hidden" name="next" value=next/>
                    <button type="submit" class="button consent__button">{locale.t(Msg::ConsentRefuseAll)}</button>
                </form>
                <form method="post" action="/api/privacy/consent">
                    <input type="hidden" name="choice" value="accept"/>
                    <input type="hidden" name="next" value=next/>
                    <button type="submit" class="button consent__button">{locale.t(Msg::ConsentAcceptAll)}</button>
                </form>
            </div>
            <form class="legal__custom" method="post" action="/api/privacy/consent">
                <input type="hidden" name="choice" value="custom"/>
                <input type="hidden" name="next" value=next/>
                {category("audience", Msg::ConsentAudience, choices.audience)}
                {category("preferences", Msg::ConsentPreferences, choices.preferences)}
                {category("advertising", Msg::ConsentAdvertising, choices.advertising)}
                <button type="submit" class="button">{locale.t(Msg::ConsentSave)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn AdminLegalPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(staff_legal());
    view! {
        <PageMeta title=locale.t(Msg::AdminLegal) description=locale.t(Msg::AdminLegalLead) path="/admin/legal" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <LegalList rows/> }.into_any(),
                    Err(error) => crate::ui::gate(error, "/admin/legal"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LegalList(rows: Vec<LegalAdminRow>) -> impl IntoView {
    let locale = use_locale();
    let version = |v: Option<super::model::VersionRef>| {
        v.map(|v| format!("{} ({})", v.version, day(v.effective_on)))
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminLegal)}</h1>
            <p>{locale.t(Msg::AdminLegalLead)}</p>
            <div class="table-scroll">
                <table class="admin-table">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::AdminLegalPage)}</th>
                        <th scope="col">{locale.t(Msg::AdminLegalInForce)}</th>
                        <th scope="col">{locale.t(Msg::AdminLegalUpcoming)}</th>
                        <th scope="col">{locale.t(Msg::LegalVersions)}</th>
                        <th scope="col"><span class="visually-hidden">{locale.t(Msg::AdminLegalPublish)}</span></th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr>
                                <td><a href=row.kind.path()>{row.title}</a></td>
                                <td>{version(row.in_force)}</td>
                                <td>{version(row.upcoming)}</td>
                                <td>{row.versions}</td>
                                <td><a class="button button--small" href=format!("/admin/legal/{}", row.kind.code())>
                                    {locale.t(Msg::AdminLegalPublish)}
                                </a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
pub fn AdminLegalEditPage() -> impl IntoView {
    let kind = kind_param();
    let draft = OnceResource::new(legal_edit(kind.clone()));
    view! {
        <PageMeta title=use_locale().t(Msg::AdminLegalPublish) description=use_locale().t(Msg::AdminLegalLead) path=format!("/admin/legal/{kind}") noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let kind = kind.clone();
                Suspend::new(async move {
                    match (draft.await, LegalKind::from_code(&kind)) {
                        (Ok(draft), Some(kind)) => view! { <LegalForm kind draft/> }.into_any(),
                        (Ok(_), None) => view! { <NotFoundPage/> }.into_any(),
                        (Err(error), _) => crate::ui::gate(error, "/admin/legal"),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn LegalForm(kind: LegalKind, draft: LegalDraft) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<PublishLegal>::new();
    let error = error_of(action);
    let history = draft.history.clone();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin/legal">{locale.t(Msg::AdminLegal)}</a></p>
            <h1>{locale.t(Msg::AdminLegalPublish)} " — " <a href=kind.path()>{kind.path()}</a></h1>
            <p>{locale.t(Msg::AdminLegalHelp)}</p>
            <p>
                {locale.t(Msg::AdminLegalPlaceholders)}" "
                {crate::settings::rules::PLACEHOLDERS.iter().map(|p| view! { <code>{*p}</code>" " }).collect_view()}
                <a href="/admin/seller">{locale.t(Msg::AdminSeller)}</a>
            </p>
            <ActionForm action attr:class="auth__form legal-form">
                <FormError error/>
                <input type="hidden" name="kind" value=kind.code()/>
                <div class="auth__names">
                    <div class="field">
                        <label for="legal-version">{locale.t(Msg::AdminLegalVersion)}</label>
                        <input id="legal-version" name="version" required value=draft.version/>
                    </div>
                    <div class="field">
                        <label for="legal-effective">{locale.t(Msg::AdminLegalEffective)}</label>
                        <input id="legal-effective" name="effective_on" type="date" required value=draft.effective_on/>
                    </div>
                </div>
                <div class="field">
                    <label for="legal-title-fr">{locale.t(Msg::AdminLegalTitleFr)}</label>
                    <input id="legal-title-fr" name="title_fr" required value=draft.title_fr/>
                </div>
                <div class="field">
                    <label for="legal-body-fr">{locale.t(Msg::AdminLegalBodyFr)}</label>
                    <textarea id="legal-body-fr" name="body_fr" rows="18" required>{draft.body_fr}</textarea>
                </div>
                <div class="field">
                    <label for="legal-title-en">{locale.t(Msg::AdminLegalTitleEn)}</label>
                    <input id="legal-title-en" name="title_en" value=draft.title_en/>
                </div>
                <div class="field">
                    <label for="legal-body-en">{locale.t(Msg::AdminLegalBodyEn)}</label>
                    <textarea id="legal-body-en" name="body_en" rows="12">{draft.body_en}</textarea>
                </div>
                <button class="button button--primary" type="submit">{locale.t(Msg::AdminLegalPublish)}</button>
            </ActionForm>
            <article class="account__panel">
                <h2>{locale.t(Msg::AdminLegalHistory)}</h2>
                <ul class="admin__list">
                    {history.into_iter().map(|(version, effective, who, at)| view! {
                        <li>
                            <a href=format!("{}?version={version}", kind.path())>{version.clone()}</a>
                            " — " {day(effective)} " — " {who} " — "
                            {crate::ui::format::paris_time(locale, at)}
                        </li>
                    }).collect_view()}
                </ul>
            </article>
        </section>
    }
}
