//! The pages: the filtered list and one order with the moves its status allows.

use super::*;

/// The form that marks a line unavailable, with the date it is expected.
#[component]
pub(super) fn MarkUnavailable(
    lines: Vec<crate::orders::model::OrderLineView>,
    number: String,
    locale: Locale,
) -> impl IntoView {
    let mark = ServerAction::<MarkUnavailable>::new();
    let error = error_of(mark);
    view! {
        <details class="admin-move" data-testid="unavailable-form">
            <summary>{locale.t(Msg::UnavailableMark)}</summary>
            <ActionForm action=mark>
                <FormError error/>
                <p>{locale.t(Msg::UnavailableMarkLead)}</p>
                <input type="hidden" name="number" value=number/>
                <div class="field">
                    <label for="unavailable-line">{locale.t(Msg::UnavailableLine)}</label>
                    <select id="unavailable-line" name="line_id" required=true>
                        {lines.into_iter().filter(|l| l.quantity > l.returned).map(|l| view! {
                            <option value=l.line_id.to_string()>{l.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="unavailable-date">{locale.t(Msg::UnavailableExpected)}</label>
                    <input id="unavailable-date" name="expected_on" type="date" required=true/>
                </div>
                <button class="button" type="submit">{locale.t(Msg::UnavailableMark)}</button>
            </ActionForm>
        </details>
    }
}

pub(super) fn status_class(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::OnHold
        | OrderStatus::Paid
        | OrderStatus::Preparing
        | OrderStatus::Withdrawn => "badge badge--warn",
        OrderStatus::Shipped | OrderStatus::Delivered => "badge badge--ok",
        _ => "badge",
    }
}

/// `/admin/orders`.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let locale = use_locale();
    let filter = use_query_map().with_untracked(|q| OrderFilter {
        status: q.get("status").unwrap_or_default(),
        from: q.get("from").unwrap_or_default(),
        to: q.get("to").unwrap_or_default(),
        method: q.get("method").unwrap_or_default(),
        destination: q.get("destination").unwrap_or_default(),
        q: q.get("q").unwrap_or_default(),
        page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    });
    let list = OnceResource::new(admin_orders(filter));
    view! {
        <PageMeta title=locale.t(Msg::AdminOrders) description=locale.t(Msg::AdminOrdersLead) path="/admin/orders" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <OrderList list locale/> }.into_any(),
                    Err(error) => super::super::gate(error, "/admin/orders"),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn OrderList(list: AdminOrderList, locale: Locale) -> impl IntoView {
    let AdminOrderList {
        rows,
        filter,
        has_more,
    } = list;
    let previous = (filter.page > 1).then(|| filter.query(filter.page - 1));
    let next = has_more.then(|| filter.query(filter.page + 1));
    let selected = |current: &str, value: &str| current == value;
    // The export takes the list's filter, every page of it.
    let export = filter
        .query(1)
        .replacen("/admin/orders", "/admin/orders/export.csv", 1);
    let slips = filter
        .query(1)
        .replacen("/admin/orders", "/admin/orders/slips.pdf", 1);
    let export_lines = format!(
        "{export}{}per=line",
        if export.contains('?') { '&' } else { '?' }
    );
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminOrders)}</h1>
            <p class="admin-exports">
                <a class="button button--small" href=export download="" data-testid="orders-export">{locale.t(Msg::ExportOrdersCsv)}</a>" "
                <a class="button button--small" href=export_lines download="">{locale.t(Msg::ExportLinesCsv)}</a>" "
                <a class="button button--small" href=slips target="_blank" data-testid="orders-slips">{locale.t(Msg::PrintSlips)}</a>
            </p>
            <form class="admin-filters" method="get" action="/admin/orders">
                <div class="field">
                    <label for="f-q">{locale.t(Msg::AdminOrderSearch)}</label>
                    <input id="f-q" name="q" type="search" value=filter.q.clone() autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="f-status">{locale.t(Msg::StatusWord)}</label>
                    <select id="f-status" name="status">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        <option value="action" selected=selected(&filter.status, "action")>{locale.t(Msg::AdminAwaitingAction)}</option>
                        {OrderStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=selected(&filter.status, s.code())>{locale.t(status_label(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-from">{locale.t(Msg::AdminFrom)}</label>
                    <input id="f-from" name="from" type="date" value=filter.from.clone()/>
                </div>
                <div class="field">
                    <label for="f-to">{locale.t(Msg::AdminTo)}</label>
                    <input id="f-to" name="to" type="date" value=filter.to.clone()/>
                </div>
                <div class="field">
                    <label for="f-method">{locale.t(Msg::PaymentMethodLegend)}</label>
                    <select id="f-method" name="method">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        {PaymentMethod::ALL.into_iter().map(|m| view! {
                            <option value=m.code() selected=selected(&filter.method, m.code())>{phrases::payment_method(locale, m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-destination">{locale.t(Msg::AdminDestination)}</label>
                    <select id="f-destination" name="destination">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        {[
                            ("metropolitan", Msg::RegionMetropolitan),
                            ("overseas", Msg::RegionOverseas),
                            ("eu", Msg::RegionEu),
                            ("world", Msg::RegionWorld),
                        ].into_iter().map(|(code, label)| view! {
                            <option value=code selected=selected(&filter.destination, code)>{locale.t(label)}</option>
                        }).collect_view()}
                        {Destination::all().filter(|d| d.region() != Region::MetropolitanFrance).map(|d| view! {
                            <option value=d.code() selected=selected(&filter.destination, d.code())>{d.name(locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminFilter)}</button>
                <a class="button button--small button--ghost" href="/admin/orders">{locale.t(Msg::AdminFilterClear)}</a>
            </form>
            {rows.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::AdminOrdersNone)}</p> })}
            <div class="table-scroll">
                <table class="admin-table" data-testid="admin-orders">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::OrderWord)}</th>
                        <th scope="col">{locale.t(Msg::AdminDate)}</th>
                        <th scope="col">{locale.t(Msg::AdminCustomer)}</th>
                        <th scope="col">{locale.t(Msg::AdminDestination)}</th>
                        <th scope="col">{locale.t(Msg::PaymentMethodLegend)}</th>
                        <th scope="col">{locale.t(Msg::StatusWord)}</th>
                        <th scope="col" class="admin-table__number">{locale.t(Msg::TotalWord)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let destination = Destination::parse(&r.destination).map_or_else(|| r.destination.clone(), |d| d.name(locale).to_owned());
                            view! {
                                <tr>
                                    <td><a href=format!("/admin/orders/{}", r.number)><strong>{r.number.clone()}</strong></a></td>
                                    <td>{paris_time(locale, r.created_at)}</td>
                                    <td>{r.name}<br/><small>{r.email}</small></td>
                                    <td>{destination}</td>
                                    <td>{phrases::payment_method(locale, r.method)}</td>
                                    <td><span class=status_class(r.status)>{locale.t(status_label(r.status))}</span></td>
                                    <td class="admin-table__number">{money(locale, r.total)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pagination" aria-label=locale.t(Msg::AdminOrders)>
                {previous.map(|href| view! { <a class="button button--small" href=href>"←"</a> })}
                {next.map(|href| view! { <a class="button button--small" href=href>"→"</a> })}
            </nav>
        </section>
    }
}

/// `/admin/orders/{number}`.
#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let locale = use_locale();
    let number = use_params_map().with_untracked(|p| p.get("number").unwrap_or_default());
    let order = OnceResource::new(admin_order(number.clone()));
    let back = format!("/admin/orders/{number}");
    view! {
        <PageMeta title=format!("{} {number}", locale.t(Msg::OrderWord)) description=locale.t(Msg::AdminOrders) path=back.clone() noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    match order.await {
                        Ok(order) => view! { <OrderDetail order locale/> }.into_any(),
                        Err(error) => super::super::gate(error, &back),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub(super) fn OrderDetail(order: StaffOrderView, locale: Locale) -> impl IntoView {
    let StaffOrderView {
        order,
        customer,
        events,
        moves,
        move_key,
        audit,
    } = order;
    let action = ServerAction::<MoveOrder>::new();
    let error = error_of(action);
    let number = order.number.clone();
    let delivery_country = Destination::parse(&order.delivery.country).map_or_else(
        || order.delivery.country.clone(),
        |d| d.name(locale).to_owned(),
    );
    let delivery = order.delivery.lines(&delivery_country);
    let move_form = |m: StaffMove| {
        let number = number.clone();
        let key = move_key.clone();
        match m {
            StaffMove::Ship => view! {
                <ActionForm action attr:class="admin-move admin-move--ship" attr:data-testid="ship-form">
                    <input type="hidden" name="number" value=number/>
                    <input type="hidden" name="action" value="ship"/>
                    <input type="hidden" name="idempotency_key" value=key/>
                    <div class="field">
                        <label for="ship-carrier">{locale.t(Msg::AdminCarrier)}</label>
                        <select id="ship-carrier" name="carrier" required=true>
                            {Carrier::ALL.into_iter().map(|c| view! {
                                <option value=c.code()>{c.name().unwrap_or(locale.t(Msg::AdminCarrierOther))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="ship-number">{locale.t(Msg::AdminTrackingNumber)}</label>
                        <input id="ship-number" name="tracking_number" type="text" required=true minlength="6" maxlength="60" autocomplete="off"/>
                    </div>
                    <button class="button button--primary" type="submit">{locale.t(Msg::AdminMoveShip)}</button>
                </ActionForm>
            }.into_any(),
            StaffMove::Cancel | StaffMove::Refuse => {
                let (id, label, lead) = if m == StaffMove::Cancel {
                    ("cancel-reason", Msg::AdminMoveCancel, Msg::AdminCancelLead)
                } else {
                    ("refuse-reason", Msg::AdminMoveRefuse, Msg::AdminRefuseLead)
                };
                view! {
                    <details class="admin-move">
                        <summary>{locale.t(label)}</summary>
                        <ActionForm action>
                            <p>{locale.t(lead)}</p>
                            <input type="hidden" name="number" value=number/>
                            <input type="hidden" name="action" value=m.code()/>
                            <input type="hidden" name="idempotency_key" value=key/>
                            <div class="field">
                                <label for=id>{locale.t(Msg::AdminCancelReason)}</label>
                                <input id=id name="reason" type="text" required=true minlength="5" maxlength="500" autocomplete="off"/>
                            </div>
                            <button class="button button--danger" type="submit">{locale.t(label)}</button>
                        </ActionForm>
                    </details>
                }.into_any()
            }
            StaffMove::AcceptPayment => view! {
                <ActionForm action attr:class="admin-move">
                    <p>{locale.t(Msg::AdminHeldLead)}</p>
                    <input type="hidden" name="number" value=number/>
                    <input type="hidden" name="action" value=m.code()/>
                    <input type="hidden" name="idempotency_key" value=key/>
                    <button class="button button--primary" type="submit">{locale.t(Msg::AdminMoveAcceptPayment)}</button>
                </ActionForm>
            }.into_any(),
            StaffMove::Prepare | StaffMove::Deliver => {
                let label = if m == StaffMove::Prepare { Msg::AdminMovePrepare } else { Msg::AdminMoveDeliver };
                view! {
                    <ActionForm action attr:class="admin-move">
                        <input type="hidden" name="number" value=number/>
                        <input type="hidden" name="action" value=m.code()/>
                        <input type="hidden" name="idempotency_key" value=key/>
                        <button class="button button--primary" type="submit">{locale.t(label)}</button>
                    </ActionForm>
                }.into_any()
            }
        }
    };
    view! {
        <section class="account container admin" data-status=order.status.code()>
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/orders">{locale.t(Msg::AdminOrders)}</a></p>
            <h1>{format!("{} {}", locale.t(Msg::OrderWord), order.number)}</h1>
            <p>
                <span class=status_class(order.status) data-testid="admin-order-status">{locale.t(status_label(order.status))}</span>
                " · "{crate::orders::pages::short_date(&order.created_at, locale)}
                " · "{phrases::payment_method(locale, order.payment_method)}
                " · "<strong>{money(locale, order.total)}</strong>
            </p>
            <p>
                <a class="button button--small" href=format!("/admin/orders/{}/slip.pdf", order.number) target="_blank" data-testid="order-slip">{locale.t(Msg::PrintSlip)}</a>
            </p>
            <FormError error/>
            {(!moves.is_empty()).then(|| view! {
                <div class="admin-moves" data-testid="moves">
                    {moves.into_iter().map(move_form).collect_view()}
                </div>
            })}
            {order.can_record_payment.then(|| {
                let record = ServerAction::<crate::orders::api::RecordPayment>::new();
                let number = order.number.clone();
                view! {
                    <ActionForm action=record attr:class="admin-move">
                        <input type="hidden" name="number" value=number/>
                        <button class="button" type="submit">{locale.t(Msg::RecordPayment)}</button>
                    </ActionForm>
                }
            })}
            {order.tracking.clone().map(|parcel| view! { <crate::orders::pages::order::Parcel parcel locale/> })}
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{locale.t(Msg::AdminCustomer)}</h2>
                    <p>
                        {customer.map(|(id, name)| view! { <a href=format!("/admin/customers/{id}")>{name}</a><br/> })}
                        {order.email.clone()}
                    </p>
                    <h3>{locale.t(Msg::DeliveryAddress)}</h3>
                    <address>{delivery.into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
                    <p>
                        <a href=format!("/orders/{}{}", order.number, order.link_query)>{locale.t(Msg::AdminCustomerView)}</a>
                        {order.invoice_number.clone().map(|n| view! {
                            " · "<a href=format!("/orders/{}/invoice.pdf{}", order.number, order.link_query)>{format!("{} {n}", locale.t(Msg::InvoiceWord))}</a>
                        })}
                    </p>
                </article>
                <article class="account__panel">
                    <h2>{locale.t(Msg::OrderLines)}</h2>
                    <ul class="summary-lines">
                        {order.lines.iter().map(|l| view! {
                            <li class="summary-line summary-line--plain">
                                <span class="summary-line__name">
                                    {l.name.clone()}" "<small>{l.sku.clone()}</small>
                                    <span class="summary-line__quantity">{format!("{} × {}", l.quantity, money(locale, l.unit_price))}</span>
                                    {(l.returned > 0).then(|| view! { <span class="summary-line__quantity">{format!("{}{}{}", locale.t(Msg::ReturnedWord), locale.colon(), l.returned)}</span> })}
                                </span>
                                <span class="summary-line__total">{money(locale, l.total)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(!order.unavailable.is_empty()).then(|| view! {
                        <ul class="order__history" data-testid="admin-unavailable">
                            {order.unavailable.iter().map(|u| view! {
                                <li>{crate::orders::pages::order::unavailable_text(u, locale)}</li>
                            }).collect_view()}
                        </ul>
                    })}
                    {matches!(order.status, OrderStatus::Paid | OrderStatus::Preparing).then(|| view! {
                        <MarkUnavailable lines=order.lines.clone() number=order.number.clone() locale/>
                    })}
                    <p>{locale.t(Msg::ShippingLabel)}{locale.colon()}{money(locale, order.shipping)}</p>
                    {crate::orders::pages::order::deliver_by(&order, locale).map(|text| view! { <p data-testid="delivery-due">{text}</p> })}
                    {order.late.then(|| view! { <p><strong class="badge badge--alert" data-testid="late">{locale.t(Msg::LateTitle)}</strong></p> })}
                </article>
            </div>
            <article class="account__panel">
                <h2>{locale.t(Msg::OrderHistory)}</h2>
                <ol class="order__history" data-testid="admin-history">
                    {events.into_iter().map(|e| view! {
                        <li>
                            {paris_time(locale, e.at)}" — "
                            <strong>{locale.t(status_label(e.to))}</strong>
                            " — "{e.actor}
                            {e.note.map(|n| format!(" — {n}"))}
                        </li>
                    }).collect_view()}
                </ol>
            </article>
            {(!order.refunds.is_empty() || order.refundable.is_some()).then(|| view! {
                <crate::orders::pages::order::Refunds refunds=order.refunds.clone() refundable=order.refundable lines=order.lines.clone() number=order.number.clone() key=order.refund_key.clone() locale/>
            })}
            <article class="account__panel">
                <h2>{locale.t(Msg::AuditTitle)}</h2>
                <AuditTable entries=audit/>
            </article>
        </section>
    }
}
