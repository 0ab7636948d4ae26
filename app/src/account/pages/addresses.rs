//! `/account/addresses`: the address book (list, add, make default, delete) and
//! `/account/addresses/{id}`: one address to edit. Someone else's address is a 404.

use crate::account::api::{
    AddressDraft, DeleteAddress, SaveAddress, SetDefaultAddress, account_address,
    account_addresses, take_address_draft,
};
use crate::account::model::AddressView;
use crate::account::rules::{AddressInput, MAX_LINE_CHARS};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, t, use_locale};
use crate::pricing::Destination;
use crate::ui::forms::{FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AddressesPage() -> impl IntoView {
    let addresses = OnceResource::new(account_addresses());
    let draft = OnceResource::new(take_address_draft());
    let locale = use_locale();
    view! {
        <PageMeta title=t(Msg::AddressesTitle) description=t(Msg::AddressesText) path="/account/addresses" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten().filter(|d| d.id.is_none());
                match addresses.await {
                    Ok(addresses) => view! { <AddressBook addresses draft locale/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/addresses"/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddressBook(
    addresses: Vec<AddressView>,
    draft: Option<AddressDraft>,
    locale: Locale,
) -> impl IntoView {
    let notice = if query("saved").is_some() {
        Some(t(Msg::AddressSaved))
    } else if query("deleted").is_some() {
        Some(t(Msg::AddressDeleted))
    } else {
        None
    };
    let empty = addresses.is_empty();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{t(Msg::AccountTitle)}</a></p>
            <h1>{t(Msg::AddressesTitle)}</h1>
            {notice.map(|notice| view! { <p class="form-notice" role="status">{notice}</p> })}
            {empty.then(|| view! { <p class="account__empty">{t(Msg::AddressesEmpty)}</p> })}
            <ul class="address-book">
                {addresses
                    .into_iter()
                    .map(|address| view! { <AddressCard address locale/> })
                    .collect_view()}
            </ul>
            <article class="account__panel account__panel--form">
                <h2>{t(Msg::AddressAdd)}</h2>
                <AddressForm
                    id=None
                    input=draft.map_or_else(|| AddressInput { country: "FR".into(), ..AddressInput::default() }, |d| d.input)
                    default_box=!empty
                    locale
                />
            </article>
        </section>
    }
}

#[component]
fn AddressCard(address: AddressView, locale: Locale) -> impl IntoView {
    let make_default = ServerAction::<SetDefaultAddress>::new();
    let delete = ServerAction::<DeleteAddress>::new();
    let country = Destination::parse(&address.country)
        .map(|d| d.name(locale))
        .unwrap_or_default();
    let id = address.id.to_string();
    view! {
        <li class="address-card" class:address-card--default=address.is_default data-testid="address">
            {address.is_default.then(|| view! { <p class="address-card__badge">{t(Msg::AddressDefault)}</p> })}
            {address.label.clone().map(|label| view! { <h2 class="address-card__label">{label}</h2> })}
            <address>
                {format!("{} {}", address.first_name, address.last_name)}<br/>
                {address.company.clone().map(|c| view! { {c}<br/> })}
                {address.line1.clone()}<br/>
                {address.line2.clone().map(|l| view! { {l}<br/> })}
                {format!("{} {}", address.postal_code, address.city)}<br/>
                {country}
                {address.phone.clone().map(|p| view! { <br/>{p} })}
            </address>
            <div class="address-card__actions">
                <a class="button button--small" href=format!("/account/addresses/{}", address.id)>{t(Msg::AddressModify)}</a>
                {(!address.is_default).then(|| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=make_default>
                            <input type="hidden" name="id" value=id/>
                            <button class="button button--small" type="submit">{t(Msg::AddressMakeDefault)}</button>
                        </ActionForm>
                    }
                })}
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id/>
                    <button class="button button--small button--ghost button--danger" type="submit">{t(Msg::AddressDelete)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// The fields of an address, posted as `address[…]`.
#[component]
fn AddressForm(
    id: Option<i32>,
    input: AddressInput,
    default_box: bool,
    locale: Locale,
) -> impl IntoView {
    let action = ServerAction::<SaveAddress>::new();
    let error = error_of(action);
    let country = input.country.clone();
    let line = move |label: &'static str,
                     name: &'static str,
                     autocomplete: &'static str,
                     value: String,
                     required: bool| {
        let id = format!("field-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}{(!required).then(|| view! { <span class="field__optional">" (" {t(Msg::OptionalHint).trim_end_matches('.').to_lowercase()} ")"</span> })}</label>
                <input id=id name=format!("address[{name}]") type="text" autocomplete=autocomplete
                    required=required maxlength=MAX_LINE_CHARS.to_string() value=value/>
            </div>
        }
    };
    view! {
        <ActionForm action attr:class="auth__form address-form">
            <FormError error/>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
            {line(t(Msg::AddressLabelLabel), "label", "off", input.label.clone(), false)}
            <div class="field-row">
                {line(t(Msg::FirstNameLabel), "first_name", "given-name", input.first_name.clone(), true)}
                {line(t(Msg::LastNameLabel), "last_name", "family-name", input.last_name.clone(), true)}
            </div>
            {line(t(Msg::CompanyLabel), "company", "organization", input.company.clone(), false)}
            {line(t(Msg::Line1Label), "line1", "address-line1", input.line1.clone(), true)}
            {line(t(Msg::Line2Label), "line2", "address-line2", input.line2.clone(), false)}
            <div class="field-row">
                {line(t(Msg::PostalCodeLabel), "postal_code", "postal-code", input.postal_code.clone(), true)}
                {line(t(Msg::CityLabel), "city", "address-level2", input.city.clone(), true)}
            </div>
            <div class="field">
                <label for="field-country">{t(Msg::CountryLabel)}</label>
                <select id="field-country" name="address[country]" autocomplete="country">
                    {Destination::all()
                        .map(|d| view! {
                            <option value=d.code() selected=country.eq_ignore_ascii_case(d.code())>{d.name(locale)}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            {line(t(Msg::PhoneLabel), "phone", "tel", input.phone.clone(), false)}
            {default_box.then(|| view! {
                <label class="checkbox">
                    <input type="checkbox" name="make_default" value="on"/>
                    {t(Msg::DefaultCheckbox)}
                </label>
            })}
            <button class="button button--primary" type="submit">{t(Msg::AddressSave)}</button>
        </ActionForm>
    }
}

#[component]
pub fn AddressEditPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let address = OnceResource::new(async move {
        match id {
            Some(id) => account_address(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let draft = OnceResource::new(take_address_draft());
    let locale = use_locale();
    view! {
        <PageMeta title=t(Msg::AddressEdit) description=t(Msg::AddressesText) path="/account/addresses" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten().filter(|d| d.id.is_some() && d.id == id);
                match address.await {
                    Ok(address) => view! {
                        <section class="account container">
                            <p class="breadcrumb"><a href="/account/addresses">{t(Msg::BackToAddresses)}</a></p>
                            <h1>{t(Msg::AddressEdit)}</h1>
                            <article class="account__panel account__panel--form">
                                <AddressForm
                                    id=Some(address.id)
                                    input=draft.map_or_else(|| address.input(), |d| d.input)
                                    default_box=!address.is_default
                                    locale
                                />
                            </article>
                        </section>
                    }
                    .into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/addresses"/> }.into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
