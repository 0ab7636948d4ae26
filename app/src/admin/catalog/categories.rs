//! The categories page of the back office.

use super::*;

/// `/admin/categories`.
#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(admin_categories());
    view! {
        <PageMeta title=locale.t(Msg::AdminCategories) description=locale.t(Msg::AdminCategories) path="/admin/categories" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <Categories rows locale/> }.into_any(),
                    Err(error) => super::super::gate(error, "/admin/categories"),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn CategoryFields(c: CategoryForm, locale: Locale) -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let error = error_of(save);
    let key = if c.id == 0 {
        "new".to_owned()
    } else {
        c.id.to_string()
    };
    let id = move |field: &str| format!("category-{key}-{field}");
    view! {
        <ActionForm action=save attr:class="checkout-form admin-category">
            <FormError error/>
            <input type="hidden" name="category[id]" value=c.id.to_string()/>
            <div class="admin-pair">
                <div class="field">
                    <label for=id("name_fr")>{locale.t(Msg::AdminProductName)}" (FR)"</label>
                    <input id=id("name_fr") name="category[name_fr]" type="text" required=true value=c.name_fr.clone()/>
                </div>
                <div class="field">
                    <label for=id("name_en")>{locale.t(Msg::AdminProductName)}" (EN)"</label>
                    <input id=id("name_en") name="category[name_en]" type="text" value=c.name_en.clone()/>
                </div>
            </div>
            <div class="admin-pair">
                <div class="field">
                    <label for=id("slug")>{locale.t(Msg::AdminSlug)}</label>
                    <input id=id("slug") name="category[slug]" type="text" value=c.slug.clone()/>
                </div>
                <div class="field">
                    <label for=id("position")>{locale.t(Msg::AdminPosition)}</label>
                    <input id=id("position") name="category[position]" type="number" min="0" max="999" value=c.position.to_string()/>
                </div>
            </div>
            <div class="admin-pair">
                <div class="field">
                    <label for=id("description_fr")>{locale.t(Msg::AdminDescription)}" (FR)"</label>
                    <textarea id=id("description_fr") name="category[description_fr]" rows="2">{c.description_fr.clone()}</textarea>
                </div>
                <div class="field">
                    <label for=id("description_en")>{locale.t(Msg::AdminDescription)}" (EN)"</label>
                    <textarea id=id("description_en") name="category[description_en]" rows="2">{c.description_en.clone()}</textarea>
                </div>
            </div>
            {(c.id != 0).then(|| view! {
                <label class="checkbox">
                    <input type="checkbox" name="category[archived]" value="true" checked=c.archived/>
                    " "{locale.t(Msg::AdminCategoryArchived)}
                </label>
                <p class="field__hint">{format!("{}{}{}", locale.t(Msg::AdminOnSale), locale.colon(), c.products)}</p>
            })}
            <button class="button button--small" type="submit">{locale.t(Msg::AdminSave)}</button>
        </ActionForm>
    }
}

#[component]
pub(super) fn Categories(rows: Vec<CategoryForm>, locale: Locale) -> impl IntoView {
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/products">{locale.t(Msg::AdminCatalogue)}</a></p>
            <h1>{locale.t(Msg::AdminCategories)}</h1>
            {rows.into_iter().map(|c| view! {
                <details class="account__panel admin-category-panel">
                    <summary>
                        <strong>{c.name_fr.clone()}</strong>" · "{c.slug.clone()}
                        {c.archived.then(|| view! { " " <span class="badge">{locale.t(Msg::AdminArchived)}</span> })}
                    </summary>
                    <CategoryFields c=c.clone() locale/>
                </details>
            }).collect_view()}
            <article class="account__panel">
                <h2>{locale.t(Msg::AdminNewCategory)}</h2>
                <CategoryFields c=CategoryForm::default() locale/>
            </article>
        </section>
    }
}
