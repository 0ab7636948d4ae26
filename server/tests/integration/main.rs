//! Every integration test of the server, in one test binary (one link instead of one per
//! file, and one copy on disk): each file is a module, its tests run one per process under
//! nextest as before, each against a real server on port 0 and a real database.

#[macro_use]
mod support;

#[global_allocator]
static HEAP: support::memory::Counting = support::memory::Counting;

mod account_data;
mod accounts;
mod after_sales;
mod articles;
mod back_office;
mod cart;
mod cart_reminders;
mod catalog;
mod catalogue_admin;
mod checkout;
mod cli;
mod dashboard;
mod emails;
mod exports;
mod guest_rights;
mod hardening;
mod http;
mod imports;
mod legal;
mod mailer;
mod mollie;
mod newsletter;
mod notices;
mod objection;
mod personal_data;
mod privacy;
mod promotions;
mod refunds;
mod retention;
mod reviews;
mod rewards;
mod sales;
mod slips;
mod store_credit;
mod stripe;
mod stripe_subscriptions;
mod subscriptions;
mod variants;
mod wishlist;
mod withdrawal;
