//! The editor's form checked before anything is stored.

use super::*;

crate::codes::coded! {
    /// What an editor asks for with the form.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Intent {
        /// Keep the article as it stands (draft, scheduled or published), with the changes.
        Save = "save",
        /// Publish: now, or at the date given.
        Publish = "publish",
        /// Back to draft: readers no longer see it.
        Unpublish = "unpublish",
    }
}

/// An article as checked, ready to store.
pub(super) struct Checked {
    pub(super) title: String,
    pub(super) slug: String,
    pub(super) lang: String,
    pub(super) summary: String,
    pub(super) body: String,
    pub(super) author: String,
    pub(super) cover_alt: String,
    pub(super) tags: Vec<Tag>,
    pub(super) products: Vec<i32>,
    pub(super) publish_at: Option<DateTime<Utc>>,
}

pub(super) fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Checks the form; product slugs are looked up (one query).
pub(super) async fn check(
    db: &impl ConnectionTrait,
    form: &ArticleForm,
    editor: &user::Model,
) -> Result<Checked, ArticleError> {
    use crate::catalog::search::fold;
    let title = form.title.trim().to_owned();
    if title.is_empty() {
        return Err(invalid("Donnez un titre à l'article."));
    }
    if too_long(&title, rules::MAX_TITLE) {
        return Err(invalid("Le titre dépasse 160 caractères."));
    }
    let slug = match form.slug.trim() {
        "" => rules::slugify_folded(&fold(&title)),
        typed => typed.to_owned(),
    };
    if !rules::is_slug(&slug) {
        return Err(invalid(
            "Adresse invalide : lettres minuscules sans accents, chiffres et tirets (80 au plus).",
        ));
    }
    let lang = match form.lang.trim() {
        "" | "fr" => "fr",
        "en" => "en",
        _ => return Err(invalid("Langue inconnue : fr ou en.")),
    }
    .to_owned();
    let summary = form.summary.trim().to_owned();
    if too_long(&summary, rules::MAX_SUMMARY) {
        return Err(invalid("Le résumé dépasse 400 caractères."));
    }
    let body = form.body.replace("\r\n", "\n");
    if body.len() > rules::MAX_BODY {
        return Err(invalid(
            "Le texte est trop long (200 000 caractères au plus).",
        ));
    }
    let author = match form.author.trim() {
        "" => format!("{} {}", editor.first_name, editor.last_name),
        typed => typed.to_owned(),
    };
    if too_long(&author, rules::MAX_TITLE) {
        return Err(invalid("La signature dépasse 160 caractères."));
    }
    let cover_alt = form.cover_alt.trim().to_owned();
    if too_long(&cover_alt, rules::MAX_SUMMARY) {
        return Err(invalid("Le texte de l'image dépasse 400 caractères."));
    }
    let mut tags: Vec<Tag> = Vec::new();
    for label in rules::tag_labels(&form.tags) {
        if too_long(&label, rules::MAX_TAG_CHARS) {
            return Err(invalid(format!(
                "Le mot-clé « {label} » dépasse 40 caractères."
            )));
        }
        let slug = rules::slugify_folded(&fold(&label));
        if slug.is_empty() {
            return Err(invalid(format!(
                "Le mot-clé « {label} » doit contenir des lettres ou des chiffres."
            )));
        }
        if !tags.iter().any(|t| t.slug == slug) {
            tags.push(Tag { slug, label });
        }
    }
    if tags.len() > rules::MAX_TAGS {
        return Err(invalid("Huit mots-clés au plus."));
    }
    let refs = rules::product_refs(&form.products);
    if refs.len() > rules::MAX_PRODUCTS {
        return Err(invalid("Huit produits associés au plus."));
    }
    let found = if refs.is_empty() {
        Vec::new()
    } else {
        product::Entity::find()
            .filter(product::Column::Slug.is_in(refs.clone()))
            .filter(product::Column::Status.eq(STATUS_ACTIVE))
            .all(db)
            .await?
    };
    let unknown: Vec<&str> = refs
        .iter()
        .filter(|r| !found.iter().any(|p| &p.slug == *r))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(invalid(format!(
            "Produits introuvables ou retirés de la vente : {}.",
            unknown.join(", ")
        )));
    }
    let products = refs
        .iter()
        .filter_map(|r| found.iter().find(|p| &p.slug == r).map(|p| p.id))
        .collect();
    let publish_at = rules::parse_publish_at(&form.publish_at).map_err(|_| {
        invalid(
            "Date de publication invalide (jour et heure de Paris, par exemple 2027-01-20T09:30).",
        )
    })?;
    Ok(Checked {
        title,
        slug,
        lang,
        summary,
        body,
        author,
        cover_alt,
        tags,
        products,
        publish_at,
    })
}
