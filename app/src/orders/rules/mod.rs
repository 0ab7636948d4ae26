//! Order rules, the same in the browser and on the server: the status machine, the checkout
//! fields, the terms in force and the seller's identity.

use super::model::{AddressSnapshot, DetailsInput, FieldError, OrderStatus};
use crate::account::rules::{
    AddressInput, CleanAddress, InputError, clean_name, clean_phone, clean_postal_code,
    clean_title, normalize_email, optional_line, required_line,
};
use crate::pricing::Destination;
use serde::{Deserialize, Serialize};

mod details;
pub use details::*;

/// The first version of the terms of sale, which the demo data publishes (later ones are
/// published by staff; checkout asks for the one in force, `legal::service::terms_in_force`).
pub const TERMS_VERSION: &str = "2026-11-01";

/// How long an online payment may take before the order is cancelled, unless set otherwise.
pub const DEFAULT_PAYMENT_MINUTES: u32 = 30;
/// How long a bank transfer or cheque may take, unless set otherwise.
pub const DEFAULT_OFFLINE_PAYMENT_DAYS: u32 = 14;

impl OrderStatus {
    /// Whether an order in this status may move to `next`:
    /// pending payment → paid → preparing → shipped → delivered; an unpaid order is cancelled
    /// (payment failed or expired); a paid order not yet shipped may be cancelled (refused or
    /// out of stock, then refunded) or refunded; a paid one withdrawn, from payment to 14 days
    /// after delivery (then refunded).
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid | OnHold | Cancelled)
                | (OnHold, Paid | Cancelled)
                | (Paid, Preparing | Cancelled | Refunded | Withdrawn)
                | (Preparing, Shipped | Cancelled | Refunded | Withdrawn)
                | (Shipped, Delivered | Refunded | Withdrawn)
                | (Delivered, Withdrawn | Refunded)
                | (Withdrawn, Refunded)
        )
    }

    /// Every status that may move to `next`.
    pub fn sources(next: OrderStatus) -> Vec<OrderStatus> {
        OrderStatus::ALL
            .into_iter()
            .filter(|s| s.can_become(next))
            .collect()
    }
}

/// Days after payment an order must be delivered at the latest when no date was agreed
/// (art. L216-1; the shop's terms, art. 5).
pub const DELIVERY_DAYS: i64 = 30;

/// When an order paid at `paid_at` must be delivered at the latest.
pub fn delivery_due(paid_at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    crate::clock::paris_days_after(paid_at, DELIVERY_DAYS)
}

/// Whether an order in `status`, paid at `paid_at`, is late at `now`: paid, not delivered (nor
/// undone), and past its delivery date. The customer may then end the contract and be refunded
/// in full (art. L216-6).
pub fn delivery_late(
    status: OrderStatus,
    paid_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    matches!(
        status,
        OrderStatus::Paid | OrderStatus::Preparing | OrderStatus::Shipped
    ) && paid_at.is_some_and(|paid| now > delivery_due(paid))
}

crate::codes::coded! {
    /// What staff may do to an order from the back office.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum StaffMove {
        /// On hold → paid: the payment received is accepted as it is.
        AcceptPayment = "accept_payment",
        /// Paid → preparing.
        Prepare = "prepare",
        /// Preparing → shipped, with a carrier and a tracking number.
        Ship = "ship",
        /// Shipped → delivered.
        Deliver = "deliver",
        /// Not shipped yet → cancelled: stock back, refunded in full when it was paid.
        Cancel = "cancel",
        /// The same, for an abnormal order the shop will not serve.
        Refuse = "refuse",
    }
}

impl StaffMove {
    /// The status this move leads to.
    pub fn target(self) -> OrderStatus {
        match self {
            StaffMove::Prepare => OrderStatus::Preparing,
            StaffMove::Ship => OrderStatus::Shipped,
            StaffMove::Deliver => OrderStatus::Delivered,
            StaffMove::AcceptPayment => OrderStatus::Paid,
            StaffMove::Cancel | StaffMove::Refuse => OrderStatus::Cancelled,
        }
    }

    /// Whether staff may make this move on an order in `status`: one step along
    /// paid → preparing → shipped → delivered, or a cancellation before the parcel leaves.
    pub fn allowed_from(self, status: OrderStatus) -> bool {
        use OrderStatus::*;
        match self {
            StaffMove::Prepare => status == Paid,
            StaffMove::Ship => status == Preparing,
            StaffMove::Deliver => status == Shipped,
            StaffMove::AcceptPayment => status == OnHold,
            StaffMove::Cancel | StaffMove::Refuse => {
                matches!(status, PendingPayment | OnHold | Paid | Preparing)
            }
        }
    }

