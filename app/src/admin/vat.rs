//! `/admin/vat`: the one-stop shop (OSS). Off, every EU delivery carries French VAT; on (once
//! the shop's distance sales to other EU countries pass 10,000 € a year), each EU country's own
//! rates apply, prices unchanged (VAT included). The table is typed one country per line,
//! `DE 7 19`: the rate for what France taxes at a reduced rate (food supplements), then the
//! standard rate; checked whole, saved at once, in the audit log.

use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::pricing::{CountryVat, Destination, Region};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The setting as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatSettings {
    pub enabled: bool,
    pub rates: Vec<CountryVat>,
}

/// A rate typed in percent (`7`, `5,5`, `25.5`), from 0 to 30, at most two decimals.
fn parse_rate(text: &str) -> Option<Decimal> {
    let rate: Decimal = text.trim().replace(',', ".").parse().ok()?;
    (rate >= Decimal::ZERO && rate <= Decimal::from(30) && rate == rate.round_dp(2))
        .then(|| rate.normalize())
}

/// The table as typed, checked: each line an EU country (France included) and its two rates,
/// each country once. Returns the line number (from 1) of the first line that cannot be.
pub fn parse_rates(text: &str) -> Result<Vec<CountryVat>, usize> {
    let mut rates: Vec<CountryVat> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || n + 1;
        let mut parts = line.split_whitespace();
        let (Some(code), Some(reduced), Some(standard), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let country = Destination::parse(code)
            .filter(|d| matches!(d.region(), Region::Eu | Region::MetropolitanFrance))
            .ok_or_else(bad)?;
        if rates.iter().any(|r| r.country == country.code()) {
            return Err(bad());
        }
        rates.push(CountryVat {
            country: country.code().to_owned(),
            reduced: parse_rate(reduced).ok_or_else(bad)?,
            standard: parse_rate(standard).ok_or_else(bad)?,
        });
    }
    if rates.is_empty() {
        return Err(1);
    }
    Ok(rates)
}

/// The table as staff type it.
pub fn format_rates(rates: &[CountryVat], locale: Locale) -> String {
    let rate = |r: Decimal| match locale {
        Locale::Fr => r.normalize().to_string().replace('.', ","),
        Locale::En => r.normalize().to_string(),
    };
    rates
        .iter()
        .map(|r| format!("{} {} {}", r.country, rate(r.reduced), rate(r.standard)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The OSS setting (staff).
#[server(prefix = "/api", endpoint = "admin/vat")]
pub async fn admin_vat() -> Result<VatSettings, AppError> {
    let state = super::require_staff().await?;
    let oss = crate::pricing::service::oss_settings(&state.db).await?;
    Ok(VatSettings {
        enabled: oss.enabled,
        rates: oss.rates,
    })
}

/// Saves the OSS setting: `enabled` ticked or not, and the table.
#[server(prefix = "/api", endpoint = "admin/vat/save")]
pub async fn save_vat(
    #[server(default)] enabled: Option<String>,
    rates: String,
) -> Result<(), AppError> {
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let rates = parse_rates(&rates).map_err(|line| {
        AppError::BadRequest(format!("{} {line}", locale.t(Msg::ErrVatTable))).answered()
    })?;
    let enabled = enabled.is_some_and(|v| !v.is_empty());
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    crate::settings::service::put(
        &txn,
        crate::pricing::service::OSS_KEY,
        &crate::pricing::OssSettings {
            enabled,
            rates: rates.clone(),
        },
        now,
    )
    .await?;
    super::audit::record(
        &txn,
        staff.id,
        "vat.update",
        "vat:oss",
        &format!(
            "OSS {} ; {}",
            if enabled { "on" } else { "off" },
            format_rates(&rates, Locale::En).replace('\n', ", ")
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/vat?saved=1");
    Ok(())
}

/// `/admin/vat`.
#[component]
pub fn AdminVatPage() -> impl IntoView {
    let locale = use_locale();
    let settings = OnceResource::new(admin_vat());
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <PageMeta title=locale.t(Msg::AdminVat) description=locale.t(Msg::AdminVatLead) path="/admin/vat" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => view! {
                        <section class="account container admin">
                            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                            <h1>{locale.t(Msg::AdminVat)}</h1>
                            <p>{locale.t(Msg::AdminVatLead)}</p>
                            {saved.then(|| view! { <p class="notice notice--info" role="status">{locale.t(Msg::AdminSaved)}</p> })}
                            <VatForm settings locale/>
                        </section>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/admin/vat"/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VatForm(settings: VatSettings, locale: Locale) -> impl IntoView {
    let save = ServerAction::<SaveVat>::new();
    let error = error_of(save);
    view! {
        <article class="account__panel" data-testid="vat-form">
            <ActionForm action=save attr:class="checkout-form">
                <FormError error/>
                <label class="checkbox">
                    <input type="checkbox" name="enabled" value="on" checked=settings.enabled/>
                    <span>{locale.t(Msg::AdminVatOss)}</span>
                </label>
                <div class="field">
                    <label for="vat-rates">{locale.t(Msg::AdminVatTable)}</label>
                    <textarea id="vat-rates" name="rates" rows="28" required=true>{format_rates(&settings.rates, locale)}</textarea>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminSave)}</button>
            </ActionForm>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_and_written_back() {
        let rates = parse_rates("DE 7 19\n\nfi 14 25,5\nFR 5.5 20").unwrap();
        assert_eq!(
            format_rates(&rates, Locale::Fr),
            "DE 7 19\nFI 14 25,5\nFR 5,5 20"
        );
        assert_eq!(parse_rates(&format_rates(&rates, Locale::En)), Ok(rates));
        let defaults = crate::pricing::defaults::eu_vat_rates();
        assert_eq!(defaults.len(), 27);
        assert_eq!(
            parse_rates(&format_rates(&defaults, Locale::Fr)),
            Ok(defaults)
        );
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(parse_rates("DE 7 19\nUS 0 0"), Err(2), "not in the EU");
        assert_eq!(parse_rates("DE 7 19\nDE 7 19"), Err(2), "twice");
        assert_eq!(parse_rates("DE 7"), Err(1));
        assert_eq!(parse_rates("DE 7 19 1"), Err(1));
        assert_eq!(parse_rates("DE 7 45"), Err(1));
        assert_eq!(parse_rates("DE 7,123 19"), Err(1));
        assert_eq!(
            parse_rates("GP 2,1 8,5"),
            Err(1),
            "overseas: no VAT charged"
        );
        assert_eq!(parse_rates(""), Err(1));
    }
}
