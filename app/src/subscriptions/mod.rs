//! Product subscriptions with tacit renewal: the date rules and the cancellation deadline
//! (the same in the browser and on the server).

pub mod rules;
