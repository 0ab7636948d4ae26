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

/// A product the signed-in customer may review, and the review form's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSlot {
    pub order_number: String,
    pub product_id: i32,
    pub name: String,
}

/// A review the signed-in customer wrote, with where it is in moderation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReview {
    pub product: String,
    pub rating: i32,
    pub body: String,
    pub status: ReviewStatus,
    pub refusal_reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `/account/reviews`: what may be reviewed, and what was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewsPageData {
    pub to_review: Vec<ReviewSlot>,
    pub written: Vec<MyReview>,
}

/// A review waiting for staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReview {
    pub id: i32,
    pub product: String,
    pub order_number: String,
    pub author: String,
    pub rating: i32,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
