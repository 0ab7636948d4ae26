//! The texts of account emails, in the shopper's language.

use crate::email::Email;
use crate::i18n::Locale;

pub(crate) fn verify<'a>(to: &'a str, first_name: &str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Confirmez votre adresse e-mail",
            format!(
                "Bonjour {first_name},\n\nPour activer votre compte Comptoir Botanique, confirmez votre adresse en ouvrant ce lien (valable 48 heures) :\n{link}\n\nSi vous n'avez pas créé de compte, ignorez cet e-mail.\n"
            ),
        ),
        Locale::En => (
            "Confirm your email address",
            format!(
                "Hello {first_name},\n\nTo activate your Comptoir Botanique account, confirm your address by opening this link (valid for 48 hours):\n{link}\n\nIf you did not create an account, ignore this email.\n"
            ),
        ),
    };
    Email {
        to,
        kind: "account_verify",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn already_registered<'a>(
    to: &'a str,
    sign_in: &str,
    reset: &str,
    locale: Locale,
) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Vous avez déjà un compte",
            format!(
                "Bonjour,\n\nQuelqu'un (vous, sans doute) a voulu créer un compte avec cette adresse, qui en a déjà un.\nConnectez-vous : {sign_in}\nMot de passe oublié ? {reset}\n\nSi ce n'était pas vous, ignorez cet e-mail : rien n'a changé.\n"
            ),
        ),
        Locale::En => (
            "You already have an account",
            format!(
                "Hello,\n\nSomeone (probably you) tried to create an account with this address, which already has one.\nSign in: {sign_in}\nForgot your password? {reset}\n\nIf it was not you, ignore this email: nothing has changed.\n"
            ),
        ),
    };
    Email {
        to,
        kind: "account_exists",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn reset<'a>(to: &'a str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Réinitialisation de votre mot de passe",
            format!(
                "Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, utilisable une fois) :\n{link}\n\nSi vous n'avez rien demandé, ignorez cet e-mail : votre mot de passe reste le même.\n"
            ),
        ),
        Locale::En => (
            "Resetting your password",
            format!(
                "Hello,\n\nTo choose a new password, open this link (valid for one hour, usable once):\n{link}\n\nIf you did not ask for this, ignore this email: your password stays the same.\n"
            ),
        ),
    };
    Email {
        to,
        kind: "password_reset",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn password_changed<'a>(to: &'a str, reset: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Votre mot de passe a été modifié",
            format!(
                "Bonjour,\n\nLe mot de passe de votre compte vient d'être modifié et vos autres sessions ont été fermées.\nSi ce n'était pas vous, choisissez-en un nouveau tout de suite : {reset}\n"
            ),
        ),
        Locale::En => (
            "Your password was changed",
            format!(
                "Hello,\n\nYour account's password was just changed and your other sessions were signed out.\nIf it was not you, choose a new one right away: {reset}\n"
            ),
        ),
    };
    Email {
        to,
        kind: "password_changed",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn change_email<'a>(to: &'a str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Confirmez votre nouvelle adresse e-mail",
            format!(
                "Bonjour,\n\nPour que votre compte Comptoir Botanique utilise désormais cette adresse, ouvrez ce lien (valable 24 heures) :\n{link}\n\nSi vous n'avez rien demandé, ignorez cet e-mail : rien ne changera.\n"
            ),
        ),
        Locale::En => (
            "Confirm your new email address",
            format!(
                "Hello,\n\nTo make your Comptoir Botanique account use this address from now on, open this link (valid for 24 hours):\n{link}\n\nIf you asked for nothing, ignore this email: nothing will change.\n"
            ),
        ),
    };
    Email {
        to,
        kind: "email_change",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

/// To the old address: a change was asked for, or made.
pub(crate) fn email_change_notice<'a>(
    to: &'a str,
    new_address: &str,
    done: bool,
    reset: &str,
    locale: Locale,
) -> Email<'a> {
    let (subject, body) = match (locale, done) {
        (Locale::Fr, false) => (
            "Changement d'adresse e-mail demandé",
            format!(
                "Bonjour,\n\nUn changement d'adresse e-mail de votre compte vers {new_address} a été demandé. Il ne prendra effet que si le lien envoyé à cette adresse est ouvert.\nSi ce n'était pas vous, changez votre mot de passe : {reset}\n"
            ),
        ),
        (Locale::Fr, true) => (
            "Votre adresse e-mail a été modifiée",
            format!(
                "Bonjour,\n\nVotre compte utilise désormais l'adresse {new_address}. Cette adresse-ci ne recevra plus nos messages.\nSi ce n'était pas vous, contactez-nous en répondant à cet e-mail.\n"
            ),
        ),
        (Locale::En, false) => (
            "Email address change requested",
            format!(
                "Hello,\n\nA change of your account's email address to {new_address} was requested. It only takes effect if the link sent to that address is opened.\nIf it was not you, change your password: {reset}\n"
            ),
        ),
        (Locale::En, true) => (
            "Your email address was changed",
            format!(
                "Hello,\n\nYour account now uses the address {new_address}. This address will no longer receive our messages.\nIf it was not you, contact us by replying to this email.\n"
            ),
        ),
    };
    Email {
        to,
        kind: if done {
            "email_changed"
        } else {
            "email_change_requested"
        },
        subject: subject.to_owned(),
        body,
        locale,
    }
}
