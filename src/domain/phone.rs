//! Phone numbers: what she types (or shares) turned into E.164, or refused.
//!
//! Kyrgyz numbers may be typed as `0XXX XXX XXX`, `XXX XXX XXX`, `+996 XXX XXX XXX`
//! or `996…`, with spaces, dashes, dots or brackets. Other countries' numbers are
//! accepted in `+` form with a plausible length: many women from Kyrgyzstan work
//! in Russia or Kazakhstan.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A normalised phone number in E.164 form (`+996700123456`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Letters or other characters that are not part of a number.
    NotANumber,
    /// Digits, but not a length or shape any country uses.
    Implausible,
}

const KG: &str = "996";
/// E.164 allows at most 15 digits; the shortest real numbers have about 8.
const MIN_INTERNATIONAL: usize = 8;
const MAX_INTERNATIONAL: usize = 15;

impl Phone {
    /// Reads a typed number.
    pub fn parse(typed: &str) -> Result<Phone, PhoneError> {
        Phone::read(typed, false)
    }

    /// Reads the number of a shared Telegram contact, which often lacks the `+`.
    pub fn from_contact(shared: &str) -> Result<Phone, PhoneError> {
        Phone::read(shared, true)
    }

    fn read(input: &str, international: bool) -> Result<Phone, PhoneError> {
        let trimmed = input.trim();
        let plus = trimmed.starts_with('+');
        let body = if plus { &trimmed[1..] } else { trimmed };
        let mut digits = String::new();
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' | '.' | '\u{a0}' => {}
                _ => return Err(PhoneError::NotANumber),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::NotANumber);
        }
        let already_international =
            plus || international || (digits.len() == 12 && digits.starts_with(KG));
        let e164 = if already_international {
            digits
        } else if digits.len() == 10 && digits.starts_with('0') {
            format!("{KG}{}", &digits[1..])
        } else if digits.len() == 9 {
            format!("{KG}{digits}")
        } else {
            return Err(PhoneError::Implausible);
        };
        let plausible = if let Some(national) = e164.strip_prefix(KG) {
            national.len() == 9 && !national.starts_with('0')
        } else {
            (MIN_INTERNATIONAL..=MAX_INTERNATIONAL).contains(&e164.len()) && !e164.starts_with('0')
        };
        if !plausible {
            return Err(PhoneError::Implausible);
        }
        Ok(Phone(format!("+{e164}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The number with its middle hidden: `+996 ••• ••• 456`.
    pub fn masked(&self) -> String {
        let digits = &self.0[1..];
        let (country, rest) = match digits.strip_prefix(KG) {
            Some(rest) => (KG, rest),
            None => digits.split_at(
                digits
                    .len()
                    .min(if digits.starts_with('7') { 1 } else { 3 }),
            ),
        };
        let tail = &rest[rest.len().saturating_sub(3)..];
        format!("+{country} ••• ••• {tail}")
    }
}

/// A number in E.164 form grouped to be read aloud: `+996 555 987 654`,
/// `+7 912 345 67 89`, `+998 90 123 45 67`; other countries' digits in
/// threes after the `+`. Anything else comes back as it is.
pub fn spoken(e164: &str) -> String {
    let Some(digits) = e164.strip_prefix('+') else {
        return e164.to_string();
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return e164.to_string();
    }
    let (country, groups): (&str, &[usize]) = if digits.starts_with(KG) && digits.len() == 12 {
        (KG, &[3, 3, 3])
    } else if digits.starts_with('7') && digits.len() == 11 {
        ("7", &[3, 3, 2, 2])
    } else if digits.starts_with("998") && digits.len() == 12 {
        ("998", &[2, 3, 2, 2])
    } else {
        ("", &[])
    };
    if country.is_empty() {
        let threes: Vec<&str> = digits
            .as_bytes()
            .chunks(3)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        return format!("+{}", threes.join(" "));
    }
    let mut rest = &digits[country.len()..];
    let mut parts = vec![format!("+{country}")];
    for &size in groups {
        let (group, tail) = rest.split_at(size.min(rest.len()));
        parts.push(group.to_string());
        rest = tail;
    }
    parts.join(" ")
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_grouped_to_be_read_aloud() {
        assert_eq!(spoken("+996555987654"), "+996 555 987 654");
        assert_eq!(spoken("+79123456789"), "+7 912 345 67 89");
        assert_eq!(spoken("+998901234567"), "+998 90 123 45 67");
        assert_eq!(spoken("+4915112345678"), "+491 511 234 567 8");
        assert_eq!(spoken("not a number"), "not a number");
    }

    #[test]
    fn kyrgyz_numbers_in_every_usual_form_become_e164() {
        for typed in [
            "0700 123 456",
            "0700-123-456",
            "(0700) 12-34-56",
            "700123456",
            "+996 700 123 456",
            "996700123456",
            "+996 (700) 123-456",
            " 0700.123.456 ",
        ] {
            assert_eq!(
                Phone::parse(typed).unwrap().e164(),
                "+996700123456",
                "{typed}"
            );
        }
        assert_eq!(
            Phone::parse("0 3222 55555").unwrap().e164(),
            "+996322255555"
        );
    }

    #[test]
    fn foreign_numbers_need_the_plus_and_a_plausible_length() {
        assert_eq!(
            Phone::parse("+7 916 123-45-67").unwrap().e164(),
            "+79161234567"
        );
        assert_eq!(
            Phone::parse("+7 701 123 45 67").unwrap().e164(),
            "+77011234567"
        );
        assert_eq!(Phone::parse("89161234567"), Err(PhoneError::Implausible));
        assert_eq!(Phone::parse("+7 916"), Err(PhoneError::Implausible));
        assert_eq!(
            Phone::parse("+1234567890123456"),
            Err(PhoneError::Implausible)
        );
    }

    #[test]
    fn wrong_input_is_refused() {
        assert_eq!(Phone::parse("call me"), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse(""), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse("0700 12x 456"), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse("12345"), Err(PhoneError::Implausible));
        assert_eq!(
            Phone::parse("+996 070 012 345"),
            Err(PhoneError::Implausible)
        );
        assert_eq!(Phone::parse("0700 123 4567"), Err(PhoneError::Implausible));
    }

    #[test]
    fn shared_contacts_without_plus_are_international() {
        assert_eq!(
            Phone::from_contact("996700123456").unwrap().e164(),
            "+996700123456"
        );
        assert_eq!(
            Phone::from_contact("79161234567").unwrap().e164(),
            "+79161234567"
        );
    }

    #[test]
    fn masked_numbers_keep_only_country_and_last_digits() {
        let phone = Phone::parse("0700 123 456").unwrap();
        assert_eq!(phone.masked(), "+996 ••• ••• 456");
        assert_eq!(
            Phone::parse("+79161234567").unwrap().masked(),
            "+7 ••• ••• 567"
        );
        assert!(!format!("{phone:?}").contains("700"));
    }
}