    /// The moves open to an order in `status`.
    pub fn open_from(status: OrderStatus) -> Vec<StaffMove> {
        StaffMove::ALL
            .into_iter()
            .filter(|m| m.allowed_from(status))
            .collect()
    }
}

pub use super::model::Carrier;

/// A tracking number as typed, cleaned: spaces dropped, upper case; 6 to 40 letters, digits
/// or dashes. `None` when it cannot be one.
pub fn clean_tracking_number(input: &str) -> Option<String> {
    let number: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = (6..=40).contains(&number.len())
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then_some(number)
}

/// The alphabet of order numbers: no 0/O, 1/I/L, nor U (read aloud on the phone).
const NUMBER_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// An order number from the two-digit `year` and six random draws (`draw(n)` is uniform in
/// `0..n`): `CB26-7K3M9Q`. Unguessable enough that numbers say nothing about volumes; the
/// link key, not the number, opens the order page.
pub fn order_number(year: i32, mut draw: impl FnMut(usize) -> usize) -> String {
    let mut number = format!("CB{:02}-", year.rem_euclid(100));
    for _ in 0..6 {
        number.push(char::from(NUMBER_ALPHABET[draw(NUMBER_ALPHABET.len())]));
    }
    number
}

/// Whether `text` looks like an order number (checked before any query).
pub fn is_order_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 11
        && text.starts_with("CB")
        && bytes[2].is_ascii_digit()
        && bytes[3].is_ascii_digit()
        && bytes[4] == b'-'
        && bytes[5..].iter().all(|b| NUMBER_ALPHABET.contains(b))
}

