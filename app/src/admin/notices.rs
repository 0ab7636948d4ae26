//! `/admin/notices`: a service notice to every customer (a change of the terms or of the
//! privacy policy, a personal-data breach), and the notices sent with how many acknowledged.

use super::*;
use crate::i18n::{Locale, use_locale};
use crate::privacy::api::notices::{SendNotice, admin_notices};
use crate::privacy::rules::{NOTICE_MAX_BODY as MAX_BODY, NOTICE_MAX_SUBJECT as MAX_SUBJECT};
use crate::privacy::rules::{NoticeKind, NoticeView};
use crate::ui::format::paris_time;
use crate::ui::forms::{FormError, error_of};
use leptos::form::ActionForm;

/// The label of a notice kind.
pub fn notice_kind_label(kind: NoticeKind) -> Msg {
    match kind {
        NoticeKind::Terms => Msg::NoticeKindTerms,
        NoticeKind::Privacy => Msg::NoticeKindPrivacy,
        NoticeKind::Breach => Msg::NoticeKindBreach,
        NoticeKind::Service => Msg::NoticeKindService,
    }
}

/// `/admin/notices`.
#[component]
pub fn AdminNoticesPage() -> impl IntoView {
    let locale = use_locale();
    let sent = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("sent").and_then(|n| n.parse::<u64>().ok()));
    let notices = OnceResource::new(admin_notices());
    view! {
        <PageMeta title=t(Msg::AdminNotices) description=t(Msg::AdminNoticesLead) path="/admin/notices" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok(notices) => view! { <Notices notices sent locale/> }.into_any(),
                    Err(error) => gate(error, "/admin/notices"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Notices(notices: Vec<NoticeView>, sent: Option<u64>, locale: Locale) -> impl IntoView {
    let send = ServerAction::<SendNotice>::new();
    let error = error_of(send);
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminNotices)}</h1>
            <p>{locale.t(Msg::AdminNoticesLead)}</p>
            {sent.map(|n| view! { <p class="notice" role="status" data-testid="notice-sent">{locale.t(Msg::NoticeSentTo)}" "{n}</p> })}
            <article class="account__panel">
                <h2>{locale.t(Msg::NoticeNew)}</h2>
                <ActionForm action=send attr:class="checkout-form" attr:data-testid="notice-form">
                    <FormError error/>
                    <div class="field">
                        <label for="n-kind">{locale.t(Msg::NoticeKindLabel)}</label>
                        <select id="n-kind" name="kind">
                            {NoticeKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{locale.t(notice_kind_label(k))}</option> }).collect_view()}
                        </select>
                    </div>
                    <p class="field__hint">{locale.t(Msg::NoticeBreachHint)}</p>
                    <label class="checkbox">
                        <input type="checkbox" name="legal" value="on"/>
                        " "{locale.t(Msg::NoticeLegalTick)}
                    </label>
                    <div class="field">
                        <label for="n-subject-fr">{locale.t(Msg::NoticeSubjectFr)}</label>
                        <input id="n-subject-fr" name="subject_fr" type="text" required=true maxlength=MAX_SUBJECT.to_string()/>
                    </div>
                    <div class="field">
                        <label for="n-body-fr">{locale.t(Msg::NoticeBodyFr)}</label>
                        <textarea id="n-body-fr" name="body_fr" rows="6" required=true maxlength=MAX_BODY.to_string()></textarea>
                    </div>
                    <div class="field">
                        <label for="n-subject-en">{locale.t(Msg::NoticeSubjectEn)}</label>
                        <input id="n-subject-en" name="subject_en" type="text" required=true maxlength=MAX_SUBJECT.to_string()/>
                    </div>
                    <div class="field">
                        <label for="n-body-en">{locale.t(Msg::NoticeBodyEn)}</label>
                        <textarea id="n-body-en" name="body_en" rows="6" required=true maxlength=MAX_BODY.to_string()></textarea>
                    </div>
                    <div class="field">
                        <label for="n-years">{locale.t(Msg::NoticeYears)}</label>
                        <input id="n-years" name="years" type="number" min="1" max="10" value="3" required=true inputmode="numeric"/>
                    </div>
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" required=true/>
                        " "{locale.t(Msg::NoticeConfirm)}
                    </label>
                    <button class="button" type="submit">{locale.t(Msg::NoticeSend)}</button>
                </ActionForm>
            </article>
            <h2>{locale.t(Msg::NoticesSent)}</h2>
            {notices.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::NoticesNone)}</p> })}
            <div class="table-scroll">
                <table class="admin-table" data-testid="admin-notices">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::NoticeSentOn)}</th>
                        <th scope="col">{locale.t(Msg::NoticeKindLabel)}</th>
                        <th scope="col">{locale.t(Msg::NoticeSubjectFr)}</th>
                        <th scope="col">{locale.t(Msg::NoticeRecipients)}</th>
                        <th scope="col">{locale.t(Msg::NoticeAcknowledged)}</th>
                    </tr></thead>
                    <tbody>
                        {notices.into_iter().map(|n| view! {
                            <tr>
                                <td>{paris_time(locale, n.created_at)}</td>
                                <td>{locale.t(notice_kind_label(n.kind))}{n.legal_version.map(|v| format!(" ({v})"))}</td>
                                <td>{n.subject_fr}</td>
                                <td>{n.recipients}</td>
                                <td>{n.acknowledged}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
