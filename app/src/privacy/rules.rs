//! How long each kind of personal data is kept, and what happens to it then: one table, read by
//! the hourly retention jobs (`service::retention`) and rendered into the privacy page (the
//! `{{retention}}` placeholder of its text), so the promise and the practice cannot drift. A
//! test fails when a table classified as personal in `service::data::TABLES` has no entry here.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// What a service notice to every customer is about.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum NoticeKind {
        /// A substantial change of the terms of sale.
        Terms = "terms",
        /// A substantial change of the privacy policy.
        Privacy = "privacy",
        /// A personal-data breach likely to put people at high risk (GDPR art. 34).
        Breach = "breach",
        /// Any other service information (not marketing).
        Service = "service",
    }
}

impl NoticeKind {
    /// The legal page a notice of this kind may announce: its `legal_documents.kind`, the code
    /// of `legal::model::LegalKind` (a layer above, whose tests check the two agree).
    pub fn legal_page(self) -> Option<&'static str> {
        match self {
            NoticeKind::Terms => Some("terms"),
            NoticeKind::Privacy => Some("privacy"),
            NoticeKind::Breach | NoticeKind::Service => None,
        }
    }
}

/// Longest subject and body of a service notice.
pub const NOTICE_MAX_SUBJECT: usize = 150;
pub const NOTICE_MAX_BODY: usize = 5_000;

/// A service notice as the banner and the back office show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i32,
    pub kind: NoticeKind,
    pub subject_fr: String,
    pub subject_en: String,
    pub body_fr: String,
    pub body_en: String,
    /// The legal page it announces (`terms`, `privacy`) and that page's version.
    pub legal_kind: Option<String>,
    pub legal_version: Option<String>,
    pub recipients: i32,
    /// How many accounts acknowledged it (the back office's list only).
    pub acknowledged: u64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl NoticeView {
    /// The subject and body in `locale`.
    pub fn text(&self, locale: Locale) -> (&str, &str) {
        match locale {
            Locale::Fr => (&self.subject_fr, &self.body_fr),
            Locale::En => (&self.subject_en, &self.body_en),
        }
    }
}

/// How long data is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    Hours(u32),
    Days(u32),
    Years(u32),
    /// The shop's setting `APP__GUEST_RETENTION_MONTHS` (36 by default).
    GuestMonths,
    /// Until the account is deleted, or after three years without a sign-in and a warning.
    AccountLife,
    /// Until the session ends (sign-out or expiry).
    SessionLife,
    /// Until the person unsubscribes.
    UntilUnsubscribed,
}

/// What happens at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    Deleted,
    /// Names, addresses and contact details blanked; amounts, items and dates kept.
    Anonymised,
    /// The text emptied; who, what kind and when kept.
    TextEmptied,
    /// The address replaced by a one-way hash, so the shop can prove the unsubscription and
    /// never writes to it again without a new consent.
    Hashed,
}

/// The legal basis of keeping the data that long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Contract,
    LegalObligation,
    LegitimateInterest,
    Consent,
}

/// One kind of personal data.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// What it is, in French and English.
    pub what: [&'static str; 2],
    /// The tables it lives in (a table may hold several kinds).
    pub tables: &'static [&'static str],
    pub kept: Kept,
    /// From when the period runs, in French and English (empty when it says itself).
    pub from: [&'static str; 2],
    pub then: Then,
    pub basis: Basis,
}

