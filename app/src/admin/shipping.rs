//! `/admin/shipping`: each shipping zone's rate table (price by packed weight) and the goods
//! total from which shipping is free. A table is typed one bracket per line, `500 = 4,90`
//! (parcels up to 500 g cost 4.90 €) and `* = 12,00` for any weight; checked whole, saved in
//! one transaction, in the audit log. Carts, quotes and checkout read the tables as saved.

use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::money::parse_euros;
use crate::pricing::{Destination, ShippingRate};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most brackets a table may have.
pub const MAX_BRACKETS: usize = 20;

/// A zone as staff edit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneSettings {
    pub code: String,
    pub free_from: Option<Decimal>,
    pub rates: Vec<ShippingRate>,
}

/// A rate table as typed, one `grams = price` per line (`*` for any weight), checked: weights
/// rising, `*` only last, at most [`MAX_BRACKETS`]. Returns the line number (from 1) of the
/// first line that cannot be.
pub fn parse_table(text: &str) -> Result<Vec<ShippingRate>, usize> {
    let mut rates: Vec<ShippingRate> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || n + 1;
        let (weight, price) = line.split_once('=').ok_or_else(bad)?;
        let up_to_grams = match weight.trim().trim_end_matches('g').trim() {
            "*" => None,
            grams => Some(
                grams
                    .parse::<u32>()
                    .ok()
                    .filter(|g| (1..=100_000).contains(g))
                    .ok_or_else(bad)?,
            ),
        };
        let price = parse_euros(price).ok_or_else(bad)?;
        match rates.last().map(|r| r.up_to_grams) {
            // After "any weight" nothing can come; weights must rise.
            Some(None) => return Err(bad()),
            Some(Some(previous)) if up_to_grams.is_some_and(|g| g <= previous) => {
                return Err(bad());
            }
            _ => {}
        }
        if rates.len() == MAX_BRACKETS {
            return Err(bad());
        }
        rates.push(ShippingRate { up_to_grams, price });
    }
    if rates.is_empty() {
        return Err(1);
    }
    Ok(rates)
}

