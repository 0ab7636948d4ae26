//! The outbox sender against a fake SMTP relay: emails go out once, a refused recipient is
//! given up with the reason kept, a relay that cannot be reached is retried later, and two
//! instances sending at once never send an email twice.

use crate::support;

use app::clock::Clock as _;

use app::db::entities::email_outbox;
use chrono::{Duration, Utc};
use sea_orm::{EntityTrait, QueryOrder};
use server::mailer::{self, MAX_ATTEMPTS, Round};
use support::{Backend, TestApp, spawn};

both_backends!(
    emails_go_out_once_through_the_relay,
    a_refused_recipient_is_given_up_with_its_reason,
    an_unreachable_relay_is_retried_later,
    two_instances_never_send_an_email_twice,
    an_erasure_confirmation_leaves_nothing_once_sent,
    every_email_goes_as_text_and_html_saying_the_same,
);

fn from() -> server::mailer::Sender {
    support::smtp::sender()
}

async fn queue(app: &TestApp, to: &str, subject: &str) {
    app::email::queue(
        &app.db,
        app::email::Email {
            to,
            kind: "test",
            subject: subject.to_owned(),
            body: format!("Bonjour,\nvoici le lien : https://exemple.fr/x?token=abc\n{subject}\n"),
            locale: app::i18n::Locale::Fr,
        },
        app.clock.now(),
    )
    .await
    .unwrap();
}

async fn outbox(app: &TestApp) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .order_by_asc(email_outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn emails_go_out_once_through_the_relay(backend: Backend) {
    let app = spawn(backend).await;
    let relay = support::smtp::start().await;
    let transport = mailer::transport(&relay.url()).unwrap();
    queue(&app, "camille@exemple.fr", "Votre commande est confirmée").await;
    queue(&app, "paul@exemple.fr", "Réinitialisation").await;
    let now = Utc::now();
    let round = mailer::send_due(&app.db, &transport, &from(), now)
        .await
        .unwrap();
    assert_eq!(round, Round { sent: 2, failed: 0 });
    let messages = relay.messages();
    assert_eq!(messages.len(), 2);
    assert!(
        messages[0].contains("To: camille@exemple.fr"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("From: \"Comptoir Botanique\" <boutique@exemple.fr>")
            || messages[0].contains("From: Comptoir Botanique <boutique@exemple.fr>"),
        "{}",
        messages[0]
    );
    // French text goes out as UTF-8, quoted-printable (`=` is written `=3D`).
    assert!(
        messages[0].contains("text/plain; charset=utf-8"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("token=3Dabc") || messages[0].contains("token=abc"),
        "{}",
        messages[0]
    );
    for row in outbox(&app).await {
        assert!(row.sent_at.is_some());
        assert_eq!((row.attempts, row.last_error), (1, None));
    }
    // Nothing is sent twice, however often the round runs.
    let again = mailer::send_due(&app.db, &transport, &from(), now + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(again, Round::default());
    assert_eq!(relay.messages().len(), 2);
}

async fn a_refused_recipient_is_given_up_with_its_reason(backend: Backend) {
    let app = spawn(backend).await;
    let relay = support::smtp::start().await;
    let transport = mailer::transport(&relay.url()).unwrap();
    queue(&app, "refuse@exemple.fr", "Refusé").await;
    queue(&app, "not an address", "Illisible").await;
    queue(&app, "ok@exemple.fr", "Accepté").await;
    let now = Utc::now();
    let round = mailer::send_due(&app.db, &transport, &from(), now)
        .await
        .unwrap();
    assert_eq!(round, Round { sent: 1, failed: 2 });
    let rows = outbox(&app).await;
    for row in &rows[..2] {
        assert!(row.sent_at.is_none());
        assert_eq!(row.attempts, MAX_ATTEMPTS, "given up at once");
    }
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("550"),
        "{:?}",
        rows[0].last_error
    );
    assert!(
        rows[1]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("invalid recipient")
    );
    let later = mailer::send_due(&app.db, &transport, &from(), now + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(later, Round::default());
}

async fn an_unreachable_relay_is_retried_later(backend: Backend) {
    let app = spawn(backend).await;
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let down = mailer::transport(&format!("smtp://127.0.0.1:{port}")).unwrap();
    queue(&app, "camille@exemple.fr", "Patience").await;
    let now = Utc::now();
    assert_eq!(
        mailer::send_due(&app.db, &down, &from(), now)
            .await
            .unwrap(),
        Round { sent: 0, failed: 1 }
    );
    let row = outbox(&app).await.remove(0);
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.is_some());
    assert!(row.next_attempt_at.unwrap() > now);
    // Not before its time, then through the relay once it is back.
    let relay = support::smtp::start().await;
    let up = mailer::transport(&relay.url()).unwrap();
    assert_eq!(
        mailer::send_due(&app.db, &up, &from(), now + Duration::seconds(10))
            .await
            .unwrap(),
        Round::default()
    );
    let round = mailer::send_due(&app.db, &up, &from(), now + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(round, Round { sent: 1, failed: 0 });
    let row = outbox(&app).await.remove(0);
    assert_eq!((row.attempts, row.last_error.is_none()), (2, true));
}

async fn two_instances_never_send_an_email_twice(backend: Backend) {
    let app = spawn(backend).await;
    let relay = support::smtp::start().await;
    for i in 0..30 {
        queue(
            &app,
            &format!("client{i}@exemple.fr"),
            &format!("Message {i}"),
        )
        .await;
    }
    let now = Utc::now();
    let mut rounds = Vec::new();
    for _ in 0..2 {
        let db = app.db.clone();
        let transport = mailer::transport(&relay.url()).unwrap();
        rounds.push(tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let round = mailer::send_due(&db, &transport, &from(), now)
                    .await
                    .unwrap();
                if round.sent == 0 {
                    return sent;
                }
                sent += round.sent;
            }
        }));
    }
    let mut total = 0;
    for round in rounds {
        total += round.await.unwrap();
    }
    assert_eq!(total, 30);
    let mut recipients: Vec<String> = relay
        .messages()
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("To: ")).map(str::to_owned))
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 30);
    assert_eq!(relay.messages().len(), 30, "each email once");
}

