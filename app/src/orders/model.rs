//! What the checkout and order pages show (plain data, sent to the browser).

use crate::account::model::AddressInput;
use crate::pricing::{PaymentMethod, Quote, VatLine, VatMode};
pub use crate::settings::Seller;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// Where an order stands. Only the moves of [`OrderStatus::can_become`] are allowed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum OrderStatus {
        PendingPayment = "pending_payment",
        /// The provider reports a payment whose amount is not the order's total: staff check it and
        /// accept it (the order is then paid) or cancel the order and refund what was received.
        OnHold = "on_hold",
        Paid = "paid",
        Preparing = "preparing",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        Refunded = "refunded",
        Withdrawn = "withdrawn",
    }
}

/// The contact and addresses typed at checkout (a field left out counts as empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    pub email: String,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub delivery: AddressInput,
    /// Bill to another address than the delivery one.
    pub separate_billing: bool,
    pub billing: AddressInput,
}

/// A field refused by a checkout step, with the message shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's form name (`email`, `delivery[postal_code]`, `payment_method`, `terms`).
    pub field: String,
    pub message: String,
}

crate::codes::coded! {
    /// The steps of checkout, in the legal order.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CheckoutStep {
        /// Contact details, delivery and billing addresses.
        Details = "details",
        /// Destination, shipping and the payment method.
        Delivery = "delivery",
        /// The full breakdown, the terms, and "Order with obligation to pay".
        Review = "review",
    }
}

impl CheckoutStep {
    pub fn parse(code: &str) -> CheckoutStep {
        match code {
            "delivery" => CheckoutStep::Delivery,
            "review" => CheckoutStep::Review,
            _ => CheckoutStep::Details,
        }
    }
}

/// A line of the checkout summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLine {
    pub product_id: i32,
    pub name: String,
    pub slug: String,
    pub image: String,
    pub quantity: u32,
    pub unit_price: Decimal,
    pub total: Decimal,
    pub vat_rate: Decimal,
    /// A subscription line: delivered every this many months.
    pub every_months: Option<u8>,
}

/// Everything a checkout step shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutView {
    /// The step to show (an earlier one when a step before it is not done).
    pub step: CheckoutStep,
    pub details: DetailsInput,
    pub payment_method: Option<PaymentMethod>,
    /// The refusals of the last submission, shown once.
    pub errors: Vec<FieldError>,
    pub lines: Vec<SummaryLine>,
    /// Lines changed or left out since the cart was filled (stock, withdrawn products).
    pub cart_changed: bool,
    /// The quote for the delivery country (none while the cart is empty).
    pub quote: Option<Quote>,
    /// The terms in force, whose version an order records.
    pub terms_version: String,
    /// The key that makes placing the order safe to repeat (a double click, a retry).
    pub idempotency_key: String,
    pub signed_in: bool,
    /// The code applied, promo or referral (its discount is in the quote).
    pub promo_code: Option<String>,
    /// A signed-in customer's referral credit and points on offer.
    pub rewards: Option<crate::rewards::CheckoutRewards>,
}

/// An address as it was on the order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressSnapshot {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub phone: Option<String>,
}

impl AddressSnapshot {
    /// The lines of the address as printed on a label (country by code).
    pub fn lines(&self, country_name: &str) -> Vec<String> {
        let mut lines = vec![format!("{} {}", self.first_name, self.last_name)];
        lines.extend(self.company.clone());
        lines.push(self.line1.clone());
        lines.extend(self.line2.clone());
        lines.push(format!("{} {}", self.postal_code, self.city));
        lines.push(country_name.to_owned());
        lines
    }
}

/// A line of a placed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub line_id: i32,
    pub name: String,
    pub sku: String,
    pub quantity: u32,
    pub unit_price: Decimal,
    pub total: Decimal,
    pub vat_rate: Decimal,
    /// Units taken back so far (withdrawn, claimed missing, refunded by line).
    pub returned: u32,
}