/// A table as staff type it.
pub fn format_table(rates: &[ShippingRate], locale: Locale) -> String {
    rates
        .iter()
        .map(|r| {
            let price = match locale {
                Locale::Fr => format!("{:.2}", r.price).replace('.', ","),
                Locale::En => format!("{:.2}", r.price),
            };
            match r.up_to_grams {
                Some(grams) => format!("{grams} = {price}"),
                None => format!("* = {price}"),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The zones in the shop's order.
#[server(prefix = "/api", endpoint = "admin/shipping")]
pub async fn admin_shipping() -> Result<Vec<ZoneSettings>, AppError> {
    let state = super::require_staff().await?;
    let config = crate::pricing::service::pricing_config(&state.db).await?;
    Ok(config
        .zones
        .into_iter()
        .map(|z| ZoneSettings {
            code: z.code,
            free_from: z.free_from,
            rates: z.rates,
        })
        .collect())
}

/// Replaces zone `code`'s table and free-shipping threshold (empty: never free).
#[server(prefix = "/api", endpoint = "admin/shipping/save")]
pub async fn save_shipping(code: String, free_from: String, table: String) -> Result<(), AppError> {
    use crate::db::entities::{shipping_rate, shipping_zone};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let free_from = match free_from.trim() {
        "" => None,
        text => Some(parse_euros(text).ok_or_else(|| {
            AppError::BadRequest(locale.t(Msg::ErrFreeFrom).to_owned()).answered()
        })?),
    };
    let rates = parse_table(&table).map_err(|line| {
        AppError::BadRequest(format!("{} {line}", locale.t(Msg::ErrRateTable))).answered()
    })?;
    let txn = crate::db::begin_write(&state.db).await?;
    let zone = shipping_zone::Entity::find()
        .filter(shipping_zone::Column::Code.eq(code.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound.answered())?;
    let free_from = free_from.map(crate::money::to_cents).transpose()?;
    shipping_zone::Entity::update_many()
        .col_expr(shipping_zone::Column::FreeFromCents, Expr::value(free_from))
        .filter(shipping_zone::Column::Code.eq(zone.code.as_str()))
        .exec(&txn)
        .await?;
    shipping_rate::Entity::delete_many()
        .filter(shipping_rate::Column::ZoneCode.eq(zone.code.as_str()))
        .exec(&txn)
        .await?;
    for rate in &rates {
        shipping_rate::ActiveModel {
            zone_code: Set(zone.code.clone()),
            up_to_grams: Set(rate.up_to_grams.and_then(|g| i32::try_from(g).ok())),
            price_cents: Set(crate::money::to_cents(rate.price)?),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    super::audit::record(
        &txn,
        staff.id,
        "shipping.update",
        &format!("shipping:{}", zone.code),
        &format!(
            "{} ; free from {}",
            format_table(&rates, crate::i18n::Locale::En).replace('\n', ", "),
            free_from.map_or_else(|| "—".to_owned(), |f| f.to_string())
        ),
        state.clock.now(),
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/shipping?saved=1");
    Ok(())
}

fn zone_name(code: &str, locale: Locale) -> String {
    match code {
        "EU" => locale.t(Msg::RegionEu).to_owned(),
        "WORLD" => locale.t(Msg::RegionWorld).to_owned(),
        other => Destination::parse(other)
            .map_or_else(|| other.to_owned(), |d| d.name(locale).to_owned()),
    }
}

#[component]
fn ZoneForm(zone: ZoneSettings, locale: Locale) -> impl IntoView {
    let save = ServerAction::<SaveShipping>::new();
    let error = error_of(save);
    let lower = zone.code.to_lowercase();
    let id = move |field: &str| format!("zone-{lower}-{field}");
    let (testid, name, code) = (
        format!("zone-{}", zone.code),
        zone_name(&zone.code, locale),
        zone.code.clone(),
    );
    let free = zone.free_from.map_or_else(String::new, |f| match locale {
        Locale::Fr => format!("{f:.2}").replace('.', ","),
        Locale::En => format!("{f:.2}"),
    });
    view! {
        <article class="account__panel" data-testid=testid>
            <h2>{name}</h2>
            <ActionForm action=save attr:class="checkout-form">
                <FormError error/>
                <input type="hidden" name="code" value=code/>
                <div class="admin-pair">
                    <div class="field">
                        <label for=id("table")>{locale.t(Msg::AdminRateTable)}</label>
                        <textarea id=id("table") name="table" rows="5" required=true>{format_table(&zone.rates, locale)}</textarea>
                    </div>
                    <div class="field">
                        <label for=id("free")>{locale.t(Msg::AdminFreeFrom)}</label>
                        <input id=id("free") name="free_from" type="text" inputmode="decimal" value=free autocomplete="off"/>
                    </div>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminSave)}</button>
            </ActionForm>
        </article>
    }
}

/// `/admin/shipping`.
#[component]
pub fn AdminShippingPage() -> impl IntoView {
    let locale = use_locale();
    let zones = OnceResource::new(admin_shipping());
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <PageMeta title=locale.t(Msg::AdminShipping) description=locale.t(Msg::AdminShippingLead) path="/admin/shipping" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match zones.await {
                    Ok(zones) => view! {
                        <section class="account container admin">
                            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                            <h1>{locale.t(Msg::AdminShipping)}</h1>
                            <p>{locale.t(Msg::AdminShippingLead)}</p>
                            {saved.then(|| view! { <p class="notice notice--info" role="status">{locale.t(Msg::AdminSaved)}</p> })}
                            {zones.into_iter().map(|zone| view! { <ZoneForm zone locale/> }).collect_view()}
                        </section>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/admin/shipping"/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_read_and_written_back() {
        let rates = parse_table("500 = 4,90\n1000g=6.90\n\n* = 12").unwrap();
        assert_eq!(
            rates,
            vec![
                ShippingRate {
                    up_to_grams: Some(500),
                    price: Decimal::new(490, 2)
                },
                ShippingRate {
                    up_to_grams: Some(1000),
                    price: Decimal::new(690, 2)
                },
                ShippingRate {
                    up_to_grams: None,
                    price: Decimal::new(1200, 2)
                },
            ]
        );
        assert_eq!(
            format_table(&rates, Locale::Fr),
            "500 = 4,90\n1000 = 6,90\n* = 12,00"
        );
        assert_eq!(
            parse_table(&format_table(&rates, Locale::Fr)).unwrap(),
            rates
        );
    }

    #[test]
    fn bad_tables_name_their_line() {
        assert_eq!(parse_table(""), Err(1));
        assert_eq!(parse_table("500 = 4,90\n400 = 5"), Err(2), "weights rise");
        assert_eq!(
            parse_table("* = 9\n500 = 4"),
            Err(2),
            "nothing after any weight"
        );
        assert_eq!(parse_table("500 = 4,999"), Err(1), "to the cent");
        assert_eq!(parse_table("500 4,90"), Err(1));
        assert_eq!(parse_table("500 = -1"), Err(1));
        assert_eq!(parse_euros("59,00 €"), Some(Decimal::new(5900, 2)));
    }
}
