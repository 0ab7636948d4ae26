//! `/account/reviews` (the products of delivered orders to review, and the reviews written)
//! and `/admin/reviews` (moderation). Plain forms: they work before the WASM arrives.

use super::api::{ModerateReview, WriteReview, admin_reviews, my_reviews};
use super::model::{PendingReview, ReviewStatus, ReviewsPageData};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::format::paris_time;
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading, gate};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::ui::format::stars;

fn status_label(status: ReviewStatus) -> Msg {
    match status {
        ReviewStatus::Pending => Msg::ReviewPending,
        ReviewStatus::Published => Msg::ReviewPublished,
        ReviewStatus::Refused => Msg::ReviewRefused,
    }
}

/// `/account/reviews`.
#[component]
pub fn AccountReviewsPage() -> impl IntoView {
    let locale = use_locale();
    let written =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("written").is_some());
    let reviews = OnceResource::new(my_reviews());
    view! {
        <PageMeta title=locale.t(Msg::ReviewsTitle) description=locale.t(Msg::ReviewsLead) path="/account/reviews" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match reviews.await {
                    Ok(reviews) => view! { <AccountReviews reviews written locale/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/reviews"/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountReviews(reviews: ReviewsPageData, written: bool, locale: Locale) -> impl IntoView {
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{locale.t(Msg::AccountTitle)}</a></p>
            <h1>{locale.t(Msg::ReviewsTitle)}</h1>
            <p>{locale.t(Msg::ReviewsLead)}</p>
            {written.then(|| view! { <p class="form-notice" role="status">{locale.t(Msg::ReviewWritten)}</p> })}
            {reviews.to_review.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::ReviewsNoneToWrite)}</p> })}
            {reviews.to_review.into_iter().enumerate().map(|(n, slot)| {
                let action = ServerAction::<WriteReview>::new();
                let error = error_of(action);
                let body_id = format!("review-body-{n}");
                view! {
                    <article class="account__panel review-form" data-testid="review-slot">
                        <h2>{slot.name.clone()}</h2>
                        <p class="field__hint">{locale.t(Msg::ReviewOrder)}" "{slot.order_number.clone()}</p>
                        <ActionForm action attr:class="checkout-form">
                            <FormError error/>
                            <input type="hidden" name="order_number" value=slot.order_number.clone()/>
                            <input type="hidden" name="product_id" value=slot.product_id.to_string()/>
                            <fieldset class="rating-picker">
                                <legend>{locale.t(Msg::ReviewRating)}</legend>
                                {(1..=5).rev().map(|r| {
                                    view! {
                                        <label class="rating-option">
                                            <input type="radio" name="rating" value=r.to_string() required=true/>
                                            <span aria-hidden="true">{stars(r)}</span>
                                            <span class="visually-hidden">{format!("{r} / 5")}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <div class="field">
                                <label for=body_id.clone()>{locale.t(Msg::ReviewBody)}</label>
                                <textarea id=body_id name="body" rows="4" required=true minlength="10" maxlength="2000"></textarea>
                            </div>
                            <button class="button" type="submit">{locale.t(Msg::ReviewSend)}</button>
                        </ActionForm>
                    </article>
                }
            }).collect_view()}
            {(!reviews.written.is_empty()).then(|| view! {
                <h2>{locale.t(Msg::ReviewsWritten)}</h2>
                <ul class="admin__list" data-testid="my-reviews">
                    {reviews.written.into_iter().map(|r| view! {
                        <li>
                            <strong>{r.product}</strong>" — "<span aria-label=format!("{}/5", r.rating)>{stars(r.rating)}</span>
                            " — "{locale.t(status_label(r.status))}
                            {r.refusal_reason.map(|why| view! { <br/>{why} })}
                            <br/><span class="field__hint">{paris_time(locale, r.created_at)}</span>
                            <p>{r.body}</p>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// `/admin/reviews`.
#[component]
pub fn AdminReviewsPage() -> impl IntoView {
    let locale = use_locale();
    let pending = OnceResource::new(admin_reviews());
    view! {
        <PageMeta title=locale.t(Msg::AdminReviews) description=locale.t(Msg::AdminReviews) path="/admin/reviews" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(pending) => view! { <AdminReviews pending locale/> }.into_any(),
                    Err(error) => gate(error, "/admin/reviews"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminReviews(pending: Vec<PendingReview>, locale: Locale) -> impl IntoView {
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminReviews)}</h1>
            <p>{locale.t(Msg::AdminReviewsLead)}</p>
            {pending.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::AdminReviewsNone)}</p> })}
            {pending.into_iter().map(|r| {
                let publish = ServerAction::<ModerateReview>::new();
                let refuse = ServerAction::<ModerateReview>::new();
                let publish_error = error_of(publish);
                let refuse_error = error_of(refuse);
                let reason_id = format!("refuse-{}", r.id);
                view! {
                    <article class="account__panel" data-testid="pending-review">
                        <h2>{r.product}</h2>
                        <p><span aria-label=format!("{}/5", r.rating)>{stars(r.rating)}</span>" — "{r.author}" — "{r.order_number}" — "{paris_time(locale, r.created_at)}</p>
                        <p>{r.body}</p>
                        <ActionForm action=publish>
                            <FormError error=publish_error/>
                            <input type="hidden" name="id" value=r.id.to_string()/>
                            <input type="hidden" name="decision" value="publish"/>
                            <button class="button button--small" type="submit">{locale.t(Msg::ReviewPublish)}</button>
                        </ActionForm>
                        <details class="admin-move">
                            <summary>{locale.t(Msg::ReviewRefuse)}</summary>
                            <ActionForm action=refuse attr:class="checkout-form">
                                <FormError error=refuse_error/>
                                <input type="hidden" name="id" value=r.id.to_string()/>
                                <input type="hidden" name="decision" value="refuse"/>
                                <div class="field">
                                    <label for=reason_id.clone()>{locale.t(Msg::ReviewRefusalReason)}</label>
                                    <input id=reason_id name="reason" type="text" required=true minlength="5" maxlength="500"/>
                                </div>
                                <button class="button button--danger" type="submit">{locale.t(Msg::ReviewRefuse)}</button>
                            </ActionForm>
                        </details>
                    </article>
                }
            }).collect_view()}
        </section>
    }
}
