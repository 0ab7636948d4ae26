//! `/pay/demo/{id}`: the offline demo provider's hosted payment page. It stands for a real
//! provider's page: the shopper pays, declines or cancels, and is sent back to the shop while
//! the shop's webhook is notified.

use crate::cart::components::phrases;
use crate::i18n::{Msg, use_locale};
use crate::orders::api::{DemoAnswer, demo_payment};
use crate::ui::format::money;
use crate::ui::seo::PageMeta;
use crate::ui::{Loading, NotFoundPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DemoPayPage() -> impl IntoView {
    let locale = use_locale();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let payment = OnceResource::new(demo_payment(id));
    view! {
        <PageMeta title=locale.t(Msg::DemoPayTitle) description=locale.t(Msg::DemoPayTitle) path="/pay/demo" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let Ok(payment) = payment.await else {
                    return view! { <NotFoundPage/> }.into_any();
                };
                let answer = ServerAction::<DemoAnswer>::new();
                let open = payment.status == "open";
                let button = move |outcome: &'static str, label: Msg, class: &'static str, id: String| view! {
                    <ActionForm action=answer>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="outcome" value=outcome/>
                        <button class=class type="submit">{locale.t(label)}</button>
                    </ActionForm>
                };
                view! {
                    <section class="demo-pay container">
                        <div class="demo-pay__card">
                            <p class="demo-pay__brand">"Comptoir Pay"<span>{locale.t(Msg::DemoBadge)}</span></p>
                            <h1>{locale.t(Msg::DemoPayTitle)}</h1>
                            <p class="demo-pay__note">{locale.t(Msg::DemoPayNote)}</p>
                            <dl class="facts">
                                <div><dt>{locale.t(Msg::AmountWord)}</dt><dd data-testid="demo-amount">{money(locale, payment.amount)}</dd></div>
                                <div><dt>{locale.t(Msg::ReferenceWord)}</dt><dd>{payment.description.clone()}</dd></div>
                                <div><dt>{locale.t(Msg::PaymentMethodLegend)}</dt><dd>{phrases::payment_method(locale, payment.method)}</dd></div>
                            </dl>
                            {if open {
                                view! {
                                    <div class="demo-pay__actions">
                                        {payment.saves_card.then(|| view! { <p class="demo-pay__note">{locale.t(Msg::DemoSaveCard)}</p> })}
                                        {button("pay", Msg::DemoPay, "button button--primary", payment.id.clone())}
                                        {payment.saves_card.then(|| button("pay_declining", Msg::DemoPayDeclining, "button", payment.id.clone()))}
                                        {button("decline", Msg::DemoDecline, "button", payment.id.clone())}
                                        {button("cancel", Msg::DemoCancel, "button button--ghost", payment.id.clone())}
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <p class="notice">{locale.t(Msg::DemoAlreadyAnswered)}</p>
                                    <a class="button button--primary" href=payment.return_url.clone()>{locale.t(Msg::DemoBackToShop)}</a>
                                }.into_any()
                            }}
                        </div>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
