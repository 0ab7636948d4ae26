//! The bottom layer of Comptoir (see ARCHITECTURE.md): money and the clock. Pure, no
//! database, compiled for the server and the WASM alike; `app` re-exports both modules, so
//! `crate::money` and `crate::clock` read the same everywhere.

pub mod clock;
pub mod money;
