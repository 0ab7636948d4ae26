//! The page frame: header, main content and footer.

use crate::cart::components::CartBadge;
use crate::i18n::{Msg, t, use_locale};
use crate::privacy::components::{ConsentBanner, CookiePreferencesLink};
use crate::ui::icons::{AccountIcon, BrandMark, CartIcon};
use crate::ui::lang_switch::LanguageSwitch;
use leptos::prelude::*;

/// Wraps every page in the header and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    crate::wishlist::components::provide_watching();
    view! {
        <a class="skip-link" href="#main">{t(Msg::SkipToContent)}</a>
        <Header/>
        <PendingNotice/>
        <main id="main" class="main" tabindex="-1">{children()}</main>
        <Footer/>
        <Consent/>
    }
}

/// The cookie banner, open when no choice stands for this request.
#[component]
fn Consent() -> impl IntoView {
    let locale = use_locale();
    let next = crate::ui::forms::here();
    #[cfg(feature = "ssr")]
    let standing = crate::privacy::api::standing_consent();
    #[cfg(not(feature = "ssr"))]
    let standing: Option<crate::privacy::consent::Consent> = None;
    let choices = standing.as_ref().map(|c| c.choices).unwrap_or_default();
    view! { <ConsentBanner open=standing.is_none() choices next locale/> }
}

/// The service notice the signed-in customer has not acknowledged yet, above every page.
#[component]
fn PendingNotice() -> impl IntoView {
    let locale = use_locale();
    let next = crate::ui::forms::here();
    let pending = OnceResource::new(crate::privacy::api::notices::pending_notice());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    pending
                        .await
                        .ok()
                        .flatten()
                        .map(|notice| view! { <NoticeBanner notice next locale/> })
                })
            }}
        </Suspense>
    }
}

#[component]
fn NoticeBanner(
    notice: crate::privacy::rules::NoticeView,
    next: String,
    locale: crate::i18n::Locale,
) -> impl IntoView {
    let (subject, body) = notice.text(locale);
    let (subject, body) = (subject.to_owned(), body.to_owned());
    let legal = notice
        .legal_kind
        .clone()
        .map(|kind| format!("/legal/{kind}"));
    view! {
        <section class="service-notice" role="region" aria-label=locale.t(Msg::NoticeBannerLabel) data-testid="service-notice">
            <div class="service-notice__inner container">
                <h2 class="service-notice__title">{subject}</h2>
                {body.split("\n\n").map(|p| view! { <p>{p.trim().to_owned()}</p> }).collect_view()}
                <div class="service-notice__actions">
                    {legal.map(|href| view! { <a class="service-notice__link" href=href>{locale.t(Msg::NoticeReadLegal)}</a> })}
                    <form method="post" action="/api/notices/acknowledge">
                        <input type="hidden" name="id" value=notice.id.to_string()/>
                        <input type="hidden" name="next" value=next/>
                        <button class="button button--small" type="submit">{locale.t(Msg::NoticeAcknowledge)}</button>
                    </form>
                </div>
            </div>
        </section>
    }
}

#[component]
fn Header() -> impl IntoView {
    let locale = use_locale();
    let here = crate::ui::forms::here();
    view! {
        <header class="site-header">
            <div class="site-header__inner container">
                <a class="brand" href="/" aria-label="Comptoir Botanique">
                    <BrandMark/>
                    <span class="brand__name">"Comptoir " <em>"Botanique"</em></span>
                </a>
                <nav class="site-nav" aria-label=t(Msg::MainNavigation)>
                    <a href="/products">{t(Msg::NavProducts)}</a>
                    <a href="/articles">{t(Msg::NavArticles)}</a>
                </nav>
                <div class="site-header__tools">
                    <LanguageSwitch current=locale next=here/>
                    <a class="tool-link" href="/account" aria-label=t(Msg::NavAccount)>
                        <AccountIcon/>
                        <span class="tool-link__label">{t(Msg::NavAccount)}</span>
                    </a>
                    <a class="tool-link tool-link--cart" href="/cart">
                        <CartIcon/>
                        <span class="tool-link__label">{t(Msg::NavCart)}</span>
                        <CartBadge count=cookie_count() locale/>
                    </a>
                </div>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner container">
                <section class="site-footer__about">
                    <p class="brand brand--footer"><BrandMark/><span class="brand__name">"Comptoir " <em>"Botanique"</em></span></p>
                    <p>{t(Msg::FooterAbout)}</p>
                </section>
                <nav class="site-footer__links" aria-label=t(Msg::FooterLegal)>
                    <h2>{t(Msg::FooterLegal)}</h2>
                    <ul>
                        <li><a href="/legal/terms">{t(Msg::LegalTerms)}</a></li>
                        <li><a href="/legal/withdrawal">{t(Msg::LegalWithdrawal)}</a></li>
                        <li><a href="/legal/privacy">{t(Msg::LegalPrivacy)}</a></li>
                        <li><a href="/legal/cookies">{t(Msg::LegalCookies)}</a></li>
                        <li><a href="/legal/notice">{t(Msg::LegalNotice)}</a></li>
                        <li><CookiePreferencesLink locale=use_locale()/></li>
                    </ul>
                </nav>
                <section class="site-footer__help">
                    <h2>{t(Msg::FooterHelp)}</h2>
                    // The seller's phone and email are settings: the legal notice shows them.
                    <p>{t(Msg::FooterContact)}" "<a href="/legal/notice">{t(Msg::FooterContactLink)}</a></p>
                    // EU 2023/2673: the withdrawal function, easy to find for the whole period.
                    <p><a href="/withdrawal" data-testid="footer-withdraw">{t(Msg::FooterWithdraw)}</a></p>
                    <crate::newsletter::pages::NewsletterSignUp/>
                </section>
            </div>
        </footer>
    }
}

/// The number of items in the request's cart cookie (the server's first guess for the badge).
fn cookie_count() -> u32 {
    #[cfg(feature = "ssr")]
    {
        crate::cart::api::cookie_cart()
            .1
            .iter()
            .map(|line| line.quantity)
            .sum()
    }
    #[cfg(not(feature = "ssr"))]
    {
        0
    }
}
