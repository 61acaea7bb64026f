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

/// A name that is a string underneath and must not be mixed up with other
/// strings. Stored and shown as the plain string (serde sees the string);
/// read as `&str` where text is built.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name(text.to_string())
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name(text)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl From<$name> for crate::i18n::text::Arg {
            fn from(name: $name) -> crate::i18n::text::Arg {
                crate::i18n::text::Arg::Str(name.0)
            }
        }

        impl From<&$name> for crate::i18n::text::Arg {
            fn from(name: &$name) -> crate::i18n::text::Arg {
                crate::i18n::text::Arg::Str(name.0.clone())
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

name_type! {
    /// A request's ticket code (`K7QX`): what she, the staff and the logs
    /// call a request. Drawn at random from an alphabet without look-alikes;
    /// it says nothing of her.
    TicketCode
}

name_type! {
    /// A staff member's handle (`aigul`): what the desk, the audit log and the
    /// logs call a staff member. Never a Telegram id or name.
    StaffHandle
}
