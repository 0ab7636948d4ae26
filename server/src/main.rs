//! `server`: serves the store, or runs `migrate` / `seed`.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use server::settings::Settings;
use std::process::ExitCode;

/// See the `mimalloc` entry in `server/Cargo.toml` for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", version, about = "Comptoir storefront server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed the demo store when empty, and serve (the default).
    Serve {
        /// Do not insert demo data into an empty database.
        #[arg(long)]
        no_seed: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Insert the demo catalogue if the database has none, and exit.
    Seed {
        /// Then add deterministic synthetic products until the catalogue holds N (benchmarks).
        #[arg(long, value_name = "N")]
        products: Option<u64>,
    },
    /// Create a staff account (the first one runs the back office). The password is read from
    /// ADMIN_PASSWORD, or else from the first line of standard input, never from the command
    /// line (where `ps` and shell history would keep it).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
    },
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line that names the problem; URLs in it are already redacted.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let settings = Settings::from_env()?;
    server::telemetry::init(settings.app.log_format == "json");
    match cli.command.unwrap_or(Command::Serve { no_seed: false }) {
        Command::Migrate => {
            server::connect_and_migrate(&settings).await?;
            tracing::info!(database = %settings.database_url_redacted(), "migrations applied");
        }
        Command::Seed { products } => {
            let db = server::connect_and_migrate(&settings).await?;
            let report = server::seed::seed_demo(&db).await?;
            tracing::info!(
                categories = report.categories,
                products = report.products,
                articles = report.articles,
                "seed finished"
            );
            if let Some(total) = products {
                let added = server::seed::seed_synthetic(&db, total).await?;
                tracing::info!(added, total, "synthetic catalogue seeded");
            }
        }
        Command::CreateAdmin {
            email,
            first_name,
            last_name,
        } => {
            let db = server::connect_and_migrate(&settings).await?;
            let password = match std::env::var("ADMIN_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("cannot read the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let account = app::account::service::create_staff(
                &db,
                &email,
                password,
                &first_name,
                &last_name,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the staff account: {e}"))?;
            tracing::info!(id = account.id, email = %account.email, "staff account created");
        }
        Command::Serve { no_seed } => {
            let db = server::connect_and_migrate(&settings).await?;
            if !no_seed {
                let report = server::seed::seed_demo(&db).await?;
                if report.products > 0 || report.articles > 0 {
                    tracing::info!(
                        products = report.products,
                        articles = report.articles,
                        "demo store seeded"
                    );
                }
            }
            let state = server::app_state(&settings, db);
            server::check_payments(&state, &settings).await?;
            let addr = settings.leptos.site_addr;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} (LEPTOS_SITE_ADDR)"))?;
            tracing::info!(database = %settings.database_url_redacted(), "listening on http://{addr}");
            server::serve(listener, state, &settings, shutdown_signal())
                .await
                .context("server error")?;
            tracing::info!("stopped");
        }
    }
    Ok(())
}

/// Resolves on ctrl-c or SIGTERM, so open requests can finish before exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested, draining open requests");
}
