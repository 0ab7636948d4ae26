//! What the browser sees of an account. Never the password hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// What an account may do: shop, write articles, or run the shop.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Role {
        Customer = "customer",
        Editor = "editor",
        Staff = "staff",
    }
}

impl Role {
    /// Whether the back office (`/admin`) is open to this role.
    pub fn is_back_office(self) -> bool {
        matches!(self, Role::Editor | Role::Staff)
    }
}

/// The signed-in shopper, as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
}

/// One of the account's open sessions (the security page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// The session of this very browser.
    pub current: bool,
    /// The browser, as its `User-Agent` named it at sign-in (shortened).
    pub device: String,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// The profile form's values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub email: String,
    /// A code of `rules::TITLES`, or none.
    pub title: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
}

/// An address of the address book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressView {
    pub id: i32,
    pub label: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    /// A delivery destination code.
    pub country: String,
    pub phone: Option<String>,
    pub is_default: bool,
}

impl AddressView {
    /// The form values to edit this address.
    pub fn input(&self) -> AddressInput {
        AddressInput {
            label: self.label.clone().unwrap_or_default(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company: self.company.clone().unwrap_or_default(),
            line1: self.line1.clone(),
            line2: self.line2.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            phone: self.phone.clone().unwrap_or_default(),
        }
    }
}

/// An address as a form sends it (a field left out counts as empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AddressInput {
    pub label: String,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub phone: String,
}
