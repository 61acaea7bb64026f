//! Plain values: what a request is and how it ends ([`request`], [`outcome`]),
//! a phone number ([`phone`]), the center's hours and her contact windows
//! ([`schedule`]), the shelter's state ([`shelter`]), her dialogue ([`dialogue`]), the random id of a
//! stored row ([`ids`]), and the anonymous figures ([`report`]). No I/O.

pub mod dialogue;
pub mod ids;
pub mod outcome;
pub mod phone;
pub mod report;
pub mod request;
pub mod schedule;
pub mod shelter;
