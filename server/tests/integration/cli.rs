//! The `server` binary refuses bad settings and unreachable databases with one clear line.

use std::path::Path;
use std::process::Command;

/// The `server` binary run in `dir` with the default database and no log lines.
fn server_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "off");
    command
}

/// Runs `server ARGS` in a fresh folder with `envs`: (success, stderr trimmed).
fn run(envs: &[(&str, &str)], args: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = server_in(dir.path(), args);
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().expect("run server");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    )
}

#[test]
fn a_bad_setting_stops_the_server_with_one_line_naming_it() {
    let (ok, stderr) = run(&[("APP__MAX_BODY_BYTES", "lots")], &["migrate"]);
    assert!(!ok);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: invalid APP__ setting"),
        "{stderr}"
    );
    assert!(stderr.contains("max_body_bytes"), "{stderr}");

    let (ok, stderr) = run(&[("APP__LOG_FORMAT", "xml")], &["migrate"]);
    assert!(!ok);
    assert!(stderr.contains("APP__LOG_FORMAT"), "{stderr}");

    let (ok, stderr) = run(
        &[("APP__SMTP_URL", "carrier-pigeon://u:hunter2@h")],
        &["migrate"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("APP__SMTP_URL") && !stderr.contains("hunter2"),
        "{stderr}"
    );

    let (ok, stderr) = run(&[("APP__MAIL_FROM", "not an address")], &["migrate"]);
    assert!(!ok);
    assert!(stderr.contains("APP__MAIL_FROM"), "{stderr}");

    let (ok, stderr) = run(&[("DATABASE_URL", "mysql://u:hunter2@h/db")], &["migrate"]);
    assert!(!ok);
    assert!(
        stderr.contains("DATABASE_URL") && !stderr.contains("hunter2"),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let (ok, stderr) = run(
        &[("DATABASE_URL", "postgres://shop:hunter2@127.0.0.1:1/shop")],
        &["migrate"],
    );
    assert!(!ok);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("postgres://shop:***@127.0.0.1:1/shop"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn migrate_and_seed_create_the_sqlite_database_under_data() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["migrate", "seed"] {
        let status = server_in(dir.path(), &[command]).status().unwrap();
        assert!(status.success(), "server {command}");
    }
    assert!(dir.path().join("data/comptoir.db").exists());
}

#[test]
fn serving_without_a_payment_provider_is_refused_in_one_line() {
    // The demo data (seeded on the first start) sells by subscription: a start without any
    // provider, or with Mollie but no recurring provider, never serves.
    let (ok, stderr) = run(
        &[
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("APP__DEMO_PAYMENTS", "false"),
        ],
        &["serve"],
    );
    assert!(!ok);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("APP__MOLLIE_API_KEY") && stderr.contains("APP__DEMO_PAYMENTS"),
        "{stderr}"
    );
    let (ok, stderr) = run(
        &[
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("APP__DEMO_PAYMENTS", "false"),
            ("APP__MOLLIE_API_KEY", "test_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ],
        &["serve"],
    );
    assert!(!ok);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("APP__STRIPE_SECRET_KEY"), "{stderr}");
    assert!(
        !stderr.contains("test_aaaa"),
        "the key is never printed: {stderr}"
    );
}