/// Every kind of personal data the shop keeps.
pub const RETENTION: &[Retention] = &[
    // GDPR art. 6.1.b while the account serves; CNIL's recommendation for customers who no
    // longer buy: 3 years after the last contact (here, the last sign-in).
    Retention {
        what: [
            "Compte client : identité, adresses, panier enregistré, liste d'envies, abonnements, points et avoirs, parrainages",
            "Customer account: identity, addresses, saved cart, wishlist, subscriptions, points and store credit, referrals",
        ],
        tables: &[
            "users",
            "addresses",
            "saved_carts",
            "wishlist_items",
            "account_tokens",
            "subscriptions",
            "loyalty_entries",
            "store_credits",
            "referrals",
        ],
        kept: Kept::AccountLife,
        from: ["", ""],
        then: Then::Deleted,
        basis: Basis::Contract,
    },
    // Security of the service (GDPR art. 6.1.f, art. 32).
    Retention {
        what: [
            "Sessions de connexion (appareil, dernière activité)",
            "Signed-in sessions (device, last activity)",
        ],
        tables: &["sessions"],
        kept: Kept::SessionLife,
        from: ["", ""],
        then: Then::Deleted,
        basis: Basis::LegitimateInterest,
    },
    // Security (art. 6.1.f): counters against password guessing, keyed by IP network or a
    // hash of the address; their windows last an hour at most.
    Retention {
        what: [
            "Tentatives de connexion et de réinitialisation (réseau IP, empreinte de l'adresse)",
            "Sign-in and reset attempts (IP network, hash of the address)",
        ],
        tables: &["auth_throttle"],
        kept: Kept::Hours(24),
        from: ["après la tentative", "after the attempt"],
        then: Then::Deleted,
        basis: Basis::LegitimateInterest,
    },
    // The contract, then claims and the legal guarantee of conformity (2 years, Code de la
    // consommation L217-3 ff.); CNIL: 3 years after the last purchase for customer relations.
    Retention {
        what: [
            "Commandes sans compte : nom, adresses, e-mail, téléphone",
            "Orders without an account: name, addresses, email, phone",
        ],
        tables: &["orders", "promo_redemptions"],
        kept: Kept::GuestMonths,
        from: [
            "après la dernière commande de l'adresse",
            "after the address's last order",
        ],
        then: Then::Anonymised,
        basis: Basis::Contract,
    },
    // Accounting records and their supporting documents: 10 years (Code de commerce L123-22;
    // Livre des procédures fiscales L102 B); invoices are kept as issued (CGI 242 nonies A).
    Retention {
        what: [
            "Commandes, paiements, remboursements, factures et avoirs, rétractations",
            "Orders, payments, refunds, invoices and credit notes, withdrawals",
        ],
        tables: &[
            "orders",
            "order_lines",
            "order_events",
            "payments",
            "refunds",
            "invoices",
            "credit_notes",
            "withdrawal_requests",
            "unavailable_lines",
            "promo_redemptions",
        ],
        kept: Kept::Years(10),
        from: [
            "après la commande ou son dernier avoir",
            "after the order or its last credit note",
        ],
        then: Then::Deleted,
        basis: Basis::LegalObligation,
    },
    // What was written to a customer is needed for a few weeks (a question about it, a
    // delivery failure); that it was sent, longer (proof of information, art. 6.1.f).
    Retention {
        what: ["Texte des e-mails envoyés", "Text of the emails we sent"],
        tables: &["email_outbox"],
        kept: Kept::Days(30),
        from: ["après l'envoi", "after sending"],
        then: Then::TextEmptied,
        basis: Basis::LegitimateInterest,
    },
    Retention {
        what: [
            "Trace des e-mails envoyés (adresse, objet, date)",
            "Record of the emails we sent (address, subject, date)",
        ],
        tables: &["email_outbox"],
        kept: Kept::Years(3),
        from: ["après l'envoi", "after sending"],
        then: Then::Deleted,
        basis: Basis::LegitimateInterest,
    },
    // Consent (art. 6.1.a); a request never confirmed is not a consent.
    Retention {
        what: [
            "Demande d'inscription à la lettre non confirmée",
            "Newsletter request never confirmed",
        ],
        tables: &["newsletter_subscriptions"],
        kept: Kept::Days(7),
        from: ["après la demande", "after the request"],
        then: Then::Deleted,
        basis: Basis::Consent,
    },
    Retention {
        what: [
            "Inscription à la lettre et preuve du consentement",
            "Newsletter subscription and proof of consent",
        ],
        tables: &["newsletter_subscriptions"],
        kept: Kept::UntilUnsubscribed,
        from: ["", ""],
        then: Then::Hashed,
        basis: Basis::Consent,
    },
    // Proof of a consent or of its withdrawal (art. 7.1) for the limitation period of a civil
    // action: 5 years (Code civil 2224).
    Retention {
        what: [
            "Empreinte d'une adresse désinscrite de la lettre",
            "Hash of an address unsubscribed from the newsletter",
        ],
        tables: &["newsletter_subscriptions"],
        kept: Kept::Years(5),
        from: ["après la désinscription", "after unsubscribing"],
        then: Then::Deleted,
        basis: Basis::LegalObligation,
    },
    // Accountability (GDPR art. 5.2, 12): that a request to exercise a right was received
    // and answered; the link itself works 24 hours.
    Retention {
        what: [
            "Demandes d'accès ou d'effacement par e-mail (adresse, dates, suite donnée)",
            "Access or erasure requests by email (address, dates, what was done)",
        ],
        tables: &["privacy_requests"],
        kept: Kept::Years(1),
        from: ["après la demande", "after the request"],
        then: Then::Deleted,
        basis: Basis::LegalObligation,
    },
    // The person's request (art. 6.1.b: a service they asked for): one email when the product
    // is back, then kept a month for a question about it; a visitor's request never confirmed
    // is not a request.
    Retention {
        what: [
            "Alerte de retour en stock non confirmée (adresse, produit)",
            "Back-in-stock alert never confirmed (address, product)",
        ],
        tables: &["stock_alerts"],
        kept: Kept::Days(7),
        from: ["après la demande", "after the request"],
        then: Then::Deleted,
        basis: Basis::Contract,
    },
    Retention {
        what: [
            "Alerte de retour en stock (adresse, produit, dates)",
            "Back-in-stock alert (address, product, dates)",
        ],
        tables: &["stock_alerts"],
        kept: Kept::Days(30),
        from: [
            "après l'e-mail du retour, ou un an sans retour",
            "after the email of its return, or a year without a return",
        ],
        then: Then::Deleted,
        basis: Basis::Contract,
    },
    // Consent to publication and the shop's duty to show verified reviews honestly (Code de
    // la consommation L111-7-2): kept with the account; at its erasure a published review
    // stays without the author's name or account, the others go.
    Retention {
        what: [
            "Avis sur les produits (note, texte, prénom et initiale)",
            "Product reviews (rating, text, first name and initial)",
        ],
        tables: &["reviews"],
        kept: Kept::AccountLife,
        from: ["", ""],
        then: Then::Anonymised,
        basis: Basis::Consent,
    },
    // Accountability (GDPR art. 5.2): that a change of the terms or of this policy, or a
    // breach, was told to each customer, and when they acknowledged it; 5 years, the
    // limitation period of civil claims (Code civil, art. 2224).
    Retention {
        what: [
            "Avis de service envoyés (adresse, date d'envoi, date de prise de connaissance)",
            "Service notices sent (address, date sent, date acknowledged)",
        ],
        tables: &["notice_recipients"],
        kept: Kept::Years(5),
        from: ["après l'envoi", "after it was sent"],
        then: Then::Deleted,
        basis: Basis::LegalObligation,
    },
    Retention {
        what: [
            "Preuve des choix de cookies (identifiant anonyme, choix, version du bandeau)",
            "Proof of cookie choices (anonymous id, choices, banner version)",
        ],
        tables: &["consent_records"],
        kept: Kept::Years(5),
        from: ["après le choix", "after the choice"],
        then: Then::Deleted,
        basis: Basis::LegalObligation,
    },
];

