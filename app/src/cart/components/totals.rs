//! The lines of a quote's totals: subtotal, discounts, shipping, total, VAT per rate — as the
//! cart, the checkout and its review show them.

use super::phrases;
use crate::i18n::{Locale, Msg};
use crate::pricing::{Quote, Shipping, VatMode};
use crate::ui::format::money;
use leptos::prelude::*;

/// `quote`'s totals; the total carries `data-testid=testid`.
#[component]
pub fn QuoteTotals(quote: Quote, locale: Locale, testid: &'static str) -> impl IntoView {
    let excluded = quote.vat_mode == VatMode::Excluded;
    let shipping = match quote.shipping {
        Shipping::Free => locale.t(Msg::ShippingFree).to_owned(),
        Shipping::Paid(amount) => money(locale, amount),
        Shipping::Unavailable => "—".to_owned(),
    };
    view! {
        <dl class="totals">
            <div class="totals__row"><dt>{locale.t(Msg::Subtotal)}</dt><dd>{money(locale, quote.subtotal)}</dd></div>
            {quote.adjustments.iter().map(|a| view! {
                <div class="totals__row"><dt>{a.label.clone()}</dt><dd>{money(locale, -a.amount)}</dd></div>
            }).collect_view()}
            <div class="totals__row"><dt>{locale.t(Msg::ShippingLabel)}</dt><dd>{shipping}</dd></div>
            <div class="totals__row totals__row--total">
                <dt>{if excluded { locale.t(Msg::TotalExclVat) } else { locale.t(Msg::TotalInclVat) }}</dt>
                <dd data-testid=testid>{money(locale, quote.total)}</dd>
            </div>
            {quote.vat.iter().map(|v| view! {
                <div class="totals__row totals__row--vat"><dt>{phrases::vat_line(locale, v.rate, v.vat)}</dt></div>
            }).collect_view()}
        </dl>
    }
}
