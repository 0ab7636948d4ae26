//! SeaORM entities, one file per table. Behaviour lives in the domain services.

pub mod account_token;
pub mod address;
pub mod audience_daily;
pub mod auth_throttle;
pub mod category;
pub mod consent_record;
pub mod credit_note;
pub mod demo_payment;
pub mod demo_refund;
pub mod email_outbox;
pub mod invoice;
pub mod legal_document;
pub mod order;
pub mod order_event;
pub mod order_line;
pub mod payment;
pub mod payment_method;
pub mod product;
pub mod product_image;
pub mod refund;
pub mod saved_cart;
pub mod session;
pub mod shipping_rate;
pub mod shipping_zone;
pub mod subscription;
pub mod user;