/// The running server sends what it queues when a relay is configured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_sends_its_outbox_through_the_configured_relay() {
    let relay = support::smtp::start().await;
    let url = relay.url();
    let app = support::spawn_with(Backend::Sqlite, |s| {
        s.app.smtp_url = url;
        s.app.mail_from = "Boutique <boutique@exemple.fr>".into();
    })
    .await;
    let response = support::forms::post_form(
        &app,
        "/api/account/sign-up",
        &[
            ("email", "nouvelle@exemple.fr"),
            ("password", "vert-galet-lune-38"),
            ("first_name", "Inès"),
            ("last_name", "Roux"),
        ],
        "",
    )
    .await;
    assert_eq!(response.status(), reqwest::StatusCode::FOUND);
    // Sent, and marked sent (just after the relay's answer), within 10 s.
    let mut waited = 0;
    while outbox(&app).await[0].sent_at.is_none() && waited < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    assert!(outbox(&app).await[0].sent_at.is_some(), "sent within 10 s");
    let messages = relay.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("To: nouvelle@exemple.fr"));
}

async fn an_erasure_confirmation_leaves_nothing_once_sent(backend: Backend) {
    let app = spawn(backend).await;
    let relay = support::smtp::start().await;
    let transport = mailer::transport(&relay.url()).unwrap();
    app::email::queue(
        &app.db,
        app::email::Email {
            to: "efface@exemple.fr",
            kind: app::privacy::service::data::ERASED_EMAIL_KIND,
            subject: "Votre compte a été supprimé".to_owned(),
            body: "Bonjour Zoé,\nvotre compte a été supprimé.\n".to_owned(),
            locale: app::i18n::Locale::Fr,
        },
        app.clock.now(),
    )
    .await
    .unwrap();
    queue(&app, "garde@exemple.fr", "Une autre").await;
    let round = mailer::send_due(&app.db, &transport, &from(), Utc::now())
        .await
        .unwrap();
    assert_eq!(round, Round { sent: 2, failed: 0 });
    assert!(relay.messages()[0].contains("Zo"), "sent with its text");
    let rows = outbox(&app).await;
    assert_eq!(
        (rows[0].to_address.as_str(), rows[0].body_text.as_str()),
        ("erased", "")
    );
    assert_eq!(
        rows[1].to_address, "garde@exemple.fr",
        "other emails stay readable"
    );
}