/// The right of withdrawal while it lasts: from payment to the 14th day after delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalWindow {
    /// The last moment (RFC 3339); none before delivery (14 days after it).
    pub until: Option<String>,
}

/// How an order waiting for an offline payment is paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInstructions {
    pub method: PaymentMethod,
    pub payee: String,
    pub iban: String,
    pub bic: String,
    pub postal_address: String,
    pub reference: String,
    pub amount: Decimal,
}

/// An order as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub status: OrderStatus,
    pub created_at: String,
    pub email: String,
    pub payment_method: PaymentMethod,
    pub destination: String,
    pub vat_mode: VatMode,
    pub delivery: AddressSnapshot,
    pub billing: AddressSnapshot,
    pub lines: Vec<OrderLineView>,
    pub subtotal: Decimal,
    pub discount: Decimal,
    /// The discounts one by one (promo code, referral, credit, points), as the order took them.
    pub adjustments: Vec<crate::pricing::AppliedAdjustment>,
    pub shipping: Decimal,
    pub vat: Vec<VatLine>,
    pub total: Decimal,
    /// Set while an offline payment is awaited.
    pub instructions: Option<PaymentInstructions>,
    /// Where to pay again while an online payment is still possible.
    pub can_pay: bool,
    /// Staff may record the awaited bank transfer or cheque.
    pub can_record_payment: bool,
    pub refunds: Vec<RefundView>,
    /// For staff: what is left to refund (none when the order cannot be refunded).
    pub refundable: Option<Decimal>,
    /// For staff: the key of the refund form (a repeated submission is one refund).
    pub refund_key: String,
    pub invoice_number: Option<String>,
    /// The order's own link (with its key for a guest), for the invoice links.
    pub link_query: String,
    pub history: Vec<(String, OrderStatus)>,
    /// Once shipped: the carrier and the parcel's number.
    pub tracking: Option<Tracking>,
    /// Cancelled by the shop (not for want of payment): the reason went by email.
    pub shop_cancelled: bool,
    /// How to reach the seller about it: email and phone.
    pub seller_contact: (String, String),
    /// Set while the customer may withdraw from it (something left to send back).
    pub withdrawal: Option<WithdrawalWindow>,
    /// Once paid: the latest delivery date (RFC 3339), 30 days after payment.
    pub delivery_due: Option<String>,
    /// Past that date and not delivered: the customer may cancel with a full refund.
    pub late: bool,
    /// Lines staff marked unavailable, with the customer's choice.
    #[serde(default)]
    pub unavailable: Vec<UnavailableView>,
    /// Placed from an account: a store credit is possible.
    #[serde(default)]
    pub has_account: bool,
}

/// A line the shop cannot send in time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnavailableView {
    pub line_id: i32,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub expected_on: String,
    /// `wait`, `credit`, `refund`; `None` until the customer chooses.
    pub choice: Option<String>,
}

/// How a shipped parcel is followed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub carrier: Carrier,
    pub number: String,
    /// The carrier's tracking page, when it has one.
    pub url: Option<String>,
}

/// A line of an invoice: the unit price and total without VAT, the rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub sku: String,
    pub quantity: u32,
    pub unit_price_excl: Decimal,
    pub vat_rate: Decimal,
    pub total_excl: Decimal,
}

/// An invoice as issued (stored whole, never changed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDocument {
    pub number: String,
    pub issued_on: String,
    pub order_number: String,
    pub seller: Seller,
    pub buyer_name: String,
    pub buyer_email: String,
    pub buyer_address: Vec<String>,
    pub delivery_address: Vec<String>,
    pub vat_mode: VatMode,
    pub lines: Vec<InvoiceLine>,
    /// Shipping without VAT (its VAT is in the per-rate lines).
    pub shipping_excl: Decimal,
    /// Discounts without VAT.
    pub discount_excl: Decimal,
    pub vat: Vec<VatLine>,
    pub total_excl: Decimal,
    pub total_vat: Decimal,
    pub total: Decimal,
    pub payment_method: PaymentMethod,
    pub paid_on: String,
    /// Legal mentions (VAT exemption, customs duties).
    pub notes: Vec<String>,
}

