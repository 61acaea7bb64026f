//! The one codec for inline-button data.
//!
//! Data carries a version tag and a self-contained action (never a reference to
//! server-side state), so a button from an old message still does what its label
//! says. Anything that does not decode is treated as an unreadable button.

use crate::conversation::{Action, Section, Topic, COVID_PAGES};

/// Telegram's limit for `callback_data`.
pub const MAX_LEN: usize = 64;
const VERSION: &str = "1";

pub fn encode(action: &Action) -> String {
    let body = match action {
        Action::Danger => "d".to_string(),
        Action::SetLanguage(code) => format!("l:{code}"),
        Action::Continue => "c".to_string(),
        Action::Menu => "m".to_string(),
        Action::ChooseLanguage => "g".to_string(),
        Action::HelpTopics => "h".to_string(),
        Action::Topic(topic) => format!("t:{}", topic.tag()),
        Action::SafetyPlan => "p".to_string(),
        Action::Shelter => "s".to_string(),
        Action::Covid(page) => format!("v:{page}"),
        Action::RequestCallback(None) => "r".to_string(),
        Action::RequestCallback(Some(topic)) => format!("r:{}", topic.tag()),
        Action::Open(section) => format!("o:{}", section.tag()),
    };
    format!("{VERSION}:{body}")
}

pub fn decode(data: &str) -> Option<Action> {
    if data.len() > MAX_LEN {
        return None;
    }
    let body = data.strip_prefix(VERSION)?.strip_prefix(':')?;
    let (head, rest) = match body.split_once(':') {
        Some((head, rest)) => (head, Some(rest)),
        None => (body, None),
    };
    match (head, rest) {
        ("d", None) => Some(Action::Danger),
        ("c", None) => Some(Action::Continue),
        ("m", None) => Some(Action::Menu),
        ("g", None) => Some(Action::ChooseLanguage),
        ("l", Some(code))
            if (2..=8).contains(&code.len())
                && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Some(Action::SetLanguage(code.to_string()))
        }
        ("h", None) => Some(Action::HelpTopics),
        ("t", Some(tag)) => Topic::from_tag(tag).map(Action::Topic),
        ("p", None) => Some(Action::SafetyPlan),
        ("s", None) => Some(Action::Shelter),
        ("v", Some(page)) => page
            .parse::<u8>()
            .ok()
            .filter(|p| (1..=COVID_PAGES).contains(p) && !page.starts_with('0'))
            .map(Action::Covid),
        ("r", None) => Some(Action::RequestCallback(None)),
        ("r", Some(tag)) => Topic::from_tag(tag).map(|t| Action::RequestCallback(Some(t))),
        ("o", Some(tag)) => Section::from_tag(tag).map(Action::Open),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn every_action() -> Vec<Action> {
        let mut all = vec![
            Action::Danger,
            Action::Continue,
            Action::Menu,
            Action::ChooseLanguage,
            Action::SetLanguage("ky".into()),
            Action::SetLanguage("ru".into()),
            Action::SetLanguage("uz-Latn".into()),
            Action::HelpTopics,
            Action::SafetyPlan,
            Action::Shelter,
            Action::RequestCallback(None),
        ];
        all.extend(Section::ALL.iter().copied().map(Action::Open));
        all.extend(Topic::ALL.map(Action::Topic));
        all.extend(Topic::ALL.map(|t| Action::RequestCallback(Some(t))));
        all.extend((1..=COVID_PAGES).map(Action::Covid));
        all
    }

    #[test]
    fn every_action_round_trips_within_telegram_limit() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_LEN, "{data} is too long");
            assert_eq!(decode(&data), Some(action));
        }
    }

    #[test]
    fn forged_or_foreign_data_does_not_decode() {
        for forged in [
            "",
            "m",
            "2:m",
            "1:",
            "1:o:nothing",
            "1:l:",
            "1:l:../../etc",
            "1:m:extra",
            "1:d:1",
            "1:v:0",
            "1:v:7",
            "1:v:01",
            "1:v:-1",
            "1:t:unknown",
            "1:r:",
            &"1:l:".repeat(40),
            "1:\u{0}",
        ] {
            assert_eq!(decode(forged), None, "{forged:?}");
        }
    }
}
