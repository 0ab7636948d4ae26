//! The message catalogue: every UI string in French and English.

macro_rules! messages {
    ($($key:ident => $fr:literal, $en:literal;)+) => {
        /// A user-facing message; its text comes from [`Msg::text`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key,)+ }

        impl Msg {
            /// Every message, for completeness checks.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)+];

            /// The text of this message in `locale`.
            pub fn text(self, locale: super::Locale) -> &'static str {
                match (self, locale) {
                    $(
                        (Msg::$key, super::Locale::Fr) => $fr,
                        (Msg::$key, super::Locale::En) => $en,
                    )+
                }
            }
        }
    };
}

messages! {
    BrandTagline => "Compléments alimentaires et cosmétiques naturels", "Food supplements and natural cosmetics";
    SkipToContent => "Aller au contenu", "Skip to content";
    MainNavigation => "Navigation principale", "Main navigation";
    NavHome => "Accueil", "Home";
    NavProducts => "Boutique", "Shop";
    NavArticles => "Articles de recherche", "Research articles";
    NavAccount => "Mon compte", "My account";
    NavCart => "Panier", "Cart";
    Language => "Langue", "Language";
    ApplyLanguage => "Changer", "Change";
    HeroTitle => "Le soin, au naturel", "Care, naturally";
    HeroText => "Des compléments alimentaires et des cosmétiques d'origine naturelle, formulés avec exigence et fabriqués en France.", "Food supplements and natural-origin cosmetics, carefully formulated and made in France.";
    HeroCta => "Découvrir la boutique", "Browse the shop";
    FeaturedProducts => "Nos incontournables", "Our essentials";
    ShopByCategory => "Par univers", "Shop by category";
    LatestArticles => "Derniers articles de recherche", "Latest research articles";
    ArticlesComingSoon => "Nos premiers articles de recherche arrivent bientôt.", "Our first research articles are coming soon.";
    PriceInclVat => "TTC", "incl. VAT";
    PerKg => "le kg", "per kg";
    PerLitre => "le litre", "per litre";
    InStock => "En stock", "In stock";
    OutOfStock => "Rupture de stock", "Out of stock";
    NoProductsYet => "Le catalogue est en cours de préparation.", "The catalogue is being prepared.";
    PromiseShipping => "Livraison offerte en France métropolitaine dès 49 €", "Free delivery in metropolitan France from €49";
    PromiseWithdrawal => "14 jours pour changer d'avis", "14 days to change your mind";
    PromiseMadeInFrance => "Formulé et fabriqué en France", "Formulated and made in France";
    Loading => "Chargement…", "Loading…";
    FooterAbout => "Comptoir Botanique formule des compléments alimentaires et des soins naturels, et publie ses travaux de recherche.", "Comptoir Botanique formulates food supplements and natural skincare, and publishes its research.";
    FooterLegal => "Informations légales", "Legal information";
    LegalTerms => "Conditions générales de vente", "Terms of sale";
    LegalPrivacy => "Politique de confidentialité", "Privacy policy";
    LegalCookies => "Politique cookies", "Cookie policy";
    LegalNotice => "Mentions légales", "Legal notice";
    LegalWithdrawal => "Droit de rétractation", "Right of withdrawal";
    FooterHelp => "Aide", "Help";
    FooterContact => "Service client : 01 23 45 67 89, du lundi au vendredi, 9 h – 17 h", "Customer service: +33 1 23 45 67 89, Monday to Friday, 9 am – 5 pm";
    SupplementNotice => "Les compléments alimentaires ne sont pas des médicaments. Ne pas dépasser la dose journalière recommandée. Tenir hors de portée des enfants. À utiliser dans le cadre d'une alimentation variée et équilibrée et d'un mode de vie sain.", "Food supplements are not medicines. Do not exceed the recommended daily dose. Keep out of the reach of children. Use as part of a varied, balanced diet and a healthy lifestyle.";
    NotFoundTitle => "Page introuvable", "Page not found";
    NotFoundText => "La page demandée n'existe pas ou n'est plus disponible.", "The page you asked for does not exist or is no longer available.";
    BackHome => "Retour à l'accueil", "Back to the home page";
    ErrorTitle => "Une erreur est survenue", "Something went wrong";
    ErrorText => "Nous n'avons pas pu afficher cette page. Réessayez dans un instant ; si le problème persiste, contactez notre service client.", "We could not display this page. Please try again in a moment; if the problem persists, contact our customer service.";
    Retry => "Réessayer", "Try again";
    HomeTitle => "Comptoir Botanique — compléments alimentaires et cosmétiques naturels", "Comptoir Botanique — food supplements and natural cosmetics";
    HomeDescription => "Compléments alimentaires et cosmétiques d'origine naturelle, formulés et fabriqués en France, et nos articles de recherche.", "Food supplements and natural-origin cosmetics, formulated and made in France, and our research articles.";
    BadRequestTitle => "Adresse incorrecte", "Invalid address";
    BadPageNumber => "Le numéro de page doit être un nombre entier positif.", "The page number must be a positive whole number.";
    BadSortOrder => "Ce tri n'existe pas.", "This sort order does not exist.";
    SearchTooLong => "La recherche est trop longue (100 caractères au plus).", "The search is too long (100 characters at most).";
    CategoryNotFound => "Cet univers n'existe pas.", "This category does not exist.";
    ProductsTitle => "La boutique", "The shop";
    ProductsDescription => "Tous nos compléments alimentaires et cosmétiques naturels, formulés et fabriqués en France.", "All our food supplements and natural cosmetics, formulated and made in France.";
    SearchResultsTitle => "Recherche", "Search";
    AllProducts => "Tous les produits", "All products";
    Categories => "Univers", "Categories";
    SearchLabel => "Rechercher un produit", "Search for a product";
    SearchPlaceholder => "Sérum, magnésium, karité…", "Serum, magnesium, shea…";
    SortLabel => "Trier par", "Sort by";
    SortRelevance => "Pertinence", "Relevance";
    SortPriceAsc => "Prix croissant", "Price, low to high";
    SortPriceDesc => "Prix décroissant", "Price, high to low";
    SortName => "Nom, de A à Z", "Name, A to Z";
    SortNewest => "Nouveautés", "Newest";
    ApplyFilters => "Afficher", "Show";
    NoResultsTitle => "Aucun produit ne correspond", "No product matches";
    NoResultsText => "Vérifiez l'orthographe, essayez un mot plus court ou parcourez nos univers.", "Check the spelling, try a shorter word or browse our categories.";
    ShowAllProducts => "Voir tous les produits", "See all products";
    Pagination => "Pages", "Pages";
    PreviousPage => "Précédente", "Previous";
    NextPage => "Suivante", "Next";
    Breadcrumb => "Fil d'Ariane", "Breadcrumb";
    Reference => "Réf.", "Ref.";
    Description => "Description", "Description";
    Composition => "Composition", "Ingredients";
    HowToUse => "Conseils d'utilisation", "How to use";
    SupplementWarningTitle => "Précautions d'emploi", "Precautions for use";
    RelatedProducts => "Vous aimerez aussi", "You may also like";
    ProductPhotos => "Photos du produit", "Product photos";
    NetContent => "Contenance", "Net content";
    OutOfStockText => "Ce produit est momentanément indisponible et ne peut pas être commandé.", "This product is temporarily unavailable and cannot be ordered.";
    SubscriptionTitle => "Disponible en abonnement", "Available by subscription";
    SubscriptionText => "Sans engagement : modifiable ou résiliable depuis votre compte jusqu'à 3 jours avant chaque livraison.", "No commitment: change or cancel from your account up to 3 days before each delivery.";
    ProductGoneTitle => "Ce produit n'est plus vendu", "This product is no longer sold";
    ProductGoneText => "Il a quitté notre catalogue. Découvrez les autres produits de la boutique.", "It has left our catalogue. Discover the other products in the shop.";
    BackToShop => "Retour à la boutique", "Back to the shop";
    AddToCart => "Ajouter au panier", "Add to cart";
    Quantity => "Quantité", "Quantity";
    AddedToCart => "Ajouté au panier.", "Added to the cart.";
    AddedCapped => "Quantité limitée au stock disponible.", "Quantity limited to the stock available.";
    CannotAdd => "Ce produit ne peut plus être ajouté.", "This product can no longer be added.";
    ViewCart => "Voir le panier", "View cart";
    CartTitle => "Votre panier", "Your cart";
    CartEmptyTitle => "Votre panier est vide", "Your cart is empty";
    CartEmptyText => "Parcourez la boutique et ajoutez les produits qui vous plaisent.", "Browse the shop and add the products you like.";
    CartLines => "Articles", "Items";
    CartSummary => "Récapitulatif", "Summary";
    RemoveLine => "Retirer", "Remove";
    ClearCart => "Vider le panier", "Empty the cart";
    DecreaseQuantity => "Retirer un", "One less";
    IncreaseQuantity => "Ajouter un", "One more";
    Subtotal => "Sous-total", "Subtotal";
    Discounts => "Remises", "Discounts";
    ShippingLabel => "Livraison", "Shipping";
    ShippingFree => "Offerte", "Free";
    ShippingUnavailable => "Nous ne livrons pas ce panier vers cette destination.", "We cannot deliver this cart to this destination.";
    DeliverTo => "Pays de livraison", "Deliver to";
    TotalInclVat => "Total TTC", "Total incl. VAT";
    TotalExclVat => "Total HT", "Total excl. VAT";
    VatExcludedNote => "Livraison hors Union européenne ou outre-mer : prix hors TVA. Les droits de douane et taxes locales sont à la charge de l'acheteur.", "Delivery outside the European Union or overseas: prices exclude VAT. Customs duties and local taxes are the buyer's.";
    PricesChanged => "Des prix ont changé depuis l'ajout au panier : le panier affiche les prix actuels.", "Some prices changed since you added the products: the cart shows the current prices.";
    NoLongerAvailable => "Ce produit n'est plus disponible et n'est pas compté.", "This product is no longer available and is not counted.";
    PaymentMethodsLabel => "Moyens de paiement possibles", "Payment methods available";
    PayCard => "Carte bancaire", "Card";
    PayApplePay => "Apple Pay", "Apple Pay";
    PayPaypal => "PayPal", "PayPal";
    PayKlarna => "Klarna en 3 fois", "Klarna in 3 instalments";
    PayBancontact => "Bancontact", "Bancontact";
    PayTransfer => "Virement bancaire", "Bank transfer";
    PayCheque => "Chèque", "Cheque";
    ErrEmailInvalid => "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.", "Enter a valid email address, such as name@example.com.";
    ErrPasswordTooShort => "Le mot de passe doit contenir au moins 8 caractères.", "The password must have at least 8 characters.";
    ErrPasswordTooLong => "Le mot de passe ne peut pas dépasser 128 caractères.", "The password cannot be longer than 128 characters.";
    ErrPasswordTooCommon => "Ce mot de passe est trop courant ou trop facile à deviner : essayez une phrase de plusieurs mots.", "This password is too common or too easy to guess: try a phrase of several words.";
    ErrFirstName => "Indiquez votre prénom.", "Enter your first name.";
    ErrLastName => "Indiquez votre nom.", "Enter your last name.";
    ErrReferralCode => "Ce code de parrainage n'est pas valide (4 à 32 lettres, chiffres ou tirets).", "This referral code is not valid (4 to 32 letters, digits or dashes).";
    ErrWrongCredentials => "Adresse e-mail ou mot de passe incorrect.", "Wrong email address or password.";
    ErrEmailNotVerified => "Confirmez d'abord votre adresse : nous venons de vous renvoyer le lien par e-mail.", "Please confirm your address first: we have just emailed you the link again.";
    ErrTooManyAttempts => "Trop de tentatives. Patientez quelques minutes avant de réessayer.", "Too many attempts. Wait a few minutes before trying again.";
    ErrInvalidLink => "Ce lien n'est plus valable : il a déjà servi ou il a expiré. Vous pouvez en demander un nouveau.", "This link is no longer valid: it was already used or has expired. You can ask for a new one.";
    ErrWrongCurrentPassword => "Le mot de passe actuel est incorrect.", "The current password is wrong.";
    ErrSignInRequired => "Connectez-vous pour continuer.", "Sign in to continue.";
    SignInTitle => "Connexion", "Sign in";
    SignInLead => "Retrouvez vos commandes, vos adresses et vos abonnements.", "Find your orders, addresses and subscriptions.";
    SignInButton => "Se connecter", "Sign in";
    SignUpTitle => "Créer un compte", "Create an account";
    SignUpLead => "Un compte vous permet de suivre vos commandes et de gérer vos abonnements.", "An account lets you follow your orders and manage your subscriptions.";
    SignUpButton => "Créer mon compte", "Create my account";
    NoAccountYet => "Pas encore de compte ?", "No account yet?";
    AlreadyHaveAccount => "Déjà un compte ?", "Already have an account?";
    ForgotPassword => "Mot de passe oublié ?", "Forgot your password?";
    EmailLabel => "Adresse e-mail", "Email address";
    PasswordLabel => "Mot de passe", "Password";
    NewPasswordLabel => "Nouveau mot de passe", "New password";
    CurrentPasswordLabel => "Mot de passe actuel", "Current password";
    PasswordHint => "Au moins 8 caractères. Une phrase de quelques mots est plus sûre et plus facile à retenir.", "At least 8 characters. A phrase of a few words is safer and easier to remember.";
    FirstNameLabel => "Prénom", "First name";
    LastNameLabel => "Nom", "Last name";
    NewsletterLabel => "Je souhaite recevoir la lettre d'information (conseils, nouveautés, offres). Désinscription en un clic.", "I would like to receive the newsletter (advice, new products, offers). Unsubscribe in one click.";
    ReferralLabel => "Code de parrainage (facultatif)", "Referral code (optional)";
    PrivacyNotice => "Vos données servent à gérer votre compte et vos commandes. Vous pouvez les consulter, les exporter ou les supprimer à tout moment depuis votre compte.", "Your data is used to manage your account and orders. You can view, export or delete it at any time from your account.";
    CheckEmailTitle => "Vérifiez votre boîte mail", "Check your inbox";
    CheckEmailText => "Si cette adresse peut être utilisée, vous allez recevoir un e-mail. Ouvrez le lien qu'il contient pour activer votre compte (valable 48 heures).", "If this address can be used, you will receive an email. Open the link it contains to activate your account (valid for 48 hours).";
    VerifyTitle => "Confirmer votre adresse", "Confirm your address";
    VerifyText => "Une dernière étape : confirmez votre adresse pour activer votre compte.", "One last step: confirm your address to activate your account.";
    VerifyButton => "Confirmer mon adresse", "Confirm my address";
    ResetTitle => "Mot de passe oublié", "Forgotten password";
    ResetLead => "Indiquez l'adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.", "Enter your account's address: we will send you a link to choose a new password.";
    ResetButton => "Envoyer le lien", "Send the link";
    ResetSent => "Si un compte existe pour cette adresse, un e-mail avec un lien valable une heure vient de lui être envoyé.", "If an account exists for this address, an email with a link valid for one hour has just been sent to it.";
    NewPasswordTitle => "Choisir un nouveau mot de passe", "Choose a new password";
    NewPasswordButton => "Enregistrer le mot de passe", "Save the password";
    PasswordResetDone => "Votre mot de passe a été modifié. Connectez-vous avec le nouveau.", "Your password was changed. Sign in with the new one.";
    SignedOutEverywhere => "Toutes vos sessions ont été fermées.", "All your sessions were signed out.";
    AccountTitle => "Mon compte", "My account";
    AccountHello => "Bonjour", "Hello";
    AccountSecurity => "Sécurité et connexions", "Security and sign-ins";
    AccountSecurityText => "Mot de passe, appareils connectés, déconnexion partout.", "Password, signed-in devices, sign out everywhere.";
    AccountOrders => "Mes commandes", "My orders";
    AccountOrdersEmpty => "Vous n'avez pas encore passé de commande.", "You have not placed an order yet.";
    SignOut => "Se déconnecter", "Sign out";
    SignOutEverywhere => "Se déconnecter partout", "Sign out everywhere";
    SignOutEverywhereText => "Ferme toutes les sessions ouvertes avec ce compte, sur tous les appareils, y compris celui-ci.", "Signs out every session of this account, on every device, this one included.";
    SessionsTitle => "Appareils connectés", "Signed-in devices";
    ThisDevice => "Cet appareil", "This device";
    SignedInOn => "Connexion le", "Signed in on";
    LastSeen => "Dernière activité", "Last active";
    ChangePasswordTitle => "Changer de mot de passe", "Change password";
    ChangePasswordText => "Vos autres sessions seront fermées.", "Your other sessions will be signed out.";
    ChangePasswordButton => "Changer le mot de passe", "Change the password";
    PasswordChanged => "Mot de passe modifié. Vos autres sessions ont été fermées.", "Password changed. Your other sessions were signed out.";
}
