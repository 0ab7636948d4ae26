//! `/admin/seller`: the seller's identity (name, legal form, address, registration, VAT
//! number, contact) and bank details, as invoices, credit notes, emails, order pages and
//! legal texts show them. Each field checked, saved whole, in the audit log. Documents
//! already issued keep the identity they were issued with.

use crate::error::AppError;
use crate::i18n::{Msg, use_locale};
use crate::settings::SellerForm;
use crate::ui::Loading;
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The settings page's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerPage {
    pub form: SellerForm,
    /// Still the demo brand's details (never saved).
    pub demo: bool,
}

/// The seller settings as saved (the demo brand until then).
#[server(prefix = "/api", endpoint = "admin/seller")]
pub async fn admin_seller() -> Result<SellerPage, AppError> {
    use crate::settings::service::{SELLER, get};
    let state = super::require_staff().await?;
    let saved: Option<crate::settings::SellerSettings> = get(&state.db, SELLER).await?;
    Ok(SellerPage {
        demo: saved.is_none(),
        form: SellerForm::of(&saved.unwrap_or_else(crate::settings::rules::demo)),
    })
}

/// Saves the seller settings, every field checked.
#[server(prefix = "/api", endpoint = "admin/seller/save")]
pub async fn save_seller(form: SellerForm) -> Result<(), AppError> {
    use crate::settings::service::{SELLER, put};
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let settings = crate::settings::check::check(&form)
        .map_err(|message| AppError::BadRequest(locale.t(message).to_owned()).answered())?;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    put(&txn, SELLER, &settings, now).await?;
    let s = &settings.seller;
    super::audit::record(
        &txn,
        staff.id,
        "seller.update",
        "settings:seller",
        &format!(
            "{} — {} — {} — {} — {} — {} · {} — IBAN {} BIC {}",
            s.name,
            s.legal_form,
            s.address.join(", "),
            s.registration,
            s.vat_number,
            s.email,
            s.phone,
            settings.bank.iban,
            settings.bank.bic
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/seller?saved=1");
    Ok(())
}

#[component]
fn SellerFields(form: SellerForm) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveSeller>::new();
    let error = error_of(save);
    let field = move |name: &'static str,
                      label: Msg,
                      value: String,
                      kind: &'static str,
                      autocomplete: &'static str| {
        let id = format!("seller-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{locale.t(label)}</label>
                <input id=id name=format!("form[{name}]") type=kind value=value required=true autocomplete=autocomplete/>
            </div>
        }
    };
    view! {
        <ActionForm action=save attr:class="checkout-form" attr:data-testid="seller-form">
            <FormError error/>
            {field("name", Msg::SellerName, form.name, "text", "organization")}
            {field("legal_form", Msg::SellerLegalForm, form.legal_form, "text", "off")}
            <div class="field">
                <label for="seller-address">{locale.t(Msg::SellerAddress)}</label>
                <textarea id="seller-address" name="form[address]" rows="4" required=true autocomplete="street-address">{form.address}</textarea>
            </div>
            <div class="admin-pair">
                {field("registration", Msg::SellerRegistration, form.registration, "text", "off")}
                {field("vat_number", Msg::SellerVat, form.vat_number, "text", "off")}
            </div>
            <div class="admin-pair">
                {field("email", Msg::SellerEmail, form.email, "email", "email")}
                {field("phone", Msg::SellerPhone, form.phone, "tel", "tel")}
            </div>
            <div class="admin-pair">
                {field("iban", Msg::SellerIban, form.iban, "text", "off")}
                {field("bic", Msg::SellerBic, form.bic, "text", "off")}
            </div>
            <button class="button button--primary" type="submit">{locale.t(Msg::AdminSave)}</button>
        </ActionForm>
    }
}

/// `/admin/seller`.
#[component]
pub fn AdminSellerPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(admin_seller());
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <PageMeta title=locale.t(Msg::AdminSeller) description=locale.t(Msg::AdminSellerLead) path="/admin/seller" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <section class="account container admin">
                            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                            <h1>{locale.t(Msg::AdminSeller)}</h1>
                            <p>{locale.t(Msg::AdminSellerLead)}</p>
                            {saved.then(|| view! { <p class="notice notice--info" role="status">{locale.t(Msg::AdminSaved)}</p> })}
                            {(page.demo && !saved).then(|| view! { <p class="notice notice--warning" data-testid="seller-demo">{locale.t(Msg::AdminSellerDemo)}</p> })}
                            <article class="account__panel">
                                <SellerFields form=page.form/>
                            </article>
                        </section>
                    }.into_any(),
                    Err(error) => super::gate(error, "/admin/seller"),
                }
            })}
        </Suspense>
    }
}
