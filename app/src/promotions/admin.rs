//! `/admin/promotions`: the promo codes, their uses, a form to create one, and switching one
//! off or on. Every change is in the audit log.

use super::rules::{Benefit, PromoForm, PromoRule, Scope};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::Loading;
use crate::ui::format::money;
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A code as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromoRow {
    pub id: i32,
    pub rule: PromoRule,
    pub uses: i32,
    pub active: bool,
}

/// Why a code cannot be used, in `locale`.
#[cfg(feature = "ssr")]
pub fn refusal_message(locale: Locale, refusal: &super::service::PromoRefusal) -> String {
    use super::service::PromoRefusal;
    match refusal {
        PromoRefusal::Minimum(min) => {
            format!(
                "{} {}.",
                locale.t(Msg::ErrPromoMinimum),
                money(locale, *min)
            )
        }
        PromoRefusal::Exhausted => locale.t(Msg::ErrPromoExhausted).to_owned(),
        PromoRefusal::AlreadyUsed => locale.t(Msg::ErrPromoAlreadyUsed).to_owned(),
        PromoRefusal::NotApplicable => locale.t(Msg::ErrPromoNotApplicable).to_owned(),
        PromoRefusal::Unknown | PromoRefusal::Database(_) => {
            locale.t(Msg::ErrPromoUnknown).to_owned()
        }
    }
}

/// Every code, newest first (staff).
#[server(prefix = "/api", endpoint = "admin/promotions")]
pub async fn admin_promotions() -> Result<Vec<PromoRow>, AppError> {
    let (state, _) = crate::account::api::ssr::staff_member().await?;
    let rows: Result<Vec<PromoRow>, sea_orm::DbErr> = super::service::all(&state.db)
        .await?
        .iter()
        .map(|m| {
            Ok(PromoRow {
                id: m.id,
                rule: super::service::rule(m)?,
                uses: m.uses,
                active: m.active,
            })
        })
        .collect();
    Ok(rows?)
}

