//! What a review is, on both sides.

use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// Where a review is in moderation.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ReviewStatus {
        /// Written, waiting for staff.
        Pending = "pending",
        Published = "published",
        /// Not published; the author was told why.
        Refused = "refused",
    }
}

/// The shortest and longest review text.
pub const MIN_BODY: usize = 10;
pub const MAX_BODY: usize = 2_000;
/// The longest refusal reason.
pub const MAX_REASON: usize = 500;

/// The name a review is shown under: the first name and the initial of the last name.
pub fn author_name(first_name: &str, last_name: &str) -> String {
    let first = first_name.trim();
    match last_name.trim().chars().next() {
        Some(initial) => format!("{first} {}.", initial.to_uppercase()),
        None => first.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_is_shown_by_first_name_and_initial() {
        assert_eq!(author_name("Zéphyrine", "quintalbert"), "Zéphyrine Q.");
        assert_eq!(author_name(" Élise ", " "), "Élise");
        assert_eq!(author_name("Ana", "Ørsted"), "Ana Ø.");
    }
}
