//! `/orders/{number}/invoice`: the invoice as issued (printable; the PDF is the same document).

use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::api::get_invoice;
use crate::orders::model::InvoiceDocument;
use crate::pricing::VatMode;
use crate::ui::format::{money, percent};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvoicePage() -> impl IntoView {
    let locale = use_locale();
    let number = use_params_map().with_untracked(|p| p.get("number").unwrap_or_default());
    let key = use_query_map().with_untracked(|q| q.get("key"));
    let document = OnceResource::new(get_invoice(number.clone(), key));
    view! {
        <PageMeta title=locale.t(Msg::InvoiceWord) description=locale.t(Msg::InvoiceWord) path=format!("/orders/{number}/invoice") noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(document) => view! { <Invoice document locale/> }.into_any(),
                    Err(AppError::NotFound | AppError::BadRequest(_)) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Invoice(document: InvoiceDocument, locale: Locale) -> impl IntoView {
    let d = document;
    let excluded = d.vat_mode == VatMode::Excluded;
    view! {
        <article class="invoice container" data-testid="invoice">
            <header class="invoice__head">
                <div>
                    <p class="invoice__seller">{d.seller.name.clone()}</p>
                    <p>{d.seller.legal_form.clone()}</p>
                    {d.seller.address.iter().map(|l| view! { <p>{l.clone()}</p> }).collect_view()}
                    <p>{d.seller.registration.clone()}</p>
                    <p>{format!("{} {}", locale.t(Msg::VatNumber), d.seller.vat_number)}</p>
                    <p>{format!("{} · {}", d.seller.email, d.seller.phone)}</p>
                </div>
                <div class="invoice__meta">
                    <h1>{format!("{} {}", locale.t(Msg::InvoiceWord), d.number)}</h1>
                    <p>{format!("{} {}", locale.t(Msg::IssuedOn), d.issued_on)}</p>
                    <p>{format!("{} {}", locale.t(Msg::OrderWord), d.order_number)}</p>
                </div>
            </header>
            <section class="invoice__parties">
                <div>
                    <h2>{locale.t(Msg::BilledTo)}</h2>
                    {d.buyer_address.iter().map(|l| view! { <p>{l.clone()}</p> }).collect_view()}
                    <p>{d.buyer_email.clone()}</p>
                </div>
                <div>
                    <h2>{locale.t(Msg::DeliveryAddress)}</h2>
                    {d.delivery_address.iter().map(|l| view! { <p>{l.clone()}</p> }).collect_view()}
                </div>
            </section>
            <table class="invoice__lines">
                <thead><tr>
                    <th scope="col">{locale.t(Msg::ProductWord)}</th>
                    <th scope="col">"SKU"</th>
                    <th scope="col">{locale.t(Msg::QuantityWord)}</th>
                    <th scope="col">{locale.t(Msg::UnitPriceExcl)}</th>
                    <th scope="col">{locale.t(Msg::VatRateWord)}</th>
                    <th scope="col">{locale.t(Msg::TotalExclWord)}</th>
                </tr></thead>
                <tbody>
                    {d.lines.iter().map(|l| view! {
                        <tr>
                            <td>{l.description.clone()}</td>
                            <td>{l.sku.clone()}</td>
                            <td>{l.quantity}</td>
                            <td>{money(locale, l.unit_price_excl)}</td>
                            <td>{percent(locale, l.vat_rate)}</td>
                            <td>{money(locale, l.total_excl)}</td>
                        </tr>
                    }).collect_view()}
                    {(!d.discount_excl.is_zero()).then(|| view! {
                        <tr>
                            <td colspan="5">{locale.t(Msg::DiscountsExcl)}</td>
                            <td data-testid="invoice-discount">{money(locale, -d.discount_excl)}</td>
                        </tr>
                    })}
                    <tr>
                        <td colspan="5">{locale.t(Msg::ShippingExcl)}</td>
                        <td>{money(locale, d.shipping_excl)}</td>
                    </tr>
                </tbody>
            </table>
            {(!excluded).then(|| view! {
                <table class="invoice__vat">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::VatRateWord)}</th>
                        <th scope="col">{locale.t(Msg::NetWord)}</th>
                        <th scope="col">{locale.t(Msg::VatWord)}</th>
                        <th scope="col">{locale.t(Msg::GrossWord)}</th>
                    </tr></thead>
                    <tbody>
                        {d.vat.iter().map(|v| view! {
                            <tr>
                                <td>{percent(locale, v.rate)}</td>
                                <td>{money(locale, v.net)}</td>
                                <td>{money(locale, v.vat)}</td>
                                <td>{money(locale, v.gross)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <dl class="totals invoice__totals">
                <div class="totals__row"><dt>{locale.t(Msg::TotalExclVat)}</dt><dd>{money(locale, d.total_excl)}</dd></div>
                <div class="totals__row"><dt>{locale.t(Msg::VatWord)}</dt><dd>{money(locale, d.total_vat)}</dd></div>
                <div class="totals__row totals__row--total"><dt>{locale.t(if excluded { Msg::TotalExclVat } else { Msg::TotalInclVat })}</dt><dd data-testid="invoice-total">{money(locale, d.total)}</dd></div>
            </dl>
            <p>{format!("{} {} — {}", locale.t(Msg::PaidOn), d.paid_on, crate::cart::components::phrases::payment_method(locale, d.payment_method))}</p>
            {d.notes.iter().map(|n| view! { <p class="invoice__note">{n.clone()}</p> }).collect_view()}
        </article>
    }
}
