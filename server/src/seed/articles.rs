//! The demo brand's research articles (texts in `articles/*.md`, covers drawn for the
//! project in `public/img/articles/`). An article whose slug exists is left as editors made it.

use app::articles::service::{SeedArticle, seed};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{DatabaseConnection, DbErr};

struct Demo {
    slug: &'static str,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    author: &'static str,
    cover_alt: &'static str,
    tags: &'static [&'static str],
    products: &'static [&'static str],
    /// Year, month, day, hour (UTC).
    at: (i32, u32, u32, u32),
}

const DEMOS: &[Demo] = &[
    Demo {
        slug: "vieillissement-cutane",
        title: "Vieillissement de la peau : ce qui se passe vraiment",
        summary: "Deux horloges, des signes qui ont chacun leur cause, et les quelques gestes qui comptent : comprendre le vieillissement cutané pour choisir des soins utiles.",
        body: include_str!("articles/vieillissement-cutane.md"),
        author: "Claire Moreau, docteure en pharmacie",
        cover_alt: "Feuilles vertes et cercles concentriques évoquant les couches de la peau",
        tags: &["Peau", "Vieillissement"],
        products: &["serum-eclat-vitamine-c", "creme-hydratante-aloe"],
        at: (2026, 9, 8, 7),
    },
    Demo {
        slug: "bien-se-demaquiller",
        title: "Bien se démaquiller sans agresser sa peau",
        summary: "Le double nettoyage expliqué pas à pas, les erreurs qui irritent, et quoi faire quand l'eau est calcaire.",
        body: include_str!("articles/bien-se-demaquiller.md"),
        author: "Claire Moreau, docteure en pharmacie",
        cover_alt: "Gouttes d'huile et bulles de mousse sur fond crème",
        tags: &["Peau", "Nettoyage"],
        products: &["huile-demaquillante", "gel-nettoyant-doux"],
        at: (2026, 9, 22, 7),
    },
    Demo {
        slug: "microbiote-ecosysteme",
        title: "Le microbiote, un écosystème à ménager",
        summary: "Ce que l'on sait du microbiote intestinal et cutané, ce qui le nourrit, ce qui le bouscule, et la place des ferments lactiques.",
        body: include_str!("articles/microbiote-ecosysteme.md"),
        author: "Julien Arnaud, biologiste",
        cover_alt: "Petites formes rondes et allongées de couleurs douces, comme vues au microscope",
        tags: &["Microbiote", "Nutrition"],
        products: &["ferments-lactiques", "curcuma-poivre-noir"],
        at: (2026, 10, 6, 7),
    },
    Demo {
        slug: "soleil-et-actifs",
        title: "Soleil et actifs : les bonnes associations",
        summary: "Acides, rétinol, vitamine C, huiles essentielles : quels actifs demandent des précautions au soleil, et une routine simple pour toute l'année.",
        body: include_str!("articles/soleil-et-actifs.md"),
        author: "Claire Moreau, docteure en pharmacie",
        cover_alt: "Soleil orangé au-dessus de deux flacons stylisés",
        tags: &["Peau", "Soleil"],
        products: &["serum-eclat-vitamine-c", "vitamine-d3-vegetale"],
        at: (2026, 10, 20, 7),
    },
    Demo {
        slug: "collagene-ce-que-l-on-sait",
        title: "Collagène : ce que l'on sait, ce que l'on ignore",
        summary: "Une protéine de structure que le corps fabrique lui-même : ce dont il a besoin pour cela, et ce que disent vraiment les études sur les compléments.",
        body: include_str!("articles/collagene-ce-que-l-on-sait.md"),
        author: "Julien Arnaud, biologiste",
        cover_alt: "Fibres entrelacées dessinées en lignes vertes et orangées",
        tags: &["Collagène", "Nutrition", "Peau"],
        products: &["fer-vitamine-c", "zinc-selenium"],
        at: (2026, 11, 3, 8),
    },
    Demo {
        slug: "lire-origine-naturelle",
        title: "« D'origine naturelle » : lire une étiquette de cosmétique",
        summary: "La norme ISO 16128, les labels contrôlés et la liste INCI : comment lire les pourcentages et les mentions d'un soin naturel.",
        body: include_str!("articles/lire-origine-naturelle.md"),
        author: "Équipe Comptoir Botanique",
        cover_alt: "Étiquette de flacon entourée de brins de lavande",
        tags: &["Formulation", "Étiquettes"],
        products: &["baume-corps-karite", "savon-surgras-lavande"],
        at: (2026, 11, 17, 8),
    },
];

fn at((y, m, d, h): (i32, u32, u32, u32)) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// Inserts the demo articles that are missing; returns how many were.
///
/// # Errors
/// The database error.
pub async fn seed_articles(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let mut inserted = 0;
    for demo in DEMOS {
        let cover = format!("/img/articles/{}.svg", demo.slug);
        let done = seed(
            db,
            &SeedArticle {
                slug: demo.slug,
                title: demo.title,
                summary: demo.summary,
                body: demo.body,
                author: demo.author,
                cover: &cover,
                cover_alt: demo.cover_alt,
                tags: demo.tags,
                products: demo.products,
                published_at: at(demo.at),
            },
        )
        .await?;
        inserted += usize::from(done);
    }
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::DEMOS;

    #[test]
    fn every_demo_has_its_cover_and_valid_slugs() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/img/articles");
        for demo in DEMOS {
            assert!(app::articles::rules::is_slug(demo.slug), "{}", demo.slug);
            let cover = format!("{root}/{}.svg", demo.slug);
            assert!(std::path::Path::new(&cover).exists(), "{cover}");
            assert!(demo.summary.chars().count() <= app::articles::rules::MAX_SUMMARY);
        }
    }
}
