//! The `/account` pages. Their forms post straight to the account server functions, so they
//! work before (and without) the WASM; errors come back next to the form.

mod addresses;
mod overview;
mod profile;
mod reset;
mod security;
mod sign_in;
mod sign_up;

pub use addresses::{AddressEditPage, AddressesPage};
pub use overview::AccountPage;
pub use profile::ProfilePage;
pub use reset::{NewPasswordPage, ResetPage};
pub use security::{ConfirmEmailChangePage, SecurityPage};
pub use sign_in::SignInPage;
pub use sign_up::{CheckEmailPage, SignUpPage, VerifyPage};
