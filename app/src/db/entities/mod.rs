//! SeaORM entities, one file per table. Behaviour lives in the domain services.

pub mod category;
pub mod payment_method;
pub mod product;
pub mod product_image;
pub mod shipping_rate;
pub mod shipping_zone;
