//! The three steps of the checkout form: details, delivery and payment, review.

use super::*;

/// What a text input of the details form is.
pub(crate) struct FieldSpec {
    label: &'static str,
    /// The field's key in the refusals (`email`, `delivery[city]`).
    key: String,
    autocomplete: String,
    required: bool,
    kind: &'static str,
}

/// A labelled text input of the details form, with its refusal under it.
pub(crate) fn input(
    errors: &Arc<Vec<FieldError>>,
    spec: FieldSpec,
    value: String,
    locale: Locale,
) -> impl IntoView + use<> {
    let FieldSpec {
        label,
        key,
        autocomplete,
        required,
        kind,
    } = spec;
    let id = format!("co-{}", key.replace(['[', ']'], "-").trim_end_matches('-'));
    let error = error_for(errors, &key);
    let invalid = error.is_some();
    let error_id = format!("{id}-error");
    let name = match key.split_once('[') {
        Some((head, tail)) => format!("details[{head}][{tail}"),
        None => format!("details[{key}]"),
    };
    view! {
        <div class="field" class:field--invalid=invalid>
            <label for=id.clone()>
                {label}
                {(!required).then(|| view! { <span class="field__optional">{format!(" ({})", locale.t(Msg::OptionalWord))}</span> })}
            </label>
            <input id=id name=name type=kind autocomplete=autocomplete required=required
                maxlength=MAX_LINE_CHARS.to_string() value=value
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| error_id.clone())/>
            {error.map(|e| view! { <p class="field__error" id=error_id>{e}</p> })}
        </div>
    }
}

pub(crate) fn address_fields(
    errors: &Arc<Vec<FieldError>>,
    prefix: &'static str,
    address: &AddressInput,
    required: bool,
    locale: Locale,
) -> impl IntoView + use<> {
    let key = |field: &str| format!("{prefix}[{field}]");
    let country_key = key("country");
    let country_error = error_for(errors, &country_key);
    let country_invalid = country_error.is_some();
    let country_id = format!("co-{prefix}-country");
    let country = address.country.clone();
    let section = if prefix == "billing" {
        "billing"
    } else {
        "shipping"
    };
    // `shipping given-name`, `billing postal-code`: browsers fill each address on its own.
    let auto = move |field: &str| format!("{section} {field}");
    view! {
        <div class="field-row">
            {input(errors, FieldSpec { label: locale.t(Msg::FirstNameLabel), key: key("first_name"), autocomplete: auto("given-name"), required, kind: "text" }, address.first_name.clone(), locale)}
            {input(errors, FieldSpec { label: locale.t(Msg::LastNameLabel), key: key("last_name"), autocomplete: auto("family-name"), required, kind: "text" }, address.last_name.clone(), locale)}
        </div>
        {input(errors, FieldSpec { label: locale.t(Msg::CompanyLabel), key: key("company"), autocomplete: auto("organization"), required: false, kind: "text" }, address.company.clone(), locale)}
        {input(errors, FieldSpec { label: locale.t(Msg::Line1Label), key: key("line1"), autocomplete: auto("address-line1"), required, kind: "text" }, address.line1.clone(), locale)}
        {input(errors, FieldSpec { label: locale.t(Msg::Line2Label), key: key("line2"), autocomplete: auto("address-line2"), required: false, kind: "text" }, address.line2.clone(), locale)}
        <div class="field-row">
            {input(errors, FieldSpec { label: locale.t(Msg::PostalCodeLabel), key: key("postal_code"), autocomplete: auto("postal-code"), required, kind: "text" }, address.postal_code.clone(), locale)}
            {input(errors, FieldSpec { label: locale.t(Msg::CityLabel), key: key("city"), autocomplete: auto("address-level2"), required, kind: "text" }, address.city.clone(), locale)}
        </div>
        <div class="field" class:field--invalid=country_invalid>
            <label for=country_id.clone()>{locale.t(Msg::CountryLabel)}</label>
            <select id=country_id name=format!("details[{prefix}][country]") autocomplete=auto("country")>
                {Destination::all()
                    .map(|d| view! {
                        <option value=d.code() selected=country.eq_ignore_ascii_case(d.code())>{d.name(locale)}</option>
                    })
                    .collect_view()}
            </select>
            {country_error.map(|e| view! { <p class="field__error">{e}</p> })}
        </div>
    }
}