/// Creates a code from `form` (staff).
#[server(prefix = "/api", endpoint = "admin/promotions/create")]
pub async fn create_promotion(form: PromoForm) -> Result<(), AppError> {
    use super::rules::PromoField;
    use super::service::SaveError;
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let bad = |text: String| AppError::BadRequest(text).answered();
    let (rule, slugs) = super::rules::check(&form).map_err(|field| {
        bad(locale
            .t(match field {
                PromoField::Code => Msg::ErrPromoCode,
                PromoField::Value => Msg::ErrPromoValue,
                PromoField::MinBasket => Msg::ErrPromoMinBasket,
                PromoField::Dates => Msg::ErrPromoDates,
                PromoField::MaxUses | PromoField::MaxUsesPerCustomer => Msg::ErrPromoMaxUses,
                PromoField::Scope => Msg::ErrPromoScope,
            })
            .to_owned())
    })?;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let created = super::service::create(&txn, rule, &slugs, now)
        .await
        .map_err(|e| match e {
            SaveError::Taken => bad(locale.t(Msg::ErrPromoTaken).to_owned()),
            SaveError::UnknownSlug(slug) => {
                bad(format!("{} {slug}", locale.t(Msg::ErrPromoUnknownSlug)))
            }
            SaveError::Database(e) => e.into(),
        })?;
    crate::db::audit::record(
        &txn,
        staff.id,
        "promo.create",
        &format!("promo:{}", created.code),
        &describe(&super::service::rule(&created)?, Locale::En),
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/promotions?saved=1");
    Ok(())
}

/// Switches code `id` off (`active` false) or back on (staff).
#[server(prefix = "/api", endpoint = "admin/promotions/active")]
pub async fn set_promotion_active(id: i32, active: bool) -> Result<(), AppError> {
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let code = super::service::set_active(&txn, id, active, now)
        .await
        .map_err(|e| match e {
            sea_orm::DbErr::RecordNotFound(_) => AppError::NotFound.answered(),
            other => other.into(),
        })?;
    crate::db::audit::record(
        &txn,
        staff.id,
        if active { "promo.on" } else { "promo.off" },
        &format!("promo:{}", code.code),
        "",
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/promotions");
    Ok(())
}

/// A code's discount and conditions in words.
pub fn describe(rule: &PromoRule, locale: Locale) -> String {
    let mut parts = vec![match rule.benefit {
        Benefit::Percent(p) => format!("−{} %", p.normalize()),
        Benefit::Amount(a) => format!("−{}", money(locale, a)),
    }];
    if let Some(min) = rule.min_basket {
        parts.push(format!("≥ {}", money(locale, min)));
    }
    match (rule.starts_on, rule.ends_on) {
        (None, None) => {}
        (start, end) => parts.push(format!(
            "{} → {}",
            start.map_or("…".to_owned(), |d| d.format("%d/%m/%Y").to_string()),
            end.map_or("…".to_owned(), |d| d.format("%d/%m/%Y").to_string())
        )),
    }
    if let Some(max) = rule.max_uses_per_customer {
        parts.push(format!(
            "{max} / {}",
            locale.t(Msg::AdminCustomers).to_lowercase()
        ));
    }
    match &rule.scope {
        Scope::All => {}
        Scope::Products(ids) => parts.push(format!(
            "{} ({})",
            locale.t(Msg::PromoScopeProducts),
            ids.len()
        )),
        Scope::Categories(ids) => parts.push(format!(
            "{} ({})",
            locale.t(Msg::PromoScopeCategories),
            ids.len()
        )),
    }
    parts.join(" · ")
}

#[component]
fn CreateForm(locale: Locale) -> impl IntoView {
    let create = ServerAction::<CreatePromotion>::new();
    let error = error_of(create);
    let text = move |name: &'static str, label: Msg, kind: &'static str, required: bool| {
        let id = format!("promo-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{locale.t(label)}</label>
                <input id=id name=format!("form[{name}]") type=kind required=required autocomplete="off"/>
            </div>
        }
    };
    view! {
        <ActionForm action=create attr:class="checkout-form" attr:data-testid="promo-form">
            <FormError error/>
            <div class="admin-pair">
                {text("code", Msg::PromoCode, "text", true)}
                <div class="field">
                    <label for="promo-kind">{locale.t(Msg::PromoKind)}</label>
                    <select id="promo-kind" name="form[kind]">
                        <option value="percent">{locale.t(Msg::PromoKindPercent)}</option>
                        <option value="amount">{locale.t(Msg::PromoKindAmount)}</option>
                    </select>
                </div>
            </div>
            <div class="admin-pair">
                {text("value", Msg::PromoValue, "text", true)}
                {text("min_basket", Msg::PromoMinBasket, "text", false)}
            </div>
            <div class="admin-pair">
                {text("starts_on", Msg::PromoStartsOn, "date", false)}
                {text("ends_on", Msg::PromoEndsOn, "date", false)}
            </div>
            <div class="admin-pair">
                {text("max_uses", Msg::PromoMaxUses, "number", false)}
                {text("max_uses_per_customer", Msg::PromoMaxPerCustomer, "number", false)}
            </div>
            <div class="admin-pair">
                <div class="field">
                    <label for="promo-scope">{locale.t(Msg::PromoScope)}</label>
                    <select id="promo-scope" name="form[scope]">
                        <option value="all">{locale.t(Msg::PromoScopeAll)}</option>
                        <option value="products">{locale.t(Msg::PromoScopeProducts)}</option>
                        <option value="categories">{locale.t(Msg::PromoScopeCategories)}</option>
                    </select>
                </div>
                {text("scope_slugs", Msg::PromoScopeSlugs, "text", false)}
            </div>
            <button class="button button--primary" type="submit">{locale.t(Msg::PromoCreate)}</button>
        </ActionForm>
    }
}

#[component]
fn Switch(row: PromoRow, locale: Locale) -> impl IntoView {
    let switch = ServerAction::<SetPromotionActive>::new();
    view! {
        <ActionForm action=switch>
            <input type="hidden" name="id" value=row.id.to_string()/>
            <input type="hidden" name="active" value=(!row.active).to_string()/>
            <button class="button button--small" type="submit">
                {locale.t(if row.active { Msg::PromoSwitchOff } else { Msg::PromoSwitchOn })}
            </button>
        </ActionForm>
    }
}

/// `/admin/promotions`.
#[component]
pub fn AdminPromotionsPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(admin_promotions());
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <PageMeta title=locale.t(Msg::AdminPromotions) description=locale.t(Msg::AdminPromotionsLead) path="/admin/promotions" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        <section class="account container admin">
                            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                            <h1>{locale.t(Msg::AdminPromotions)}</h1>
                            <p>{locale.t(Msg::AdminPromotionsLead)}</p>
                            {saved.then(|| view! { <p class="notice notice--info" role="status">{locale.t(Msg::AdminSaved)}</p> })}
                            <article class="account__panel">
                                {rows.is_empty().then(|| view! { <p>{locale.t(Msg::PromoNone)}</p> })}
                                {(!rows.is_empty()).then(|| view! {
                                    <div class="table-scroll">
                                        <table class="admin-table" data-testid="promo-codes">
                                            <thead><tr>
                                                <th scope="col">{locale.t(Msg::PromoCode)}</th>
                                                <th scope="col">{locale.t(Msg::PromoConditions)}</th>
                                                <th scope="col">{locale.t(Msg::PromoUses)}</th>
                                                <th scope="col">{locale.t(Msg::PromoActive)}</th>
                                                <th scope="col"><span class="visually-hidden">{locale.t(Msg::PromoSwitchOff)}</span></th>
                                            </tr></thead>
                                            <tbody>
                                                {rows.iter().map(|row| view! {
                                                    <tr>
                                                        <td><strong>{row.rule.code.clone()}</strong></td>
                                                        <td>{describe(&row.rule, locale)}</td>
                                                        <td>{match row.rule.max_uses {
                                                            Some(max) => format!("{} / {max}", row.uses),
                                                            None => row.uses.to_string(),
                                                        }}</td>
                                                        <td>{locale.t(if row.active { Msg::PromoActive } else { Msg::PromoInactive })}</td>
                                                        <td><Switch row=row.clone() locale/></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                })}
                            </article>
                            <article class="account__panel">
                                <h2>{locale.t(Msg::PromoNew)}</h2>
                                <CreateForm locale/>
                            </article>
                        </section>
                    }.into_any(),
                    Err(error) => crate::ui::gate(error, "/admin/promotions"),
                }
            })}
        </Suspense>
    }
}