/// The demo provider's hosted page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoPaymentView {
    pub id: String,
    pub amount: Decimal,
    pub description: String,
    pub method: PaymentMethod,
    /// `open` until the shopper answers.
    pub status: String,
    pub return_url: String,
    /// The card is kept for later charges (a subscription's first order).
    pub saves_card: bool,
}

/// The page between placing an order and the provider's hosted payment page
/// (`/orders/{number}/pay`): the order is placed, the shopper is sent on to pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentHandOff {
    pub number: String,
    pub amount: Decimal,
    /// The provider's name as shoppers know it (`Mollie`, `Stripe`).
    pub provider: String,
    /// The provider's hosted page of the open payment; `None` when there is nothing to pay
    /// there any more (paid, cancelled, or the payment is over): the shopper goes to the order.
    pub checkout_url: Option<String>,
    /// The order's page, with its key.
    pub order_path: String,
}

/// An order in the account's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub created_at: String,
    pub status: OrderStatus,
    pub total: Decimal,
    pub items: u32,
    pub invoice_number: Option<String>,
    pub invoice_issued_at: Option<String>,
    /// `?key=…`: the order's own link, for its invoice PDF.
    pub link_query: String,
    /// Set while the customer may withdraw from it.
    pub withdrawal: Option<WithdrawalWindow>,
}

/// A credit note as issued (stored whole, never changed): the refund of all or part of an
/// invoice, its VAT split over the invoice's rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteDocument {
    pub number: String,
    pub issued_on: String,
    pub invoice_number: String,
    pub order_number: String,
    pub seller: Seller,
    pub buyer_name: String,
    pub buyer_address: Vec<String>,
    pub vat_mode: VatMode,
    pub reason: String,
    /// Per rate, the part refunded (empty when VAT was excluded).
    pub vat: Vec<VatLine>,
    pub total_excl: Decimal,
    pub total_vat: Decimal,
    pub total: Decimal,
}

/// A refund as the order page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: Decimal,
    pub reason: String,
    /// `pending`, `refunded`, `failed`.
    pub status: String,
    pub credit_note: Option<String>,
    pub created_at: String,
}

crate::codes::coded! {
    /// The carriers a parcel may leave with, and where a customer follows it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Carrier {
        Colissimo = "colissimo",
        Chronopost = "chronopost",
        MondialRelay = "mondial_relay",
        Dhl = "dhl",
        Ups = "ups",
        /// Any other: the number is shown without a link.
        Other = "other",
    }
}

impl Carrier {
    /// The carrier's name as customers know it (`None` for [`Carrier::Other`]).
    pub fn name(self) -> Option<&'static str> {
        match self {
            Carrier::Colissimo => Some("Colissimo"),
            Carrier::Chronopost => Some("Chronopost"),
            Carrier::MondialRelay => Some("Mondial Relay"),
            Carrier::Dhl => Some("DHL"),
            Carrier::Ups => Some("UPS"),
            Carrier::Other => None,
        }
    }

    /// The carrier's public tracking page for parcel `number` (already cleaned).
    pub fn tracking_url(self, number: &str) -> Option<String> {
        match self {
            Carrier::Colissimo => Some(format!(
                "https://www.laposte.fr/outils/suivre-vos-envois?code={number}"
            )),
            Carrier::Chronopost => Some(format!(
                "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}"
            )),
            Carrier::MondialRelay => Some(format!(
                "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition={number}"
            )),
            Carrier::Dhl => Some(format!(
                "https://www.dhl.com/fr-fr/home/suivi.html?tracking-id={number}"
            )),
            Carrier::Ups => Some(format!("https://www.ups.com/track?tracknum={number}")),
            Carrier::Other => None,
        }
    }
}
