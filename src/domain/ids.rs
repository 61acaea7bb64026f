//! Plain ids: the random id of a stored row, which every layer passes around
//! and which says nothing of who or when.

use rand::RngCore;
use serde::{Deserialize, Serialize};

/// The random id of a sled row (a request, or her dialogue). Says nothing of who
/// or when.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordId([u8; 16]);

impl RecordId {
    /// The largest id (a range's upper end).
    pub const MAX: RecordId = RecordId([0xff; 16]);

    pub fn random() -> RecordId {
        let mut id = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut id);
        RecordId(id)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    pub fn from_slice(bytes: &[u8]) -> Option<RecordId> {
        bytes.try_into().ok().map(RecordId)
    }

    /// Lowercase hex, for button data (a random id names nobody).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(hex: &str) -> Option<RecordId> {
        if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut id = [0u8; 16];
        for (n, byte) in id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * n..2 * n + 2], 16).ok()?;
        }
        Some(RecordId(id))
    }
}

impl std::fmt::Debug for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordId(..)")
    }
}
