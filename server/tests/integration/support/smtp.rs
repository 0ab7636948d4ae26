//! A fake SMTP relay speaking the part of RFC 5321 a client uses to hand over mail: it keeps
//! what it accepts, and refuses (550) any recipient whose address contains "refuse".

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// The relay's address and the messages it accepted (their raw text).
pub struct FakeRelay {
    pub port: u16,
    pub accepted: Arc<Mutex<Vec<String>>>,
}

impl FakeRelay {
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<String> {
        self.accepted.lock().unwrap().clone()
    }
}

/// The shop as the sender of its emails.
pub fn sender() -> server::mailer::Sender {
    server::mailer::Sender {
        from: "Comptoir Botanique <boutique@exemple.fr>".parse().unwrap(),
        site: "https://boutique.exemple".to_owned(),
    }
}

pub async fn start() -> FakeRelay {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let kept = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake.relay ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    let answer: &[u8] = if command.starts_with("EHLO") {
                        b"250-fake.relay\r\n250 8BITMIME\r\n"
                    } else if command.starts_with("RCPT") && command.contains("REFUSE") {
                        b"550 5.1.1 no such mailbox\r\n"
                    } else if command.starts_with("DATA") {
                        write.write_all(b"354 go ahead\r\n").await.ok();
                        let mut message = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            message.push_str(&line);
                            message.push('\n');
                        }
                        kept.lock().unwrap().push(message);
                        b"250 2.0.0 queued\r\n"
                    } else if command.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    FakeRelay { port, accepted }
}

/// The HTML part the shop sends with `email` (see `app::email::html`).
pub fn html_of(email: &app::db::entities::email_outbox::Model) -> String {
    let sender = sender();
    app::email::html::render(
        app::email::html::Frame {
            site: &sender.site,
            shop: "Comptoir Botanique",
            locale: app::i18n::Locale::from_code(&email.locale).unwrap(),
        },
        &email.subject,
        &email.body_text,
    )
}

/// Checks that `html` says what `text` says: every word of the text, in the same order, in what
/// the HTML shows (separators such as `:` and `—` aside), every link of the text as a link, and
/// no markup of the text's own (a customer's name, a review) turned into HTML.
pub fn assert_same_facts(text: &str, html: &str) {
    use scraper::{Html, Selector};
    let document = Html::parse_document(html);
    let markup = Selector::parse("body script, body style, body img:not([src$='/img/email-logo.png']), body iframe, body b, body object").unwrap();
    assert!(
        document.select(&markup).next().is_none(),
        "markup got through:\n{html}"
    );
    let links: Vec<&str> = document
        .select(&Selector::parse("a[href]").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let shown: Vec<String> = document
        .select(&Selector::parse("body").unwrap())
        .flat_map(|body| body.text())
        .flat_map(str::split_whitespace)
        .map(|w| bare_word(w).to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    let mut at = 0;
    for word in text.split_whitespace() {
        let link = word
            .trim_start_matches('(')
            .trim_end_matches(['.', ',', ';', ')']);
        if link.starts_with("http") {
            assert!(
                links.contains(&link),
                "link {link} is not in the HTML part:\n{html}"
            );
            continue;
        }
        let word = bare_word(word);
        if word.is_empty() {
            continue;
        }
        match shown[at..].iter().position(|s| s == word) {
            Some(found) => at += found + 1,
            None => panic!(
                "`{word}` of the text is not in the HTML part (in order):\n{text}\n---\n{}",
                shown.join(" ")
            ),
        }
    }
}

fn bare_word(word: &str) -> &str {
    word.trim_matches(|c| matches!(c, ':' | '—' | '-'))
}
