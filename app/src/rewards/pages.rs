//! `/account/rewards` (a customer's referral and points), `/admin/rewards` (staff's rates), and
//! the review step's block of credit and points.

use super::api::{SaveRewards, admin_rewards, my_rewards};
use super::{AccountRewards, CheckoutRewards, RewardSettings, RewardsForm};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::promotions::rules::Benefit;
use crate::ui::format::{day, money, percent};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The welcome advantage as a phrase: "10 %" or "5,00 €".
fn welcome_text(locale: Locale, settings: &RewardSettings) -> String {
    match settings.welcome {
        Benefit::Percent(p) => percent(locale, p),
        Benefit::Amount(a) => money(locale, a),
    }
}

fn status_text(status: &str) -> Msg {
    match status {
        "earned" => Msg::ReferralEarned,
        "reversed" => Msg::ReferralReversed,
        _ => Msg::ReferralPending,
    }
}

fn credit_kind(kind: &str) -> Msg {
    match kind {
        "refund" => Msg::StoreCreditRefund,
        "spent" => Msg::StoreCreditSpent,
        "returned" => Msg::StoreCreditReturned,
        _ => Msg::StoreCreditRestored,
    }
}

fn points_kind(kind: &str) -> Msg {
    match kind {
        "earned" => Msg::PointsEarned,
        "spent" => Msg::PointsSpent,
        "returned" => Msg::PointsReturned,
        _ => Msg::PointsTakenBack,
    }
}

