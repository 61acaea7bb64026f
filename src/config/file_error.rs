//! A configuration file's mistake, said without its values: the line, the
//! setting's path (`staff[0].id`) and what is wrong. TOML's own message is
//! never passed on whole — for a wrong type it quotes the value, and a value
//! here may be a staff member's Telegram id or the staff chat's id.

/// One line for `error` in `text`.
pub fn describe(error: &serde_path_to_error::Error<toml::de::Error>, text: &str) -> String {
    let inner = error.inner();
    let line = inner
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let path = error.path().to_string();
    let what = what_is_wrong(inner.message());
    let mut said = match line {
        Some(line) => format!("line {line}"),
        None => "the file".to_string(),
    };
    if !path.is_empty() && path != "." {
        said.push_str(&format!(", `{path}`"));
    }
    format!("{said}: {what}")
}

/// The kind of mistake, from serde's and TOML's wording, keeping only what
/// comes from the program (expected types and names), never the value read.
fn what_is_wrong(message: &str) -> String {
    let expected = message
        .split_once(", expected ")
        .map(|(_, expected)| expected.trim());
    if message.starts_with("invalid type") {
        return match expected {
            Some(expected) => format!("wrong type (expected {expected})"),
            None => "wrong type".into(),
        };
    }
    if message.starts_with("invalid value") || message.starts_with("invalid length") {
        return match expected {
            Some(expected) => format!("not a value it takes (expected {expected})"),
            None => "not a value it takes".into(),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let known = names(expected.unwrap_or_default());
        return match nearest(name, &known) {
            Some(near) => format!("unknown setting `{name}`; did you mean `{near}`?"),
            None => format!("unknown setting `{name}`"),
        };
    }
    if message.starts_with("unknown variant") {
        return match expected {
            Some(expected) => format!("not a value it takes (expected {expected})"),
            None => "not a value it takes".into(),
        };
    }
    if message.starts_with("missing field") || message.starts_with("duplicate") {
        return message.to_string();
    }
    // A syntax error: TOML's words name the grammar, not a value.
    let first = message.lines().next().unwrap_or_default();
    format!("not valid TOML ({first})")
}

/// The names between backticks in serde's "one of `a`, `b`".
fn names(list: &str) -> Vec<&str> {
    list.split('`').skip(1).step_by(2).collect()
}

/// The known name nearest to `typed`, if it is close (a typo or two).
fn nearest<'a>(typed: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|name| (distance(typed, name), *name))
        .filter(|(d, name)| *d <= 2.max(name.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}
