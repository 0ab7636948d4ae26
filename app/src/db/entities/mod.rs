//! SeaORM entities, one file per table. Behaviour lives in the domain services.

pub mod category;
pub mod product;
pub mod product_image;