/// `/account/rewards`.
#[component]
pub fn AccountRewardsPage() -> impl IntoView {
    let locale = use_locale();
    let data = OnceResource::new(my_rewards());
    view! {
        <PageMeta title=locale.t(Msg::RewardsTitle) description=locale.t(Msg::RewardsText) path="/account/rewards" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Rewards data locale/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/account/rewards"/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Rewards(data: AccountRewards, locale: Locale) -> impl IntoView {
    let s = &data.settings;
    let offer = format!(
        "{} {} {} {}",
        locale.t(Msg::ReferralOfferBefore),
        welcome_text(locale, s),
        locale.t(Msg::ReferralOfferMiddle),
        money(locale, s.sponsor_credit),
    );
    let voucher = format!(
        "{} {} = {}",
        s.voucher_points,
        locale.t(Msg::PointsWord),
        money(locale, s.voucher_value)
    );
    let earn = if s.points_per_euro == 1 {
        locale.t(Msg::PointPerEuro).to_owned()
    } else {
        format!("{} {}", s.points_per_euro, locale.t(Msg::PointsPerEuro))
    };
    let mail = format!(
        "mailto:?subject={}&body={}",
        urlencoding(locale.t(Msg::ReferralMailSubject)),
        urlencoding(&format!(
            "{} {}",
            locale.t(Msg::ReferralMailBody),
            data.share_link
        ))
    );
    let no_referrals = data.referrals.is_empty();
    let no_history = data.history.is_empty();
    let no_credit = data.credit_history.is_empty() && data.store_credit.is_zero();
    view! {
        <section class="account container rewards">
            <p class="breadcrumb"><a href="/account">{locale.t(Msg::AccountTitle)}</a></p>
            <h1>{locale.t(Msg::RewardsTitle)}</h1>
            <div class="account__grid">
                <article class="account__panel" data-testid="referral">
                    <h2>{locale.t(Msg::ReferralTitle)}</h2>
                    <p>{offer}</p>
                    <p class="rewards__code"><span>{locale.t(Msg::ReferralYourCode)}</span>" "<strong data-testid="referral-code">{data.code.clone()}</strong></p>
                    <div class="field">
                        <label for="referral-link">{locale.t(Msg::ReferralLink)}</label>
                        <input id="referral-link" type="text" readonly=true value=data.share_link.clone() data-testid="referral-link"/>
                    </div>
                    <p><a class="button button--small" href=mail>{locale.t(Msg::ReferralShareMail)}</a></p>
                    {(!data.credit.is_zero()).then(|| view! {
                        <p class="notice notice--info" data-testid="referral-credit">
                            {format!("{} {}. {}", locale.t(Msg::ReferralCreditReady), money(locale, data.credit), locale.t(Msg::ReferralCreditHow))}
                        </p>
                    })}
                </article>
                <article class="account__panel" data-testid="points">
                    <h2>{locale.t(Msg::PointsTitle)}</h2>
                    <p class="admin__figure" data-testid="points-balance">{format!("{} {}", data.points, locale.t(Msg::PointsWord))}</p>
                    <p>{format!("{earn} · {voucher}")}</p>
                    <p>{locale.t(Msg::PointsHow)}</p>
                </article>
                {(!no_credit).then(|| view! {
                    <article class="account__panel" data-testid="store-credit">
                        <h2>{locale.t(Msg::StoreCreditTitle)}</h2>
                        <p class="admin__figure" data-testid="store-credit-balance">{money(locale, data.store_credit)}</p>
                        <p>{locale.t(Msg::StoreCreditHow)}</p>
                    </article>
                })}
            </div>
            <h2>{locale.t(Msg::ReferralFriends)}</h2>
            {if no_referrals {
                view! { <p class="account__empty">{locale.t(Msg::ReferralNone)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="admin-table" data-testid="referrals">
                            <thead><tr>
                                <th scope="col">{locale.t(Msg::AdminDate)}</th>
                                <th scope="col">{locale.t(Msg::StatusWord)}</th>
                                <th scope="col">{locale.t(Msg::ReferralCreditWord)}</th>
                            </tr></thead>
                            <tbody>
                                {data.referrals.iter().map(|r| view! {
                                    <tr>
                                        <td>{day(crate::clock::paris_today(r.at))}</td>
                                        <td>{locale.t(status_text(&r.status))}</td>
                                        <td>
                                            {money(locale, r.credit)}
                                            {r.spent_on.clone().map(|n| view! { <br/><small>{format!("{} {n}", locale.t(Msg::ReferralSpentOn))}</small> })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h2>{locale.t(Msg::PointsHistory)}</h2>
            {if no_history {
                view! { <p class="account__empty">{locale.t(Msg::PointsNone)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="admin-table" data-testid="points-history">
                            <thead><tr>
                                <th scope="col">{locale.t(Msg::AdminDate)}</th>
                                <th scope="col">{locale.t(Msg::PointsOperation)}</th>
                                <th scope="col">{locale.t(Msg::PointsHeader)}</th>
                            </tr></thead>
                            <tbody>
                                {data.history.iter().map(|e| view! {
                                    <tr>
                                        <td>{day(crate::clock::paris_today(e.at))}</td>
                                        <td>
                                            {locale.t(points_kind(&e.kind))}
                                            {e.order.clone().map(|n| view! { <br/><small class="rewards__order">{format!("{} {n}", locale.t(Msg::OrderWord))}</small> })}
                                        </td>
                                        <td>{if e.points > 0 { format!("+{}", e.points) } else { e.points.to_string() }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(!data.credit_history.is_empty()).then(|| view! {
                <h2>{locale.t(Msg::StoreCreditHistory)}</h2>
                <div class="table-scroll">
                    <table class="admin-table" data-testid="store-credit-history">
                        <thead><tr>
                            <th scope="col">{locale.t(Msg::AdminDate)}</th>
                            <th scope="col">{locale.t(Msg::PointsOperation)}</th>
                            <th scope="col">{locale.t(Msg::StoreCreditAmount)}</th>
                        </tr></thead>
                        <tbody>
                            {data.credit_history.iter().map(|e| view! {
                                <tr>
                                    <td>{day(crate::clock::paris_today(e.at))}</td>
                                    <td>
                                        {locale.t(credit_kind(&e.kind))}
                                        {e.order.clone().map(|n| view! { <br/><small class="rewards__order">{format!("{} {n}", locale.t(Msg::OrderWord))}</small> })}
                                    </td>
                                    <td>{if e.amount.is_sign_positive() { format!("+{}", money(locale, e.amount)) } else { money(locale, e.amount) }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// Percent-encodes `text` for a `mailto:` link.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The review step's referral credit and points, each used or not by a plain form.
#[component]
pub fn ReviewAdvantages(rewards: CheckoutRewards, locale: Locale) -> impl IntoView {
    let toggle = move |what: &'static str, on: bool, label: String| {
        view! {
            <form method="post" action="/api/checkout/advantage" class="promo">
                <input type="hidden" name="what" value=what/>
                <input type="hidden" name="on" value=if on { "1" } else { "0" }/>
                <button class="button button--small" type="submit">{label}</button>
            </form>
        }
    };
    let shown = rewards.welcome
        || rewards.credit.is_some()
        || rewards.points > 0
        || rewards.store_credit.is_some();
    shown.then(|| view! {
        <section class="review__block" data-testid="advantages">
            <h2>{locale.t(Msg::RewardsTitle)}</h2>
            {rewards.welcome.then(|| view! { <p class="promo__applied">{locale.t(Msg::ReferralWelcomeApplied)}</p> })}
            {rewards.credit.map(|credit| {
                let amount = money(locale, credit);
                if rewards.use_credit {
                    view! {
                        <p class="promo__applied">{format!("{} {amount}", locale.t(Msg::ReferralCreditUsed))}</p>
                        {toggle("credit", false, locale.t(Msg::DontUse).to_owned())}
                    }.into_any()
                } else {
                    view! {
                        <p>{format!("{} {amount}.", locale.t(Msg::ReferralCreditReady))}</p>
                        {toggle("credit", true, format!("{} {amount}", locale.t(Msg::ReferralCreditUse)))}
                    }.into_any()
                }
            })}
            {(rewards.points > 0).then(|| match rewards.voucher {
                Some((points, amount)) if rewards.use_points => view! {
                    <p class="promo__applied">{format!("{points} {} → {}", locale.t(Msg::PointsWord), money(locale, amount))}</p>
                    {toggle("points", false, locale.t(Msg::DontUse).to_owned())}
                }.into_any(),
                Some((points, amount)) => view! {
                    <p>{format!("{} {} {}.", locale.t(Msg::PointsYouHave), rewards.points, locale.t(Msg::PointsWord))}</p>
                    {toggle("points", true, format!("{} {points} {} ({})", locale.t(Msg::PointsUse), locale.t(Msg::PointsWord), money(locale, amount)))}
                }.into_any(),
                None => view! {
                    <p>{format!("{} {} {}. {}", locale.t(Msg::PointsYouHave), rewards.points, locale.t(Msg::PointsWord), locale.t(Msg::PointsNotYet))}</p>
                }.into_any(),
            })}
            {rewards.store_credit.map(|balance| {
                let amount = money(locale, balance);
                if rewards.use_store_credit {
                    view! {
                        <p class="promo__applied" data-testid="store-credit-used">{format!("{} {amount}", locale.t(Msg::StoreCreditAvailable))}</p>
                        {toggle("store_credit", false, locale.t(Msg::DontUse).to_owned())}
                    }.into_any()
                } else {
                    view! {
                        <p>{format!("{} {amount}.", locale.t(Msg::StoreCreditAvailable))}</p>
                        {toggle("store_credit", true, locale.t(Msg::StoreCreditUse).to_owned())}
                    }.into_any()
                }
            })}
        </section>
    })
}

/// `/admin/rewards`.
#[component]
pub fn AdminRewardsPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(admin_rewards());
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <PageMeta title=locale.t(Msg::AdminRewards) description=locale.t(Msg::AdminRewardsLead) path="/admin/rewards" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(form) => view! {
                        <section class="account container admin">
                            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                            <h1>{locale.t(Msg::AdminRewards)}</h1>
                            <p>{locale.t(Msg::AdminRewardsLead)}</p>
                            {saved.then(|| view! { <p class="notice notice--info" role="status">{locale.t(Msg::AdminSaved)}</p> })}
                            <article class="account__panel">
                                <RewardsFields form/>
                            </article>
                        </section>
                    }.into_any(),
                    Err(error) => crate::ui::gate(error, "/admin/rewards"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RewardsFields(form: RewardsForm) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveRewards>::new();
    let error = error_of(save);
    let field = move |name: &'static str, label: Msg, value: String, mode: &'static str| {
        let id = format!("rewards-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{locale.t(label)}</label>
                <input id=id name=format!("form[{name}]") type="text" inputmode=mode value=value required=true autocomplete="off"/>
            </div>
        }
    };
    let percent = form.welcome_kind == "percent";
    view! {
        <ActionForm action=save attr:class="checkout-form" attr:data-testid="rewards-form">
            <FormError error/>
            <h2>{locale.t(Msg::ReferralTitle)}</h2>
            <div class="admin-pair">
                <div class="field">
                    <label for="rewards-welcome_kind">{locale.t(Msg::RewardsWelcomeKind)}</label>
                    <select id="rewards-welcome_kind" name="form[welcome_kind]">
                        <option value="percent" selected=percent>{locale.t(Msg::PromoKindPercent)}</option>
                        <option value="amount" selected=!percent>{locale.t(Msg::PromoKindAmount)}</option>
                    </select>
                </div>
                {field("welcome_value", Msg::RewardsWelcomeValue, form.welcome_value, "decimal")}
            </div>
            {field("sponsor_credit", Msg::RewardsSponsorCredit, form.sponsor_credit, "decimal")}
            <h2>{locale.t(Msg::PointsTitle)}</h2>
            {field("points_per_euro", Msg::RewardsPointsPerEuro, form.points_per_euro, "numeric")}
            <div class="admin-pair">
                {field("voucher_points", Msg::RewardsVoucherPoints, form.voucher_points, "numeric")}
                {field("voucher_value", Msg::RewardsVoucherValue, form.voucher_value, "decimal")}
            </div>
            <button class="button button--primary" type="submit">{locale.t(Msg::AdminSave)}</button>
        </ActionForm>
    }
}
