//! Reading the settings: defaults, then the environment, then checks that stop the process on a bad value.

use super::*;

impl Settings {
    /// Default settings on `database_url`, without reading the environment (for tests and tools).
    pub fn with_database(database_url: impl Into<String>) -> Settings {
        Settings {
            database_url: database_url.into(),
            app: AppSettings::default(),
            leptos: LeptosOptions::builder()
                .output_name("comptoir")
                .site_root("target/site")
                .build(),
        }
    }

    /// Reads the settings from the environment.
    ///
    /// # Errors
    /// A message naming the first bad or missing setting.
    pub fn from_env() -> Result<Settings> {
        let defaults = AppSettings::default();
        let app: AppSettings = config::Config::builder()
            .set_default("public_url", defaults.public_url)?
            .set_default("secure_cookies", defaults.secure_cookies)?
            .set_default("max_body_bytes", u64::try_from(defaults.max_body_bytes)?)?
            .set_default("db_max_connections", defaults.db_max_connections)?
            .set_default("log_format", defaults.log_format)?
            .set_default("search_cache_seconds", defaults.search_cache_seconds)?
            .set_default("content_check_ms", defaults.content_check_ms)?
            .set_default("shutdown_drain_seconds", defaults.shutdown_drain_seconds)?
            .set_default("page_cache_entries", defaults.page_cache_entries)?
            .set_default("session_idle_minutes", defaults.session_idle_minutes)?
            .set_default("session_absolute_hours", defaults.session_absolute_hours)?
            .set_default("smtp_url", defaults.smtp_url)?
            .set_default("mail_from", defaults.mail_from)?
            .set_default("payment_minutes", defaults.payment_minutes)?
            .set_default("offline_payment_days", defaults.offline_payment_days)?
            .set_default("mollie_api_key", defaults.mollie_api_key.0)?
            .set_default("mollie_base_url", defaults.mollie_base_url)?
            .set_default("payment_timeout_seconds", defaults.payment_timeout_seconds)?
            .set_default("stripe_secret_key", defaults.stripe_secret_key.0)?
            .set_default("stripe_webhook_secret", defaults.stripe_webhook_secret.0)?
            .set_default("stripe_base_url", defaults.stripe_base_url)?
            .set_default("laposte_api_key", defaults.laposte_api_key.0)?
            .set_default("laposte_base_url", defaults.laposte_base_url)?
            .set_default(
                "subscription_reminder_days",
                defaults.subscription_reminder_days,
            )?
            .set_default("inactivity_grace_days", defaults.inactivity_grace_days)?
            .set_default("guest_retention_months", defaults.guest_retention_months)?
            .set_default("media_dir", defaults.media_dir.clone())?
            .set_default("demo_payments", defaults.demo_payments)?
            .set_default("trusted_proxies", defaults.trusted_proxies.clone())?
            .add_source(
                config::Environment::with_prefix("APP")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()
            .and_then(config::Config::try_deserialize)
            .context("invalid APP__ setting")?;
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
        let mut leptos = leptos::config::get_configuration(None)
            .context("invalid LEPTOS_ setting")?
            .leptos_options;
        if leptos.output_name.is_empty() {
            leptos.output_name = "comptoir".into();
        }
        let settings = Settings {
            database_url,
            app,
            leptos,
        };
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<()> {
        let url = &self.database_url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            bail!(
                "DATABASE_URL must start with sqlite: or postgres:// (got {})",
                redact_url(url)
            );
        }
        if !(self.app.public_url.starts_with("http://")
            || self.app.public_url.starts_with("https://"))
        {
            bail!(
                "APP__PUBLIC_URL must be an http:// or https:// origin (got {})",
                self.app.public_url
            );
        }
        if self.app.max_body_bytes < 1024 {
            bail!(
                "APP__MAX_BODY_BYTES must be at least 1024 (got {})",
                self.app.max_body_bytes
            );
        }
        if self.app.db_max_connections == 0 {
            bail!("APP__DB_MAX_CONNECTIONS must be at least 1");
        }
        if self.app.search_cache_seconds > 3600 {
            bail!(
                "APP__SEARCH_CACHE_SECONDS must be at most 3600 (got {})",
                self.app.search_cache_seconds
            );
        }
        if self.app.content_check_ms > 60_000 {
            bail!(
                "APP__CONTENT_CHECK_MS must be at most 60000 (got {})",
                self.app.content_check_ms
            );
        }
        if self.app.shutdown_drain_seconds > 120 {
            bail!(
                "APP__SHUTDOWN_DRAIN_SECONDS must be at most 120 (got {})",
                self.app.shutdown_drain_seconds
            );
        }
        if self.app.page_cache_entries > 1_000_000 {
            bail!(
                "APP__PAGE_CACHE_ENTRIES must be at most 1000000 (got {})",
                self.app.page_cache_entries
            );
        }
        if !(5..=60 * 24 * 30).contains(&self.app.session_idle_minutes) {
            bail!(
                "APP__SESSION_IDLE_MINUTES must be between 5 and 43200 (got {})",
                self.app.session_idle_minutes
            );
        }
        if !(1..=24 * 365).contains(&self.app.session_absolute_hours) {
            bail!(
                "APP__SESSION_ABSOLUTE_HOURS must be between 1 and 8760 (got {})",
                self.app.session_absolute_hours
            );
        }
        if !(5..=24 * 60).contains(&self.app.payment_minutes) {
            bail!(
                "APP__PAYMENT_MINUTES must be between 5 and 1440 (got {})",
                self.app.payment_minutes
            );
        }
        if !(1..=60).contains(&self.app.offline_payment_days) {
            bail!(
                "APP__OFFLINE_PAYMENT_DAYS must be between 1 and 60 (got {})",
                self.app.offline_payment_days
            );
        }
        let key = self.app.mollie_api_key.expose();
        if !(key.is_empty() || key.starts_with("test_") || key.starts_with("live_")) {
            bail!("APP__MOLLIE_API_KEY must start with test_ or live_ (the key is not shown)");
        }
        if !(self.app.mollie_base_url.starts_with("https://")
            || self.app.mollie_base_url.starts_with("http://"))
        {
            bail!("APP__MOLLIE_BASE_URL must be an http(s) URL");
        }
        if !(self.app.laposte_base_url.starts_with("https://")
            || self.app.laposte_base_url.starts_with("http://"))
        {
            bail!("APP__LAPOSTE_BASE_URL must be an http(s) URL");
        }
        let stripe = self.app.stripe_secret_key.expose();
        if !(stripe.is_empty()
            || stripe.starts_with("sk_test_")
            || stripe.starts_with("sk_live_")
            || stripe.starts_with("rk_"))
        {
            bail!(
                "APP__STRIPE_SECRET_KEY must start with sk_test_, sk_live_ or rk_ (the key is not shown)"
            );
        }
        if !stripe.is_empty()
            && !self
                .app
                .stripe_webhook_secret
                .expose()
                .starts_with("whsec_")
        {
            bail!(
                "APP__STRIPE_WEBHOOK_SECRET (whsec_…) is needed with a Stripe key (the secret is not shown)"
            );
        }
        if !(self.app.stripe_base_url.starts_with("https://")
            || self.app.stripe_base_url.starts_with("http://"))
        {
            bail!("APP__STRIPE_BASE_URL must be an http(s) URL");
        }
        if !(1..=30).contains(&self.app.subscription_reminder_days) {
            bail!(
                "APP__SUBSCRIPTION_REMINDER_DAYS must be between 1 and 30 (got {})",
                self.app.subscription_reminder_days
            );
        }
        if !(7..=365).contains(&self.app.inactivity_grace_days) {
            bail!(
                "APP__INACTIVITY_GRACE_DAYS must be between 7 and 365 (got {})",
                self.app.inactivity_grace_days
            );
        }
        // At least the two years of the legal guarantee of conformity; at most ten.
        if !(24..=120).contains(&self.app.guest_retention_months) {
            bail!(
                "APP__GUEST_RETENTION_MONTHS must be between 24 and 120 (got {})",
                self.app.guest_retention_months
            );
        }
        if !(1..=60).contains(&self.app.payment_timeout_seconds) {
            bail!(
                "APP__PAYMENT_TIMEOUT_SECONDS must be between 1 and 60 (got {})",
                self.app.payment_timeout_seconds
            );
        }
        if !self.app.smtp_url.is_empty() {
            crate::mailer::transport(&self.app.smtp_url).map_err(|e| {
                anyhow::anyhow!(
                    "APP__SMTP_URL is not a usable SMTP URL ({}): {e}",
                    redact_url(&self.app.smtp_url)
                )
            })?;
        }
        if self
            .app
            .mail_from
            .parse::<lettre::message::Mailbox>()
            .is_err()
        {
            bail!(
                "APP__MAIL_FROM must be an address such as \"Shop <shop@example.com>\" (got {})",
                self.app.mail_from
            );
        }
        self.app.trusted_proxies()?;
        if !matches!(self.app.log_format.as_str(), "pretty" | "json") {
            bail!(
                "APP__LOG_FORMAT must be pretty or json (got {})",
                self.app.log_format
            );
        }
        Ok(())
    }

    /// The database URL with any password replaced by `***`, for messages and logs.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url)
    }
}

/// Replaces the password of a URL such as `postgres://user:secret@host/db` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}{tail}")
            } else {
                format!("{scheme}://{user}@{host}{tail}")
            }
        }
        None => url.to_owned(),
    }
}
