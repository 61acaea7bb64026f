//! The cryptography of the store: the master key, pseudonyms and sealing
//! ([`keys`], whose items are re-exported here), and the data keys kept in
//! write-once slots outside the data folder ([`keyring`]).

pub mod keyring;
mod keys;

pub use keys::*;
