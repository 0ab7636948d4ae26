//! The customers pages: the search and one customer with export and erasure.

use super::*;

/// `/admin/customers`.
#[component]
pub fn AdminCustomersPage() -> impl IntoView {
    let locale = use_locale();
    let (q, page, erased) = use_query_map().with_untracked(|m| {
        (
            m.get("q").unwrap_or_default(),
            m.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            m.get("erased").is_some(),
        )
    });
    let list = OnceResource::new(admin_customers(q, page));
    view! {
        <PageMeta title=locale.t(Msg::AdminCustomers) description=locale.t(Msg::AdminCustomers) path="/admin/customers" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <Customers list locale erased/> }.into_any(),
                    Err(error) => super::super::gate(error, "/admin/customers"),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn Customers(
    list: CustomerList,
    locale: Locale,
    #[prop(optional)] erased: bool,
) -> impl IntoView {
    let query = {
        let q = list.q.clone();
        move |page: u64| {
            format!(
                "/admin/customers?q={}&page={page}",
                crate::ui::format::query_value(&q)
            )
        }
    };
    let previous = (list.page > 1).then(|| query(list.page - 1));
    let no_rows = list.rows.is_empty();
    let next = list.has_more.then(|| query(list.page + 1));
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminCustomers)}</h1>
            {erased.then(|| view! { <p class="notice" role="status" data-testid="guest-erased">{locale.t(Msg::AdminGuestErased)}</p> })}
            <form class="admin-filters" method="get" action="/admin/customers">
                <div class="field">
                    <label for="c-q">{locale.t(Msg::AdminCustomerSearch)}</label>
                    <input id="c-q" name="q" type="search" value=list.q.clone() autocomplete="off"/>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminFilter)}</button>
            </form>
            {no_rows.then(|| view! { <p class="account__empty">{locale.t(Msg::AdminCustomersNone)}</p> })}
            <div class="table-scroll" hidden=no_rows>
                <table class="admin-table" data-testid="admin-customers">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::AdminProductName)}</th>
                        <th scope="col">"E-mail"</th>
                        <th scope="col">{locale.t(Msg::AdminSince)}</th>
                    </tr></thead>
                    <tbody>
                        {list.rows.into_iter().map(|r| view! {
                            <tr>
                                <td><a href=format!("/admin/customers/{}", r.id)>{r.name}</a>
                                    {r.deleted.then(|| view! { " " <span class="badge">{locale.t(Msg::AdminDeletedAccount)}</span> })}
                                </td>
                                <td>{r.email}</td>
                                <td>{paris_time(locale, r.created_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pagination" aria-label=locale.t(Msg::AdminCustomers)>
                {previous.map(|href| view! { <a class="button button--small" href=href>"←"</a> })}
                {next.map(|href| view! { <a class="button button--small" href=href>"→"</a> })}
            </nav>
            {(!list.guests.is_empty()).then(|| view! { <Guests guests=list.guests locale/> })}
        </section>
    }
}

/// The guest addresses a search found, each with its export and erasure.
#[component]
fn Guests(guests: Vec<GuestRow>, locale: Locale) -> impl IntoView {
    view! {
        <h2>{locale.t(Msg::AdminGuests)}</h2>
        <p>{locale.t(Msg::AdminGuestsLead)}</p>
        <ul class="admin__list guest-list" data-testid="admin-guests">
            {guests.into_iter().enumerate().map(|(n, g)| view! { <Guest guest=g n locale/> }).collect_view()}
        </ul>
    }
}

#[component]
fn Guest(guest: GuestRow, n: usize, locale: Locale) -> impl IntoView {
    let erase = ServerAction::<EraseGuest>::new();
    let error = error_of(erase);
    let reason_id = format!("guest-reason-{n}");
    view! {
        <li class="account__panel">
            <p><strong>{guest.email.clone()}</strong></p>
            <p>
                {format!("{} {} — {} ", locale.t(Msg::AdminGuestOrders), guest.orders, locale.t(Msg::AdminGuestLastOrder))}
                {paris_time(locale, guest.last_order_at)}
            </p>
            <form method="post" action="/admin/guests/export">
                <input type="hidden" name="email" value=guest.email.clone()/>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminExportData)}</button>
            </form>
            <details class="admin-move">
                <summary>{locale.t(Msg::AdminEraseGuest)}</summary>
                <ActionForm action=erase attr:class="checkout-form">
                    <FormError error/>
                    <input type="hidden" name="email" value=guest.email.clone()/>
                    <div class="field">
                        <label for=reason_id.clone()>{locale.t(Msg::AdminDeletionReason)}</label>
                        <input id=reason_id name="reason" type="text" required=true minlength="5" maxlength="500" autocomplete="off"/>
                    </div>
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" required=true/>
                        " "{locale.t(Msg::AdminGuestErasureConfirm)}
                    </label>
                    <button class="button button--danger" type="submit">{locale.t(Msg::AdminEraseGuest)}</button>
                </ActionForm>
            </details>
        </li>
    }
}

/// `/admin/customers/{id}`.
#[component]
pub fn AdminCustomerPage() -> impl IntoView {
    let locale = use_locale();
    let raw = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let id = raw.parse::<i32>().ok();
    let customer = OnceResource::new(async move {
        match id {
            Some(id) => admin_customer(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let back = format!("/admin/customers/{raw}");
    view! {
        <PageMeta title=locale.t(Msg::AdminCustomers) description=locale.t(Msg::AdminCustomers) path=back.clone() noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    match customer.await {
                        Ok(customer) => view! { <Customer customer locale/> }.into_any(),
                        Err(error) => super::super::gate(error, &back),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub(crate) fn Customer(customer: CustomerView, locale: Locale) -> impl IntoView {
    let delete = ServerAction::<DeleteCustomer>::new();
    let error = error_of(delete);
    let objection = ServerAction::<CustomerObjection>::new();
    let objection_error = error_of(objection);
    let objected = customer.objected_at;
    let id = customer.id;
    let deletable = customer.deleted_at.is_none() && customer.role == "customer";
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/customers">{locale.t(Msg::AdminCustomers)}</a></p>
            <h1>{customer.name.clone()}</h1>
            {customer.deleted_at.map(|at| view! {
                <p class="notice" data-testid="deleted">{locale.t(Msg::AdminDeletedAccount)}" — "{paris_time(locale, at)}</p>
            })}
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{locale.t(Msg::AdminCustomer)}</h2>
                    <dl class="facts">
                        <div><dt>"E-mail"</dt><dd>{customer.email.clone()}{(!customer.verified).then(|| format!(" ({})", locale.t(Msg::AdminUnverified)))}</dd></div>
                        <div><dt>{locale.t(Msg::AdminPhone)}</dt><dd>{customer.phone.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>{locale.t(Msg::AdminSince)}</dt><dd>{paris_time(locale, customer.created_at)}</dd></div>
                        <div><dt>{locale.t(Msg::AdminLastSignIn)}</dt><dd>{customer.last_sign_in_at.map_or_else(|| "—".into(), |at| paris_time(locale, at))}</dd></div>
                        <div><dt>{locale.t(Msg::AdminRole)}</dt><dd>{customer.role.clone()}</dd></div>
                        <div><dt>{locale.t(Msg::AdminAddresses)}</dt><dd>{customer.addresses}</dd></div>
                        <div><dt>{locale.t(Msg::NewsletterTitle)}</dt><dd>{if customer.newsletter { "✓" } else { "—" }}</dd></div>
                    </dl>
                </article>
                <article class="account__panel">
                    <h2>{locale.t(Msg::AdminDataRequests)}</h2>
                    <p>{locale.t(Msg::AdminDataRequestsLead)}</p>
                    <form method="post" action=format!("/admin/customers/{id}/export")>
                        <button class="button button--small" type="submit">{locale.t(Msg::AdminExportData)}</button>
                    </form>
                    {(customer.deleted_at.is_none()).then(|| view! {
                        <details class="admin-move">
                            <summary>{locale.t(if objected.is_some() { Msg::WithdrawObjectionButton } else { Msg::ObjectionTitle })}</summary>
                            {objected.map(|at| view! { <p data-objection="on">{locale.t(Msg::ObjectionSince)}" "{paris_time(locale, at)}</p> })}
                            <ActionForm action=objection attr:class="checkout-form">
                                <FormError error=objection_error/>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <input type="hidden" name="object" value=if objected.is_some() { "no" } else { "yes" }/>
                                <div class="field">
                                    <label for="objection-reason">{locale.t(Msg::AdminDeletionReason)}</label>
                                    <input id="objection-reason" name="reason" type="text" required=true minlength="5" maxlength="500" autocomplete="off"/>
                                </div>
                                <button class="button button--small" type="submit">{locale.t(if objected.is_some() { Msg::WithdrawObjectionButton } else { Msg::ObjectButton })}</button>
                            </ActionForm>
                        </details>
                    })}
                    {deletable.then(|| view! {
                        <details class="admin-move">
                            <summary>{locale.t(Msg::AdminDeleteAccount)}</summary>
                            <ActionForm action=delete attr:class="checkout-form">
                                <FormError error/>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <div class="field">
                                    <label for="delete-reason">{locale.t(Msg::AdminDeletionReason)}</label>
                                    <input id="delete-reason" name="reason" type="text" required=true minlength="5" maxlength="500" autocomplete="off"/>
                                </div>
                                <label class="checkbox">
                                    <input type="checkbox" name="confirm" required=true/>
                                    " "{locale.t(Msg::AdminDeletionConfirm)}
                                </label>
                                <button class="button button--danger" type="submit">{locale.t(Msg::AdminDeleteAccount)}</button>
                            </ActionForm>
                        </details>
                    })}
                </article>
            </div>
            <article class="account__panel">
                <h2>{locale.t(Msg::AdminOrders)}</h2>
                {customer.orders.is_empty().then(|| view! { <p>"—"</p> })}
                <ul class="admin__list" data-testid="customer-orders">
                    {customer.orders.into_iter().map(|o| view! {
                        <li>
                            <a href=format!("/admin/orders/{}", o.number)>{o.number.clone()}</a>
                            {format!(" — {} — {} — {}", crate::orders::pages::short_date(&o.created_at, locale), locale.t(status_label(o.status)), money(locale, o.total))}
                        </li>
                    }).collect_view()}
                </ul>
            </article>
            <article class="account__panel">
                <h2>{locale.t(Msg::AdminSubscriptions)}</h2>
                {customer.subscriptions.is_empty().then(|| view! { <p>"—"</p> })}
                <ul class="admin__list">
                    {customer.subscriptions.into_iter().map(|s| view! {
                        <li>
                            {format!("{} × {} — ", s.quantity, s.product_name)}
                            {locale.t(crate::subscriptions::pages::status_label(s.status))}
                            {s.next_delivery.map(|d| format!(" — {}", d.format("%d/%m/%Y")))}
                        </li>
                    }).collect_view()}
                </ul>
            </article>
            <p><a href=format!("/admin/audit?subject=customer%3A{id}")>{locale.t(Msg::AuditTitle)}</a></p>
        </section>
    }
}