#[component]
pub(crate) fn DetailsStep(view: CheckoutView, locale: Locale) -> impl IntoView {
    let action = ServerAction::<CheckoutDetails>::new();
    let errors = Arc::new(view.errors.clone());
    let d = view.details;
    let title_error = error_for(&errors, "title");
    let title_invalid = title_error.is_some();
    view! {
        <ActionForm action attr:class="checkout-form" attr:novalidate=true>
            {(!errors.is_empty()).then(|| view! {
                <p class="form-error" role="alert">{locale.t(Msg::CheckoutFixFields)}</p>
            })}
            <fieldset class="checkout-form__group">
                <legend>{locale.t(Msg::ContactDetails)}</legend>
                {(!view.signed_in && view.lines.iter().any(|l| l.every_months.is_some())).then(|| view! {
                    <p class="notice notice--warning" data-testid="subscription-account">
                        {locale.t(Msg::SubscriptionNeedsAccount)}" "
                        <a href="/account/sign-in?next=/checkout">{locale.t(Msg::SignInLink)}</a>
                        " · "
                        <a href="/account/sign-up">{locale.t(Msg::SignUpLink)}</a>
                    </p>
                })}
                {(!view.signed_in).then(|| view! {
                    <p class="checkout-form__hint">
                        {locale.t(Msg::CheckoutGuestHint)}" "
                        <a href="/account/sign-in?next=/checkout">{locale.t(Msg::SignInLink)}</a>
                    </p>
                })}
                {input(&errors, FieldSpec { label: locale.t(Msg::EmailLabel), key: "email".into(), autocomplete: "email".into(), required: true, kind: "email" }, d.email.clone(), locale)}
                <div class="field" class:field--invalid=title_invalid>
                    <label for="co-title">{locale.t(Msg::TitleLabel)}<span class="field__optional">{format!(" ({})", locale.t(Msg::OptionalWord))}</span></label>
                    <select id="co-title" name="details[title]" autocomplete="honorific-prefix">
                        <option value="" selected=d.title.is_empty()>"—"</option>
                        {TITLES.iter().map(|(code, label)| view! {
                            <option value=*code selected=d.title == *code>{*label}</option>
                        }).collect_view()}
                    </select>
                    {title_error.map(|e| view! { <p class="field__error">{e}</p> })}
                </div>
                <div class="field-row">
                    {input(&errors, FieldSpec { label: locale.t(Msg::FirstNameLabel), key: "first_name".into(), autocomplete: "given-name".into(), required: true, kind: "text" }, d.first_name.clone(), locale)}
                    {input(&errors, FieldSpec { label: locale.t(Msg::LastNameLabel), key: "last_name".into(), autocomplete: "family-name".into(), required: true, kind: "text" }, d.last_name.clone(), locale)}
                </div>
                {input(&errors, FieldSpec { label: locale.t(Msg::PhoneLabel), key: "phone".into(), autocomplete: "tel".into(), required: false, kind: "tel" }, d.phone.clone(), locale)}
            </fieldset>
            <fieldset class="checkout-form__group">
                <legend>{locale.t(Msg::DeliveryAddress)}</legend>
                {address_fields(&errors, "delivery", &d.delivery, true, locale)}
            </fieldset>
            <label class="checkbox">
                <input type="checkbox" id="co-separate-billing" name="details[separate_billing]" value="true" checked=d.separate_billing/>
                {locale.t(Msg::SeparateBilling)}
            </label>
            <fieldset class="checkout-form__group checkout-form__billing">
                <legend>{locale.t(Msg::BillingAddress)}</legend>
                {address_fields(&errors, "billing", &d.billing, false, locale)}
            </fieldset>
            <button class="button button--primary checkout-form__next" type="submit">{locale.t(Msg::ContinueToDelivery)}</button>
        </ActionForm>
    }
}

/// A short line saying how a payment method works.
pub(crate) fn method_hint(method: PaymentMethod) -> Msg {
    match method {
        PaymentMethod::BankTransfer => Msg::PayTransferHint,
        PaymentMethod::Cheque => Msg::PayChequeHint,
        PaymentMethod::Klarna3x => Msg::PayKlarnaHint,
        _ => Msg::PayOnlineHint,
    }
}