/// Whether `table` has at least one retention entry.
pub fn has_retention(table: &str) -> bool {
    RETENTION.iter().any(|r| r.tables.contains(&table))
}

fn kept_text(kept: Kept, guest_months: u32, fr: bool) -> String {
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (kept, fr) {
        (Kept::Hours(n), true) => plural(n, "heure", "heures"),
        (Kept::Hours(n), false) => plural(n, "hour", "hours"),
        (Kept::Days(n), true) => plural(n, "jour", "jours"),
        (Kept::Days(n), false) => plural(n, "day", "days"),
        (Kept::Years(n), true) => plural(n, "an", "ans"),
        (Kept::Years(n), false) => plural(n, "year", "years"),
        (Kept::GuestMonths, true) => plural(guest_months, "mois", "mois"),
        (Kept::GuestMonths, false) => plural(guest_months, "month", "months"),
        (Kept::AccountLife, true) => {
            "jusqu'à la suppression du compte, ou 3 ans sans connexion (après un e-mail d'avertissement)".into()
        }
        (Kept::AccountLife, false) => {
            "until the account is deleted, or 3 years without signing in (after a warning email)"
                .into()
        }
        (Kept::SessionLife, true) => "jusqu'à la déconnexion ou l'expiration de la session".into(),
        (Kept::SessionLife, false) => "until you sign out or the session expires".into(),
        (Kept::UntilUnsubscribed, true) => "jusqu'à la désinscription".into(),
        (Kept::UntilUnsubscribed, false) => "until you unsubscribe".into(),
    }
}