/// An invoice number: `F2026-000042`, one gapless sequence per calendar year.
pub fn invoice_number(year: i32, sequence: i64) -> String {
    format!("F{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_is_late_after_thirty_paris_days() {
        use chrono::TimeZone;
        let paris = |d: u32, m: u32, h: u32| {
            chrono_tz::Europe::Paris
                .with_ymd_and_hms(2026, m, d, h, 0, 0)
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let paid = Some(paris(1, 3, 23));
        assert!(!delivery_late(OrderStatus::Shipped, paid, paris(31, 3, 23)));
        assert!(delivery_late(OrderStatus::Shipped, paid, paris(1, 4, 0)));
        assert!(delivery_late(OrderStatus::Paid, paid, paris(2, 4, 12)));
        for done in [
            OrderStatus::Delivered,
            OrderStatus::Refunded,
            OrderStatus::Cancelled,
            OrderStatus::PendingPayment,
        ] {
            assert!(!delivery_late(done, paid, paris(2, 5, 12)), "{done:?}");
        }
        assert!(!delivery_late(OrderStatus::Paid, None, paris(2, 5, 12)));
    }

    #[test]
    fn details_kept_between_steps_are_bounded() {
        let mut input = DetailsInput {
            email: "é".repeat(1_000_000),
            first_name: "Léa".into(),
            ..DetailsInput::default()
        };
        input.delivery.line2 = "x".repeat(300);
        let kept = bounded(input);
        assert_eq!(kept.email.chars().count(), MAX_FIELD_CHARS);
        assert_eq!(kept.delivery.line2.len(), MAX_FIELD_CHARS);
        assert_eq!(kept.first_name, "Léa");
    }

    #[test]
    fn staff_moves_follow_the_status_machine() {
        for status in OrderStatus::ALL {
            for m in StaffMove::ALL {
                if m.allowed_from(status) {
                    assert!(status.can_become(m.target()), "{m:?} from {status:?}");
                }
            }
        }
        assert_eq!(
            StaffMove::open_from(OrderStatus::Paid),
            vec![StaffMove::Prepare, StaffMove::Cancel, StaffMove::Refuse]
        );
        assert_eq!(
            StaffMove::open_from(OrderStatus::Shipped),
            vec![StaffMove::Deliver]
        );
        for done in [
            OrderStatus::Delivered,
            OrderStatus::Cancelled,
            OrderStatus::Refunded,
            OrderStatus::Withdrawn,
        ] {
            assert!(StaffMove::open_from(done).is_empty(), "{done:?}");
        }
    }

    #[test]
    fn tracking_numbers_are_cleaned_or_refused() {
        assert_eq!(
            clean_tracking_number(" 6a 123 456 789 01 ").as_deref(),
            Some("6A12345678901")
        );
        assert_eq!(
            clean_tracking_number("XY-1234-FR").as_deref(),
            Some("XY-1234-FR")
        );
        for bad in [
            "",
            "12345",
            "6A1234<script>",
            "6A12345678901?x=1",
            &"9".repeat(41),
        ] {
            assert_eq!(clean_tracking_number(bad), None, "{bad}");
        }
        // Every carrier's code reads back, and the link carries the number as cleaned.
        for carrier in Carrier::ALL {
            assert_eq!(Carrier::from_code(carrier.code()), Some(carrier));
        }
        assert_eq!(
            Carrier::Colissimo.tracking_url("6A12345678901").as_deref(),
            Some("https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901")
        );
        assert_eq!(Carrier::Other.tracking_url("6A12345678901"), None);
    }

    #[test]
    fn only_legal_moves_are_allowed() {
        use OrderStatus::*;
        let legal = [
            (PendingPayment, Paid),
            (PendingPayment, Cancelled),
            (Paid, Preparing),
            (Preparing, Shipped),
            (Shipped, Delivered),
            (Delivered, Withdrawn),
            (Withdrawn, Refunded),
            (Paid, Refunded),
        ];
        for (from, to) in legal {
            assert!(from.can_become(to), "{from:?} → {to:?}");
        }
        let illegal = [
            (PendingPayment, Shipped),
            (PendingPayment, Refunded),
            (Paid, PendingPayment),
            (Paid, Paid),
            (Shipped, Cancelled),
            (Delivered, Shipped),
            (Cancelled, Paid),
            (Refunded, Paid),
            (Cancelled, Refunded),
        ];
        for (from, to) in illegal {
            assert!(!from.can_become(to), "{from:?} → {to:?}");
        }
        assert_eq!(OrderStatus::sources(Paid), vec![PendingPayment, OnHold]);
        // A payment of another amount: held, then accepted or cancelled, nothing else.
        assert_eq!(OrderStatus::sources(OnHold), vec![PendingPayment]);
        for to in OrderStatus::ALL {
            assert_eq!(
                OnHold.can_become(to),
                matches!(to, Paid | Cancelled),
                "{to:?}"
            );
        }
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(status.code()), Some(status));
        }
    }

    #[test]
    fn order_numbers_are_short_and_recognisable() {
        let mut n = 0;
        let number = order_number(2026, |len| {
            n += 7;
            n % len
        });
        assert_eq!(number.len(), 11);
        assert!(number.starts_with("CB26-"), "{number}");
        assert!(is_order_number(&number), "{number}");
        for bad in [
            "",
            "CB26-ABCDE",
            "CB26-ABCDE0",
            "XX26-ABCDEF",
            "CB26ABCDEFG",
            "CB26-abcdef",
        ] {
            assert!(!is_order_number(bad), "{bad}");
        }
        assert_eq!(invoice_number(2026, 42), "F2026-000042");
    }

    fn details() -> DetailsInput {
        DetailsInput {
            email: "Lea.Dubois@Exemple.be".into(),
            title: "mme".into(),
            first_name: "Léa".into(),
            last_name: "Dubois".into(),
            phone: "+32 470 12 34 56".into(),
            delivery: AddressInput {
                first_name: "Léa".into(),
                last_name: "Dubois".into(),
                line1: "Rue de la Loi 16".into(),
                postal_code: "1000".into(),
                city: "Bruxelles".into(),
                country: "BE".into(),
                ..AddressInput::default()
            },
            ..DetailsInput::default()
        }
    }

    #[test]
    fn details_pass_and_bill_to_the_delivery_address_by_default() {
        let clean = clean_details(&details()).expect("valid");
        assert_eq!(clean.email, "lea.dubois@exemple.be");
        assert_eq!(clean.destination.code(), "BE");
        assert_eq!(clean.billing, clean.delivery);
        assert_eq!(clean.delivery.line1, "Rue de la Loi 16");
    }

    #[test]
    fn every_refused_field_is_named() {
        let mut input = details();
        input.email = "lea".into();
        input.delivery.postal_code = "ABC!".into();
        input.delivery.city = " ".into();
        input.separate_billing = true;
        let errors = clean_details(&input).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "email",
                "delivery[city]",
                "delivery[postal_code]",
                "billing[country]",
                "billing[first_name]",
                "billing[last_name]",
                "billing[line1]",
                "billing[city]"
            ]
        );
        input.delivery.country = "ZZ".into();
        let errors = clean_details(&input).expect_err("refused");
        assert!(errors.contains(&("delivery[country]".to_owned(), InputError::Country)));
    }
}
