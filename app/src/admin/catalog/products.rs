//! The product pages of the back office: the list with stock, and the editor (both languages, prices, stock movements, pictures).

use super::*;

/// `/admin/products`.
#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let locale = use_locale();
    let (q, category, status, page) = use_query_map().with_untracked(|m| {
        (
            m.get("q").unwrap_or_default(),
            m.get("category").and_then(|c| c.parse().ok()).unwrap_or(0),
            m.get("status").unwrap_or_default(),
            m.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        )
    });
    let list = OnceResource::new(admin_products(q, category, status, page));
    view! {
        <PageMeta title=locale.t(Msg::AdminCatalogue) description=locale.t(Msg::AdminCatalogue) path="/admin/products" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <Products list locale/> }.into_any(),
                    Err(error) => super::super::gate(error, "/admin/products"),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn Products(list: ProductList, locale: Locale) -> impl IntoView {
    let query = {
        let (q, category, status) = (list.q.clone(), list.category, list.status.clone());
        move |page: u64| {
            format!(
                "/admin/products?q={}&category={category}&status={status}&page={page}",
                crate::ui::format::query_value(&q)
            )
        }
    };
    let previous = (list.page > 1).then(|| query(list.page - 1));
    let next = list.has_more.then(|| query(list.page + 1));
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminCatalogue)}</h1>
            <p>
                <a class="button button--primary button--small" href="/admin/products/new">{locale.t(Msg::AdminNewProduct)}</a>" "
                <a class="button button--small" href="/admin/categories">{locale.t(Msg::AdminCategories)}</a>" "
                <a class="button button--small" href="/admin/products/export.csv" download="">{locale.t(Msg::ExportCsv)}</a>" "
                <a class="button button--small" href="/admin/products/import">{locale.t(Msg::ImportCsv)}</a>
            </p>
            <form class="admin-filters" method="get" action="/admin/products">
                <div class="field">
                    <label for="p-q">{locale.t(Msg::AdminProductSearch)}</label>
                    <input id="p-q" name="q" type="search" value=list.q.clone() autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="p-category">{locale.t(Msg::AdminCategory)}</label>
                    <select id="p-category" name="category">
                        <option value="0">{locale.t(Msg::AdminAny)}</option>
                        {list.categories.iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=*id == list.category>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="p-status">{locale.t(Msg::StatusWord)}</label>
                    <select id="p-status" name="status">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        <option value="active" selected=list.status == "active">{locale.t(Msg::AdminOnSale)}</option>
                        <option value="archived" selected=list.status == "archived">{locale.t(Msg::AdminArchived)}</option>
                        <option value="low" selected=list.status == "low">{locale.t(Msg::AdminLowStock)}</option>
                    </select>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminFilter)}</button>
            </form>
            {list.rows.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::AdminProductsNone)}</p> })}
            <div class="table-scroll">
                <table class="admin-table" data-testid="admin-products">
                    <thead><tr>
                        <th scope="col">"SKU"</th>
                        <th scope="col">{locale.t(Msg::AdminProductName)}</th>
                        <th scope="col">{locale.t(Msg::AdminCategory)}</th>
                        <th scope="col" class="admin-table__number">{locale.t(Msg::AdminPrice)}</th>
                        <th scope="col" class="admin-table__number">{locale.t(Msg::AdminStock)}</th>
                        <th scope="col">{locale.t(Msg::StatusWord)}</th>
                    </tr></thead>
                    <tbody>
                        {list.rows.into_iter().map(|r| view! {
                            <tr>
                                <td><code>{r.sku}</code></td>
                                <td><a href=format!("/admin/products/{}", r.id)>{r.name}</a></td>
                                <td>{r.category}</td>
                                <td class="admin-table__number">{money(locale, r.price)}</td>
                                <td class="admin-table__number" class:admin-table__low={r.stock <= super::super::LOW_STOCK}>{r.stock}</td>
                                <td>{if r.active {
                                    view! { <span class="badge badge--ok">{locale.t(Msg::AdminOnSale)}</span> }.into_any()
                                } else {
                                    view! { <span class="badge">{locale.t(Msg::AdminArchived)}</span> }.into_any()
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pagination" aria-label=locale.t(Msg::AdminCatalogue)>
                {previous.map(|href| view! { <a class="button button--small" href=href>"←"</a> })}
                {next.map(|href| view! { <a class="button button--small" href=href>"→"</a> })}
            </nav>
        </section>
    }
}

/// `/admin/products/{id}` (`new`: a blank form).
#[component]
pub fn AdminProductPage() -> impl IntoView {
    let locale = use_locale();
    let raw = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let variant_of = use_query_map().with_untracked(|q| {
        q.get("variant_of")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let id = if raw == "new" {
        Some(0)
    } else {
        raw.parse::<i32>().ok().filter(|id| *id > 0)
    };
    let editor = OnceResource::new(async move {
        match id {
            Some(id) => product_editor(id, variant_of).await,
            None => Err(AppError::NotFound),
        }
    });
    let back = format!("/admin/products/{raw}");
    view! {
        <PageMeta title=locale.t(Msg::AdminCatalogue) description=locale.t(Msg::AdminCatalogue) path=back.clone() noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    match editor.await {
                        Ok(editor) => view! { <Editor editor locale/> }.into_any(),
                        Err(error) => super::super::gate(error, &back),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub(super) fn TextPair(
    locale: Locale,
    label: Msg,
    name: &'static str,
    fr: String,
    en: String,
    #[prop(optional)] long: bool,
) -> impl IntoView {
    let field = |lang: &'static str, value: String| {
        let id = format!("product-{name}-{lang}");
        let input_name = format!("form[{name}_{lang}]");
        let label = format!("{} ({})", locale.t(label), lang.to_uppercase());
        if long {
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <textarea id=id name=input_name rows="5">{value}</textarea>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <input id=id name=input_name type="text" value=value/>
                </div>
            }
            .into_any()
        }
    };
    view! { <div class="admin-pair">{field("fr", fr)}{field("en", en)}</div> }
}

#[component]
pub(super) fn Editor(editor: ProductEditorView, locale: Locale) -> impl IntoView {
    let save = ServerAction::<SaveProduct>::new();
    let status = ServerAction::<SetProductStatus>::new();
    let stock = ServerAction::<AdjustStock>::new();
    let save_error = error_of(save);
    let status_error = error_of(status);
    let stock_error = error_of(stock);
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let f = editor.form.clone();
    let new = f.id == 0;
    // A size other than the first: only what is sold per size is edited here.
    let sized = editor.first.is_some();
    let title = match (&editor.first, new) {
        (Some(_), _) => format!(
            "{} — {}",
            f.name_fr,
            if new {
                locale.t(Msg::AdminAddVariant).to_owned()
            } else {
                f.variant_label_fr.clone()
            }
        ),
        (None, true) => locale.t(Msg::AdminNewProduct).to_owned(),
        (None, false) => f.name_fr.clone(),
    };
    let shared = move |view: AnyView| if sized { None } else { Some(view) };
    let hidden_shared = sized.then(|| {
        let pairs = [
            ("name_fr", f.name_fr.clone()),
            ("name_en", f.name_en.clone()),
            ("category_id", f.category_id.to_string()),
            ("kind", f.kind.clone()),
            ("vat_rate_bp", f.vat_rate_bp.to_string()),
            ("net_unit", f.net_unit.clone()),
            ("lead_time_days", f.lead_time_days.clone()),
        ];
        pairs
            .into_iter()
            .map(|(name, value)| view! { <input type="hidden" name=format!("form[{name}]") value=value/> })
            .collect_view()
    });
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/products">{locale.t(Msg::AdminCatalogue)}</a></p>
            {editor.first.clone().map(|(id, name)| view! {
                <p class="eyebrow">{locale.t(Msg::AdminVariantOf)}" "<a href=format!("/admin/products/{id}")>{name}</a></p>
            })}
            <h1>{title}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{locale.t(Msg::AdminSaved)}</p> })}
            {(!new).then(|| view! {
                <p>
                    {if editor.active {
                        view! { <span class="badge badge--ok">{locale.t(Msg::AdminOnSale)}</span> }.into_any()
                    } else {
                        view! { <span class="badge">{locale.t(Msg::AdminArchived)}</span> }.into_any()
                    }}
                    " "{editor.slug_on_sale.clone().map(|slug| view! { <a href=format!("/products/{slug}")>{locale.t(Msg::AdminSeeInShop)}</a> })}
                </p>
            })}
            <div class="admin-columns">
                <ActionForm action=save attr:class="checkout-form admin-form" attr:data-testid="product-form">
                    <FormError error=save_error/>
                    <input type="hidden" name="form[id]" value=f.id.to_string()/>
                    <input type="hidden" name="form[variant_of]" value=f.variant_of.to_string()/>
                    {hidden_shared}
                    {shared(view! { <TextPair locale label=Msg::AdminProductName name="name" fr=f.name_fr.clone() en=f.name_en.clone()/> }.into_any())}
                    <div class="admin-pair">
                        <div class="field">
                            <label for="product-sku">"SKU"</label>
                            <input id="product-sku" name="form[sku]" type="text" required=true value=f.sku.clone() autocomplete="off"/>
                        </div>
                        {shared(view! {
                            <div class="field">
                                <label for="product-slug">{locale.t(Msg::AdminSlug)}</label>
                                <input id="product-slug" name="form[slug]" type="text" value=f.slug.clone() autocomplete="off"/>
                            </div>
                        }.into_any())}
                    </div>
                    <div class="admin-pair">
                        <div class="field">
                            <label for="product-variant-code">{locale.t(Msg::AdminVariantCode)}</label>
                            <input id="product-variant-code" name="form[variant_code]" type="text" value=f.variant_code.clone() autocomplete="off" placeholder="50ml"/>
                        </div>
                    </div>
                    <TextPair locale label=Msg::AdminVariantLabel name="variant_label" fr=f.variant_label_fr.clone() en=f.variant_label_en.clone()/>
                    {shared(view! { <div class="admin-pair">
                        <div class="field">
                            <label for="product-category">{locale.t(Msg::AdminCategory)}</label>
                            <select id="product-category" name="form[category_id]">
                                {editor.categories.iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=*id == f.category_id>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="product-kind">{locale.t(Msg::AdminKind)}</label>
                            <select id="product-kind" name="form[kind]">
                                <option value="supplement" selected=f.kind == "supplement">{locale.t(Msg::AdminKindSupplement)}</option>
                                <option value="cosmetic" selected=f.kind == "cosmetic">{locale.t(Msg::AdminKindCosmetic)}</option>
                            </select>
                        </div>
                    </div> }.into_any())}
                    <div class="admin-pair">
                        <div class="field">
                            <label for="product-price">{locale.t(Msg::AdminPriceInclVat)}</label>
                            <input id="product-price" name="form[price]" type="text" inputmode="decimal" required=true value=f.price.clone() autocomplete="off"/>
                        </div>
                        {shared(view! {
                        <div class="field">
                            <label for="product-vat">{locale.t(Msg::AdminVatRate)}</label>
                            <select id="product-vat" name="form[vat_rate_bp]">
                                {VAT_RATES_BP.into_iter().map(|bp| view! {
                                    <option value=bp.to_string() selected=bp == f.vat_rate_bp>
                                        {crate::ui::format::percent(locale, crate::money::from_basis_points(bp))}
                                    </option>
                                }).collect_view()}
                            </select>
                        </div> }.into_any())}
                    </div>
                    <div class="admin-pair">
                        <div class="field">
                            <label for="product-net">{locale.t(Msg::AdminNetQuantity)}</label>
                            <input id="product-net" name="form[net_quantity]" type="text" inputmode="numeric" required=true value=f.net_quantity.clone()/>
                        </div>
                        {shared(view! {
                        <div class="field">
                            <label for="product-unit">{locale.t(Msg::AdminNetUnit)}</label>
                            <select id="product-unit" name="form[net_unit]">
                                <option value="g" selected=f.net_unit == "g">"g"</option>
                                <option value="ml" selected=f.net_unit == "ml">"ml"</option>
                            </select>
                        </div> }.into_any())}
                    </div>
                    <div class="admin-pair">
                        {shared(view! {
                        <div class="field">
                            <label for="product-lead">{locale.t(Msg::AdminLeadTime)}</label>
                            <input id="product-lead" name="form[lead_time_days]" type="text" inputmode="numeric" value=f.lead_time_days.clone()/>
                        </div> }.into_any())}
                        <div class="field">
                            <label for="product-weight">{locale.t(Msg::AdminWeight)}</label>
                            <input id="product-weight" name="form[shipping_weight_grams]" type="text" inputmode="numeric" value=f.shipping_weight_grams.clone()/>
                        </div>
                    </div>
                    <div class="admin-pair">
                        <div class="field">
                            <label for="product-months">{locale.t(Msg::AdminSubscriptionMonths)}</label>
                            <input id="product-months" name="form[subscription_months]" type="text" value=f.subscription_months.clone() placeholder="1,2,3"/>
                        </div>
                        {new.then(|| view! {
                            <div class="field">
                                <label for="product-stock">{locale.t(Msg::AdminInitialStock)}</label>
                                <input id="product-stock" name="form[stock]" type="text" inputmode="numeric" value=f.stock.clone()/>
                            </div>
                        })}
                    </div>
                    {shared(view! {
                    <label class="checkbox">
                        <input type="checkbox" name="form[featured]" checked=f.featured.is_some()/>
                        " "{locale.t(Msg::AdminFeatured)}
                    </label>
                    <TextPair locale label=Msg::AdminSummary name="summary" fr=f.summary_fr.clone() en=f.summary_en.clone()/>
                    <TextPair locale label=Msg::AdminDescription name="description" fr=f.description_fr.clone() en=f.description_en.clone() long=true/>
                    <TextPair locale label=Msg::AdminComposition name="composition" fr=f.composition_fr.clone() en=f.composition_en.clone() long=true/>
                    <TextPair locale label=Msg::AdminUsage name="usage" fr=f.usage_fr.clone() en=f.usage_en.clone() long=true/>
                    }.into_any())}
                    <button class="button button--primary" type="submit">{locale.t(Msg::AdminSave)}</button>
                </ActionForm>
                {(!new).then(|| {
                    let stock_id = f.id.to_string();
                    let status_id = f.id.to_string();
                    let next_status = if editor.active { "archived" } else { "active" };
                    view! {
                        <aside class="admin-side">
                            <Variants variants=editor.variants.clone() current=f.id first=editor.first.as_ref().map_or(f.id, |(id, _)| *id) locale/>
                            {(!sized).then(|| view! {
                            <article class="account__panel">
                                <h2>{locale.t(Msg::AdminPicture)}</h2>
                                <img class="admin-picture" src=editor.image.clone() alt="" width="240" height="240"/>
                                {editor.image_error.clone().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                                <form method="post" enctype="multipart/form-data" action=format!("/admin/products/{}/image", f.id)>
                                    <div class="field">
                                        <label for="product-image">{locale.t(Msg::AdminPictureUpload)}</label>
                                        <input id="product-image" name=IMAGE_FIELD type="file" accept="image/jpeg,image/png,image/webp,image/avif" required=true/>
                                    </div>
                                    <button class="button button--small" type="submit">{locale.t(Msg::AdminPictureSend)}</button>
                                </form>
                            </article>
                            })}
                            <article class="account__panel" data-testid="stock-panel">
                                <h2>{locale.t(Msg::AdminStock)}{locale.colon()}<span data-testid="stock">{editor.stock}</span></h2>
                                {(editor.waiting_alerts > 0).then(|| view! {
                                    <p class="form-notice" data-testid="waiting-alerts">
                                        {locale.t(Msg::AdminWaitingAlerts).replace("{n}", &editor.waiting_alerts.to_string())}
                                    </p>
                                })}
                                <ActionForm action=stock attr:class="checkout-form">
                                    <FormError error=stock_error/>
                                    <input type="hidden" name="id" value=stock_id/>
                                    <div class="field">
                                        <label for="stock-delta">{locale.t(Msg::AdminStockDelta)}</label>
                                        <input id="stock-delta" name="delta" type="text" inputmode="numeric" required=true placeholder="+24 / -2" autocomplete="off"/>
                                    </div>
                                    <div class="field">
                                        <label for="stock-reason">{locale.t(Msg::AdminStockReason)}</label>
                                        <input id="stock-reason" name="reason" type="text" required=true maxlength="200" autocomplete="off"/>
                                    </div>
                                    <button class="button button--small" type="submit">{locale.t(Msg::AdminStockApply)}</button>
                                </ActionForm>
                                <ul class="admin__list" data-testid="movements">
                                    {editor.movements.clone().into_iter().map(|m| view! {
                                        <li>
                                            {paris_time(locale, m.at)}" — "<strong>{format!("{:+}", m.delta)}</strong>
                                            {format!(" → {} — {} — {}", m.stock_after, m.reason, m.actor)}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </article>
                            <article class="account__panel" data-testid="price-history">
                                <h2>{locale.t(Msg::AdminPriceHistory)}</h2>
                                <p class="field__hint">{locale.t(Msg::AdminPriceHistoryLead)}</p>
                                {editor.sale.clone().map(|(name, price)| view! {
                                    <p class="notice notice--info" data-testid="on-sale">
                                        {locale.t(Msg::AdminReduced)}{locale.colon()}<a href="/admin/sales">{name}</a>
                                        " — "{locale.t(Msg::AdminPriceInForce)}{locale.colon()}<strong>{crate::ui::format::money(locale, price)}</strong>
                                    </p>
                                })}
                                {editor.reference_price.map(|p| view! {
                                    <p>{locale.t(Msg::AdminReferencePrice)}{locale.colon()}<strong data-testid="reference-price">{crate::ui::format::money(locale, p)}</strong></p>
                                })}
                                <ul class="admin__list">
                                    {editor.prices.clone().into_iter().map(|(since, price)| view! {
                                        <li>{paris_time(locale, since)}" — "<strong>{crate::ui::format::money(locale, price)}</strong></li>
                                    }).collect_view()}
                                </ul>
                            </article>
                            <article class="account__panel">
                                <FormError error=status_error/>
                                <ActionForm action=status>
                                    <input type="hidden" name="id" value=status_id/>
                                    <input type="hidden" name="status" value=next_status/>
                                    <button class="button button--small" type="submit">
                                        {locale.t(if editor.active { Msg::AdminArchive } else { Msg::AdminRestore })}
                                    </button>
                                </ActionForm>
                            </article>
                        </aside>
                    }
                })}
            </div>
        </section>
    }
}

/// The product's sizes, each a link to its editor, and the way to add one.
#[component]
fn Variants(variants: Vec<VariantRow>, current: i32, first: i32, locale: Locale) -> impl IntoView {
    view! {
        <article class="account__panel" data-testid="variants">
            <h2>{locale.t(Msg::AdminVariants)}</h2>
            <p class="field__hint">{locale.t(Msg::AdminVariantsLead)}</p>
            <ul class="admin__list">
                {variants.into_iter().map(|v| {
                    let name = if v.label.is_empty() { v.code.clone() } else { v.label.clone() };
                    view! {
                        <li>
                            {if v.id == current {
                                view! { <strong aria-current="page">{name}</strong> }.into_any()
                            } else {
                                view! { <a href=format!("/admin/products/{}", v.id)>{name}</a> }.into_any()
                            }}
                            {format!(" — {} — {} — {} {}", v.sku, crate::ui::format::money(locale, v.price), locale.t(Msg::AdminStock), v.stock)}
                            {(!v.active).then(|| view! { " "<span class="badge">{locale.t(Msg::AdminArchived)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(first > 0).then(|| view! {
                <p><a class="button button--small" href=format!("/admin/products/new?variant_of={first}")>{locale.t(Msg::AdminAddVariant)}</a></p>
            })}
        </article>
    }
}
