//! `/admin/articles` and `/admin/articles/{id}` (`new` for a new one): the editors' tools.

use super::api::{SaveArticle, article_editor, editor_articles};
use super::components::MarkdownEditor;
use super::model::{ArticleAdminRow, ArticleEditorPage, ArticleState, Revision};
use crate::i18n::{Locale, Msg, t, use_locale};
use crate::ui::Loading;
use crate::ui::format::paris_time;
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn state_label(state: ArticleState) -> &'static str {
    t(match state {
        ArticleState::Draft => Msg::AdminArticleDraft,
        ArticleState::Scheduled => Msg::AdminArticleScheduled,
        ArticleState::Published => Msg::AdminArticlePublished,
    })
}

fn state_class(state: ArticleState) -> &'static str {
    match state {
        ArticleState::Draft => "badge",
        ArticleState::Scheduled => "badge badge--warn",
        ArticleState::Published => "badge badge--ok",
    }
}

#[component]
pub fn AdminArticlesPage() -> impl IntoView {
    let rows = OnceResource::new(editor_articles());
    view! {
        <PageMeta title=t(Msg::AdminArticles) description=t(Msg::AdminArticlesLead) path="/admin/articles" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <ArticleList rows/> }.into_any(),
                    Err(error) => crate::ui::gate(error, "/admin/articles"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleList(rows: Vec<ArticleAdminRow>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">{t(Msg::AdminTitle)}</a></p>
            <h1>{t(Msg::AdminArticles)}</h1>
            <p>{t(Msg::AdminArticlesLead)}</p>
            <p><a class="button button--primary" href="/admin/articles/new">{t(Msg::AdminArticleNew)}</a></p>
            {if rows.is_empty() {
                view! { <p class="empty">{t(Msg::AdminArticleNone)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="admin-table">
                            <thead><tr>
                                <th scope="col">{t(Msg::AdminArticleTitle)}</th>
                                <th scope="col">{t(Msg::AdminArticleState)}</th>
                                <th scope="col">{t(Msg::AdminArticleDate)}</th>
                                <th scope="col">{t(Msg::AdminArticleUpdated)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr>
                                        <td><a href=format!("/admin/articles/{}", row.id)>{row.title}</a>
                                            <br/><small class="muted">"/articles/" {row.slug}</small></td>
                                        <td><span class=state_class(row.state)>{state_label(row.state)}</span></td>
                                        <td>{row.published_at.map(|at| paris_time(locale, at)).unwrap_or_else(|| "—".to_owned())}</td>
                                        <td>{paris_time(locale, row.updated_at)} <br/><small class="muted">{row.updated_by}</small></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn AdminArticleEditPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let editor = OnceResource::new(article_editor(id.clone()));
    view! {
        <Suspense fallback=Loading>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    match editor.await {
                        Ok(page) => view! { <ArticleEditorView page/> }.into_any(),
                        Err(error) => crate::ui::gate(error, &format!("/admin/articles/{id}")),
                    }
                })
            }}
        </Suspense>
    }
}

fn action_label(action: &str) -> &'static str {
    t(match action {
        "created" => Msg::AdminArticleCreated,
        "published" => Msg::AdminArticlePublishedAction,
        "unpublished" => Msg::AdminArticleUnpublished,
        "cover" => Msg::AdminArticleCoverAction,
        _ => Msg::AdminArticleEdited,
    })
}

fn history(locale: Locale, revisions: Vec<Revision>) -> impl IntoView {
    view! {
        <article class="account__panel">
            <h2>{t(Msg::AdminArticleHistory)}</h2>
            <ul class="admin__list">
                {revisions.into_iter().map(|r| view! {
                    <li>
                        {paris_time(locale, r.at)} " — "
                        <strong>{if r.who.is_empty() { t(Msg::AdminArticleSeeded).to_owned() } else { r.who }}</strong>
                        " — " {action_label(&r.action)}
                        {(!r.fields.is_empty()).then(|| view! { " (" {r.fields.replace(',', ", ")} ")" })}
                    </li>
                }).collect_view()}
            </ul>
        </article>
    }
}

#[component]
fn ArticleEditorView(page: ArticleEditorPage) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SaveArticle>::new();
    let error = error_of(action);
    let ArticleEditorPage {
        form,
        error: upload_error,
        state,
        cover,
        preview,
        related,
        history: revisions,
    } = page;
    let id = form.id;
    let title = match id {
        Some(_) => t(Msg::AdminArticleEdit),
        None => t(Msg::AdminArticleNew),
    };
    let path = format!(
        "/admin/articles/{}",
        id.map_or_else(|| "new".to_owned(), |id| id.to_string())
    );
    let public =
        (state == Some(ArticleState::Published)).then(|| format!("/articles/{}", form.slug));
    let lang = form.lang.clone();
    view! {
        <PageMeta title=title description=t(Msg::AdminArticlesLead) path noindex=true/>
        <section class="account container article-editor">
            <p class="breadcrumb"><a href="/admin/articles">{t(Msg::AdminArticles)}</a></p>
            <h1>{title}
                {state.map(|s| view! { " " <span class=state_class(s)>{state_label(s)}</span> })}
            </h1>
            {public.map(|href| view! { <p><a href=href>{t(Msg::AdminArticleView)}</a></p> })}
            {upload_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <ActionForm action attr:class="auth__form article-form">
                <FormError error/>
                <input type="hidden" name="id" value=id.map(|id| id.to_string()).unwrap_or_default()/>
                <div class="field">
                    <label for="article-title">{t(Msg::AdminArticleTitle)}</label>
                    <input id="article-title" name="title" required maxlength="160" value=form.title/>
                </div>
                <div class="auth__names">
                    <div class="field">
                        <label for="article-slug">{t(Msg::AdminArticleSlug)}</label>
                        <input id="article-slug" name="slug" maxlength="80" pattern="[a-z0-9]+(-[a-z0-9]+)*" value=form.slug/>
                    </div>
                    <div class="field">
                        <label for="article-lang">{t(Msg::AdminArticleLang)}</label>
                        <select id="article-lang" name="lang">
                            <option value="fr" selected=lang == "fr">"Français"</option>
                            <option value="en" selected=lang == "en">"English"</option>
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="article-summary">{t(Msg::AdminArticleSummary)}</label>
                    <textarea id="article-summary" name="summary" rows="3" maxlength="400">{form.summary}</textarea>
                </div>
                <MarkdownEditor body=form.body preview locale/>
                <div class="auth__names">
                    <div class="field">
                        <label for="article-author">{t(Msg::AdminArticleAuthor)}</label>
                        <input id="article-author" name="author" maxlength="160" value=form.author/>
                    </div>
                    <div class="field">
                        <label for="article-publish-at">{t(Msg::AdminArticlePublishAt)}</label>
                        <input id="article-publish-at" name="publish_at" type="datetime-local" value=form.publish_at/>
                    </div>
                </div>
                <div class="field">
                    <label for="article-tags">{t(Msg::AdminArticleTags)}</label>
                    <input id="article-tags" name="tags" value=form.tags/>
                </div>
                <div class="field">
                    <label for="article-products">{t(Msg::AdminArticleProducts)}</label>
                    <textarea id="article-products" name="products" rows="4">{form.products}</textarea>
                    {(!related.is_empty()).then(|| view! {
                        <p class="field__hint">{t(Msg::AdminArticleRelated)}{crate::i18n::use_locale().colon()}
                            {related.into_iter().map(|(name, slug)| view! {
                                <a href=format!("/products/{slug}")>{name}</a> " "
                            }).collect_view()}
                        </p>
                    })}
                </div>
                <div class="field">
                    <label for="article-cover-alt">{t(Msg::AdminArticleCoverAlt)}</label>
                    <input id="article-cover-alt" name="cover_alt" maxlength="400" value=form.cover_alt/>
                </div>
                <div class="article-form__actions">
                    <button class="button" type="submit" name="intent" value="save">{t(Msg::AdminArticleSave)}</button>
                    <button class="button button--primary" type="submit" name="intent" value="publish">{t(Msg::AdminArticlePublish)}</button>
                    {matches!(state, Some(ArticleState::Published | ArticleState::Scheduled)).then(|| view! {
                        <button class="button" type="submit" name="intent" value="unpublish">{t(Msg::AdminArticleUnpublish)}</button>
                    })}
                </div>
            </ActionForm>
            <article class="account__panel">
                <h2>{t(Msg::AdminArticleCover)}</h2>
                {match id {
                    None => view! { <p>{t(Msg::AdminArticleCoverLater)}</p> }.into_any(),
                    Some(id) => view! {
                        {cover.map(|cover| view! {
                            <img class="article-editor__cover" src=cover.src alt=cover.alt width="480"
                                height=cover.width.zip(cover.height).map(|(w, h)| (480 * h / w.max(1)).to_string())/>
                            <form method="post" action="/api/admin/articles/cover/remove">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <button class="button button--small" type="submit">{t(Msg::AdminArticleCoverRemove)}</button>
                            </form>
                        })}
                        <form class="article-editor__upload" method="post" enctype="multipart/form-data"
                            action=format!("/admin/articles/{id}/cover")>
                            <label for="article-cover">{t(Msg::AdminArticleCoverHelp)}</label>
                            <input id="article-cover" name="cover" type="file" required
                                accept="image/jpeg,image/png,image/webp,image/avif"/>
                            <button class="button" type="submit">{t(Msg::AdminArticleCoverUpload)}</button>
                        </form>
                    }.into_any(),
                }}
            </article>
            {(!revisions.is_empty()).then(|| history(locale, revisions))}
        </section>
    }
}