#[component]
pub(crate) fn DeliveryStep(view: CheckoutView, locale: Locale) -> impl IntoView {
    let action = ServerAction::<CheckoutDelivery>::new();
    let error = error_for(&view.errors, "payment_method");
    let Some(quote) = view.quote.clone() else {
        return view! { <p class="notice">{locale.t(Msg::ErrCartEmpty)}</p> }.into_any();
    };
    let destination = Destination::parse(&quote.destination);
    let place = destination.map(|d| d.name(locale)).unwrap_or_default();
    let shipping = match quote.shipping {
        Shipping::Free => locale.t(Msg::ShippingFree).to_owned(),
        Shipping::Paid(amount) => money(locale, amount),
        Shipping::Unavailable => "—".to_owned(),
    };
    let cannot = quote.shipping == Shipping::Unavailable;
    let excluded = quote.vat_mode == VatMode::Excluded;
    let chosen = view
        .payment_method
        .or(quote.payment_methods.first().copied());
    view! {
        <ActionForm action attr:class="checkout-form">
            <fieldset class="checkout-form__group">
                <legend>{locale.t(Msg::StepDelivery)}</legend>
                <dl class="facts">
                    <div><dt>{locale.t(Msg::DeliverTo)}</dt><dd data-testid="destination">{place}" "<a href="/checkout?step=details">{locale.t(Msg::Modify)}</a></dd></div>
                    <div><dt>{locale.t(Msg::ShippingLabel)}</dt><dd data-testid="shipping">{shipping}</dd></div>
                    <div><dt>{locale.t(Msg::TaxesLabel)}</dt><dd>{locale.t(if excluded { Msg::VatExcludedNote } else { Msg::VatIncludedNote })}</dd></div>
                </dl>
                {cannot.then(|| view! { <p class="notice notice--warning" role="alert">{locale.t(Msg::ShippingUnavailable)}</p> })}
            </fieldset>
            {(!cannot).then(|| view! {
                <fieldset class="checkout-form__group" aria-describedby=error.is_some().then_some("co-method-error")>
                    <legend>{locale.t(Msg::PaymentMethodLegend)}</legend>
                    {error.clone().map(|e| view! { <p class="field__error" id="co-method-error" role="alert">{e}</p> })}
                    <ul class="method-list">
                        {quote.payment_methods.iter().map(|m| {
                            let id = format!("co-method-{}", m.code());
                            let label_for = id.clone();
                            view! {
                                <li>
                                    <label class="method" for=label_for>
                                        <input type="radio" id=id name="payment_method" value=m.code() checked=chosen == Some(*m) required=true/>
                                        <span class="method__name">{phrases::payment_method(locale, *m)}</span>
                                        <span class="method__hint">{locale.t(method_hint(*m))}</span>
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
                <button class="button button--primary checkout-form__next" type="submit">{locale.t(Msg::ContinueToReview)}</button>
            })}
        </ActionForm>
    }
    .into_any()
}

/// The review's promo code: a plain form (the page reloads with the new totals), or the code
/// applied with a button to take it off.
#[component]
pub(crate) fn PromoCode(
    applied: Option<String>,
    error: Option<String>,
    locale: Locale,
) -> impl IntoView {
    view! {
        <section class="review__block" data-testid="promo">
            <h2>{locale.t(Msg::PromoCode)}</h2>
            {match applied {
                Some(code) => view! {
                    <form method="post" action="/api/checkout/promo" class="promo">
                        <p class="promo__applied">{format!("{} {code}", locale.t(Msg::PromoApplied))}</p>
                        <input type="hidden" name="code" value=code.clone()/>
                        <input type="hidden" name="remove" value="1"/>
                        <button class="button button--small" type="submit">{locale.t(Msg::PromoRemove)}</button>
                    </form>
                }.into_any(),
                None => view! {
                    <form method="post" action="/api/checkout/promo" class="promo">
                        <div class="field" class:field--invalid=error.is_some()>
                            <label for="co-promo">{locale.t(Msg::PromoCodeLabel)}</label>
                            <input id="co-promo" name="code" type="text" autocomplete="off" autocapitalize="characters" required=true
                                aria-describedby=error.is_some().then_some("co-promo-error")/>
                        </div>
                        <button class="button button--small" type="submit">{locale.t(Msg::PromoApply)}</button>
                        {error.map(|e| view! { <p class="field__error" id="co-promo-error" role="alert">{e}</p> })}
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub(crate) fn ReviewStep(view: CheckoutView, locale: Locale) -> impl IntoView {
    let action = ServerAction::<PlaceOrder>::new();
    let error = crate::ui::forms::error_of(action);
    let terms_error = error_for(&view.errors, "terms");
    let Some(quote) = view.quote.clone() else {
        return view! { <p class="notice">{locale.t(Msg::ErrCartEmpty)}</p> }.into_any();
    };
    // The review is reached only with valid details; they show as the order will record them.
    let Ok(d) = crate::orders::rules::clean_details(&view.details) else {
        return view! {
            <p class="form-error" role="alert">
                {locale.t(Msg::CheckoutFixFields)}" "
                <a href="/checkout?step=details">{locale.t(Msg::Modify)}</a>
            </p>
        }
        .into_any();
    };
    let country = |code: &str| {
        Destination::parse(code)
            .map(|d| d.name(locale).to_owned())
            .unwrap_or_default()
    };
    let delivery = d.delivery.lines(&country(&d.delivery.country));
    let billing = if view.details.separate_billing {
        d.billing.lines(&country(&d.billing.country))
    } else {
        vec![locale.t(Msg::SameAsDelivery).to_owned()]
    };
    let lines_of =
        |lines: Vec<String>| lines.into_iter().map(|l| view! { {l}<br/> }).collect_view();
    let method = view.payment_method;
    let total = quote.total.to_string();
    view! {
        <div class="review">
            <section class="review__block">
                <h2>{locale.t(Msg::ContactDetails)}" "<a class="review__edit" href="/checkout?step=details">{locale.t(Msg::Modify)}</a></h2>
                <p>{format!("{} {}", d.first_name, d.last_name)}<br/>{d.email.clone()}{d.phone.clone().map(|p| view! { <br/>{p} })}</p>
                <div class="review__addresses">
                    <div><h3>{locale.t(Msg::DeliveryAddress)}</h3><address>{lines_of(delivery)}</address></div>
                    <div><h3>{locale.t(Msg::BillingAddress)}</h3><address>{lines_of(billing)}</address></div>
                </div>
            </section>
            <section class="review__block">
                <h2>{locale.t(Msg::StepDelivery)}" "<a class="review__edit" href="/checkout?step=delivery">{locale.t(Msg::Modify)}</a></h2>
                <p>{method.map(|m| phrases::payment_method(locale, m))}</p>
            </section>
            <section class="review__block">
                <h2>{locale.t(Msg::OrderLines)}</h2>
                <table class="review__lines">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::ProductWord)}</th>
                        <th scope="col">{locale.t(Msg::QuantityWord)}</th>
                        <th scope="col">{locale.t(Msg::UnitPriceWord)}</th>
                        <th scope="col">{locale.t(Msg::VatRateWord)}</th>
                        <th scope="col">{locale.t(Msg::TotalWord)}</th>
                    </tr></thead>
                    <tbody>
                        {view.lines.iter().map(|l| view! {
                            <tr>
                                <td>
                                    {l.name.clone()}
                                    {l.every_months.map(|m| view! {
                                        <br/><small>{format!("{} · {}", locale.t(Msg::SubscriptionLine), crate::ui::phrases::every_months_lower(locale, m))}</small>
                                    })}
                                </td>
                                <td>{l.quantity}</td>
                                <td>{money(locale, l.unit_price)}</td>
                                <td>{percent(locale, l.vat_rate)}</td>
                                <td>{money(locale, l.total)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <Breakdown quote=quote.clone() locale/>
                {view.lines.iter().any(|l| l.every_months.is_some()).then(|| view! {
                    <p class="notice notice--info" data-testid="subscription-terms">{locale.t(Msg::SubscriptionReviewNote)}</p>
                })}
            </section>
            <PromoCode applied=view.promo_code.clone() error=error_for(&view.errors, "promo_code") locale/>
            {view.rewards.clone().map(|rewards| view! { <crate::rewards::pages::ReviewAdvantages rewards locale/> })}
            <ActionForm action attr:class="checkout-form review__confirm">
                <FormError error/>
                <input type="hidden" name="idempotency_key" value=view.idempotency_key.clone()/>
                <input type="hidden" name="terms_version" value=view.terms_version.clone()/>
                <input type="hidden" name="expected_total" value=total/>
                <label class="checkbox" class:field--invalid=terms_error.is_some()>
                    <input type="checkbox" name="terms" value="accepted" required=true
                        aria-describedby=terms_error.is_some().then_some("co-terms-error")/>
                    <span>
                        {locale.t(Msg::AcceptTermsBefore)}" "
                        <a href=format!("/legal/terms?version={}", view.terms_version) target="_blank" rel="noopener">{locale.t(Msg::TermsOfSale)}</a>
                        {format!(" ({} {})", locale.t(Msg::VersionWord), view.terms_version)}
                    </span>
                </label>
                {terms_error.map(|e| view! { <p class="field__error" id="co-terms-error" role="alert">{e}</p> })}
                <button class="button button--primary checkout-form__pay" type="submit">{locale.t(Msg::ProceedToPayment)}</button>
                <p class="checkout-form__hint">{locale.t(Msg::PaymentObligation)}</p>
            </ActionForm>
        </div>
    }
    .into_any()
}