fn then_text(then: Then, fr: bool) -> &'static str {
    match (then, fr) {
        (Then::Deleted, true) => "supprimées",
        (Then::Deleted, false) => "deleted",
        (Then::Anonymised, true) => {
            "anonymisées (montants, articles et dates gardés ; les factures restent telles qu'émises)"
        }
        (Then::Anonymised, false) => {
            "anonymised (amounts, items and dates kept; invoices stay as issued)"
        }
        (Then::TextEmptied, true) => "texte effacé (destinataire, objet et date gardés)",
        (Then::TextEmptied, false) => "text erased (recipient, subject and date kept)",
        (Then::Hashed, true) => "adresse remplacée par une empreinte irréversible",
        (Then::Hashed, false) => "address replaced by a one-way hash",
    }
}

fn basis_text(basis: Basis, fr: bool) -> &'static str {
    match (basis, fr) {
        (Basis::Contract, true) => "contrat",
        (Basis::Contract, false) => "contract",
        (Basis::LegalObligation, true) => "obligation légale",
        (Basis::LegalObligation, false) => "legal obligation",
        (Basis::LegitimateInterest, true) => "intérêt légitime",
        (Basis::LegitimateInterest, false) => "legitimate interest",
        (Basis::Consent, true) => "consentement",
        (Basis::Consent, false) => "consent",
    }
}

/// The retention table as Markdown, in `locale`, with guest orders kept `guest_months`: one
/// list item per kind of data (a list, not a four-column table, reads on a phone too).
pub fn retention_markdown(locale: Locale, guest_months: u32) -> String {
    let fr = locale == Locale::Fr;
    let i = usize::from(!fr);
    let (then_word, basis_word) = if fr {
        ("puis", "Base légale")
    } else {
        ("then", "Legal basis")
    };
    let mut out = String::new();
    for r in RETENTION {
        let mut kept = kept_text(r.kept, guest_months, fr);
        if !r.from[i].is_empty() {
            kept = format!("{kept} {}", r.from[i]);
        }
        out.push_str(&format!(
            "- **{}** : {kept} ; {then_word} {}. *{basis_word} : {}.*\n",
            r.what[i],
            then_text(r.then, fr),
            basis_text(r.basis, fr)
        ));
    }
    if !fr {
        // English puts no space before a colon or a semicolon.
        out = out.replace(" : ", ": ").replace(" ; ", "; ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_renders_every_entry_in_both_languages() {
        let fr = retention_markdown(Locale::Fr, 36);
        let en = retention_markdown(Locale::En, 24);
        assert_eq!(fr.lines().count(), RETENTION.len());
        assert_eq!(en.lines().count(), RETENTION.len());
        assert!(fr.contains("- **Commandes sans compte : nom, adresses, e-mail, téléphone** : 36 mois après la dernière commande de l'adresse ; puis anonymisées"), "{fr}");
        assert!(
            en.contains(": 24 months after the address's last order; then anonymised"),
            "{en}"
        );
        assert!(en.contains("- **Sign-in and reset attempts (IP network, hash of the address)**: 24 hours after the attempt; then deleted. *Legal basis: legitimate interest.*"), "{en}");
        assert!(fr.contains(": 10 ans après la commande ou son dernier avoir ; puis supprimées. *Base légale : obligation légale.*"), "{fr}");
    }

    #[test]
    fn tables_are_looked_up_exactly() {
        assert!(has_retention("orders"));
        assert!(has_retention("auth_throttle"));
        assert!(!has_retention("order"));
        assert!(!has_retention("products"));
    }
}