/// What a mail client reads of a message: its text part, its HTML part, its attachments' names.
fn read(raw: &str) -> (String, String, Vec<String>) {
    use mail_parser::{MessageParser, MimeHeaders};
    let message = MessageParser::default().parse(raw.as_bytes()).unwrap();
    assert_eq!(
        (message.text_body.len(), message.html_body.len()),
        (1, 1),
        "one text and one HTML part:\n{raw}"
    );
    let text = message.body_text(0).unwrap().into_owned();
    let html = message.body_html(0).unwrap().into_owned();
    assert_ne!(
        text, html,
        "the HTML part is not the text converted by the parser"
    );
    let attached = message
        .attachments()
        .filter_map(|a| a.attachment_name().map(str::to_owned))
        .collect();
    (text, html, attached)
}

async fn every_email_goes_as_text_and_html_saying_the_same(backend: Backend) {
    use support::shop::*;
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1~{}x2", serum.id, magnesium.id);
    // A shopper whose name is markup: it must reach the HTML part as text.
    let name = "<b>Zoé</b> & \"Cie\"";
    let mut fields = details("balise@exemple.fr", "FR", "69002");
    for (key, value) in &mut fields {
        if key.ends_with("[first_name]") {
            *value = name.to_owned();
        }
    }
    let cookies = fill_with(&app, &cart, &fields, "card").await;
    let response = place(&app, &cookies, &key(802)).await;
    answer_demo(
        &app,
        &payment_id(&support::forms::location(&response)),
        "pay",
    )
    .await;
    let by_transfer = fill(&app, &cart, "virement@exemple.fr", "FR", "bank_transfer").await;
    place(&app, &by_transfer, &key(803)).await;
    support::shop::eventually("both emails", || async {
        mails(&app, "order_confirmed").await.len() == 1
            && mails(&app, "order_awaiting_payment").await.len() == 1
    })
    .await;
    let written: Vec<_> = outbox(&app).await;

    let relay = support::smtp::start().await;
    let transport = mailer::transport(&relay.url()).unwrap();
    let round = mailer::send_due(&app.db, &transport, &from(), Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, written.len());
    let messages = relay.messages();
    for email in &written {
        let raw = messages
            .iter()
            .find(|m| m.contains(&format!("To: {}", email.to_address)))
            .unwrap();
        assert!(raw.contains("multipart/alternative"), "{raw}");
        let (text, html, attached) = read(raw);
        assert_eq!(
            text.replace("\r\n", "\n"),
            email.body_text,
            "the text as written"
        );
        support::smtp::assert_same_facts(&text, &html);
        assert!(html.contains("<html lang=\"fr\">"), "{html}");
        assert!(html.contains("https://boutique.exemple/img/email-logo.png"));
        match email.kind.as_str() {
            "order_confirmed" => {
                assert!(text.contains(name), "{text}");
                assert!(
                    html.contains("&lt;b&gt;Zoé&lt;/b&gt; &amp; &quot;Cie&quot;"),
                    "{html}"
                );
                // The order's lines and totals are a table in the HTML part.
                let document = scraper::Html::parse_document(&html);
                let cells: Vec<String> = document
                    .select(&scraper::Selector::parse("td").unwrap())
                    .map(|td| td.text().collect::<String>())
                    .collect();
                for fact in [serum.name_fr.as_str(), "Total"] {
                    assert!(cells.iter().any(|c| c.contains(fact)), "{fact}: {cells:?}");
                }
                // Still attached: the invoice, the terms accepted and the withdrawal form.
                assert_eq!(attached.len(), 3, "{attached:?}");
            }
            "order_awaiting_payment" => {
                assert!(html.contains("IBAN"), "{html}");
                assert!(attached.is_empty());
            }
            other => panic!("unexpected email {other}"),
        }
    }
}
