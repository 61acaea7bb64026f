//! `ak-jurok screens`: a sheet for native reviewers. Every screen she can reach
//! (found by pressing every button and typing sample answers, from the first
//! reply on), with its buttons, then every message of the bot with sample
//! values — one column per language, the message id beside each text — in one
//! HTML file to read on a phone or print.

use std::collections::BTreeSet;
use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::config::Center;
use crate::conversation::{self, Action, Ctx, Dialogue, Input, Media, Reply};
use crate::domain::shelter::{ShelterState, ShelterStatus};
use crate::i18n::Locales;
use crate::ui::render::render;

/// At most this many states are explored (her whole conversation is fewer).
const MAX_STATES: usize = 3000;

/// What she may type where a screen asks for it, and what else may come.
fn samples() -> Vec<(&'static str, Input)> {
    vec![
        ("a phone number", Input::Text("0700 123 456".into())),
        ("a word", Input::Text("sunflower".into())),
        ("something not a number", Input::Text("abc".into())),
        ("a long text", Input::Text("x".repeat(900))),
        ("a sticker", Input::Media(Media::Sticker)),
        ("/start", Input::Command(conversation::Command::Start)),
        (
            "an unknown command",
            Input::Command(conversation::Command::Unknown),
        ),
        ("an old button", Input::UnreadableButton),
    ]
}

/// One screen: how she got there, and what the bot showed.
struct Screen {
    path: String,
    replies: Vec<Reply>,
}

/// The signature of what a screen shows: its message ids and its buttons.
fn signature(replies: &[Reply]) -> String {
    let mut out = String::new();
    for reply in replies {
        for part in &reply.parts {
            let _ = write!(out, "{} ", part.id.0);
        }
        for row in &reply.keyboard {
            for button in row {
                let _ = write!(out, "[{:?}]", button.action);
            }
        }
        out.push('|');
    }
    out
}

/// Her screens, breadth first from the first reply.
fn explore(ctx: &Ctx) -> Vec<Screen> {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    let first = conversation::step(None, Input::Text("hello".into()), ctx);
    let mut queue = std::collections::VecDeque::new();
    queue.push_back(("first message".to_string(), first));
    let mut states = 0;
    while let Some((path, outcome)) = queue.pop_front() {
        if states >= MAX_STATES || outcome.replies.is_empty() {
            continue;
        }
        // A state is what she sees and where the conversation is (the same
        // screen with another draft leads elsewhere).
        let shown = signature(&outcome.replies);
        let state = format!(
            "{shown}{}",
            serde_json::to_string(&outcome.dialogue).unwrap_or_default()
        );
        if !seen.insert(state) {
            continue;
        }
        states += 1;
        let dialogue: Option<Dialogue> = outcome.dialogue.clone();
        let buttons: Vec<(String, Action)> = outcome
            .replies
            .iter()
            .flat_map(|r| r.keyboard.iter().flatten())
            .map(|b| (format!("{:?}", b.action), b.action.clone()))
            .collect();
        found.push(Screen {
            path: path.clone(),
            replies: outcome.replies,
        });
        for (name, action) in buttons {
            let next = conversation::step(dialogue.clone(), Input::Pressed(action), ctx);
            queue.push_back((format!("{path} → {name}"), next));
        }
        for (name, input) in samples() {
            let next = conversation::step(dialogue.clone(), input, ctx);
            queue.push_back((format!("{path} → {name}"), next));
        }
    }
    found
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

/// One reply in one language: each part with its message id, then the buttons.
fn reply_html(out: &mut String, locales: &Locales, center: &Center, lang: &str, reply: &Reply) {
    for part in &reply.parts {
        let alone = Reply::new(vec![part.clone()], Vec::new());
        let text = render(locales, center, lang, &alone).text;
        let _ = write!(
            out,
            "<p><code>{}</code><br>{}</p>",
            part.id.0,
            escape(&text)
        );
    }
    let rendered = render(locales, center, lang, reply);
    for row in &rendered.keyboard {
        out.push_str("<div class=row>");
        for button in row {
            let _ = write!(out, "<span class=btn>{}</span>", escape(&button.label));
        }
        out.push_str("</div>");
    }
}

/// A sample value for a message variable, by its name.
fn sample(var: &str) -> fluent_bundle::FluentValue<'static> {
    use fluent_bundle::FluentValue;
    match var {
        "code" => FluentValue::from("K7QX"),
        "phone" | "phones" | "numbers" => FluentValue::from("+996 ••• ••• 456"),
        "from" => FluentValue::from("17:00"),
        "to" => FluentValue::from("21:00"),
        "at" | "closes" => FluentValue::from("09:00"),
        "day" => FluentValue::from("mon"),
        "hours" | "days" | "grace" | "count" | "minutes" | "max" | "ahead" | "tries" | "total"
        | "danger" | "day_count" | "wait" | "waiting" | "page" => FluentValue::from(3),
        other => FluentValue::from(format!("‹{other}›")),
    }
}

/// The variables a message uses (for its sample values).
fn variables(source: &str, id: &str) -> BTreeSet<String> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    fn pattern(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &p.elements {
            if let PatternElement::Placeable { expression } = element {
                expr(expression, out);
            }
        }
    }
    fn expr(e: &Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            Expression::Select { selector, variants } => {
                inline(selector, out);
                for variant in variants {
                    pattern(&variant.value, out);
                }
            }
            Expression::Inline(i) => inline(i, out),
        }
    }
    fn inline(i: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    let Ok(resource) = fluent_syntax::parser::parse(source) else {
        return out;
    };
    for entry in &resource.body {
        if let Entry::Message(message) = entry {
            if message.id.name == id {
                if let Some(value) = &message.value {
                    pattern(value, &mut out);
                }
            }
        }
    }
    out
}

/// The sheet, for `langs` side by side.
pub fn html(locales: &Locales, center: &Center, langs: &[String], now: DateTime<Utc>) -> String {
    let windows = crate::domain::schedule::ContactWindows::default();
    let languages = locales.codes();
    let ctx = |shelter| Ctx {
        shelter,
        ..Ctx::defaults(now, center, &languages, locales.default_code(), &windows)
    };
    let mut out = String::from(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <title>ak-jurok screens</title><style>body{font-family:sans-serif;margin:1em}\
         table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;vertical-align:top;padding:.4em}\
         code{color:#666;font-size:.8em}.btn{display:inline-block;border:1px solid #58a;border-radius:.4em;\
         padding:.1em .5em;margin:.1em}h2{font-size:1em;margin-top:2em}</style>\n",
    );
    let _ = write!(
        out,
        "<h1>Screens and messages: {}</h1><p>Each text has its message id above it. \
         Mark what is wrong, and fix the <code>.ftl</code> file of that id.</p>",
        langs.join(", ")
    );
    // Her screens, with the shelter in each of its states.
    let shelters = [
        None,
        Some(ShelterStatus {
            state: ShelterState::Available,
            set_at: now,
        }),
        Some(ShelterStatus {
            state: ShelterState::Few,
            set_at: now,
        }),
        Some(ShelterStatus {
            state: ShelterState::Full,
            set_at: now,
        }),
    ];
    let mut shown = BTreeSet::new();
    let mut number = 0;
    for shelter in shelters {
        for screen in explore(&ctx(shelter)) {
            if !shown.insert(signature(&screen.replies)) {
                continue;
            }
            number += 1;
            let _ = write!(out, "<h2>{number}. {}</h2>", escape(&screen.path));
            table_header(&mut out, langs);
            for lang in langs {
                out.push_str("<td>");
                for reply in &screen.replies {
                    reply_html(&mut out, locales, center, lang, reply);
                }
                out.push_str("</td>");
            }
            out.push_str("</tr></table>\n");
        }
    }
    every_message(&mut out, locales, center, langs);
    out
}

/// Every message, whether a screen shows it or not (staff texts,
/// confirmations, letters, notes), with sample values.
fn every_message(out: &mut String, locales: &Locales, center: &Center, langs: &[String]) {
    out.push_str("<h1>Every message</h1>");
    let default = locales.default_code();
    let sources = locales.sources(default);
    for id in locales.ids(default) {
        let mut vars = BTreeSet::new();
        for (_, source) in &sources {
            vars.extend(variables(source, &id));
        }
        let _ = write!(out, "<h2><code>{id}</code></h2>");
        table_header(out, langs);
        for lang in langs {
            // Any message may name the center, as the bot names it in that language.
            let name = match center.name_in(lang) {
                Some(name) => name.to_string(),
                None => locales.format(
                    lang,
                    &crate::i18n::text::Text::new(crate::i18n::text::CENTER_NAME),
                ),
            };
            let mut args = fluent_bundle::FluentArgs::new();
            for var in &vars {
                args.set(var.clone(), sample(var));
            }
            args.set("center", fluent_bundle::FluentValue::from(name));
            let shown = locales
                .try_format(lang, &id, &args)
                .unwrap_or_else(|e| format!("(error: {})", e.join("; ")));
            let _ = write!(out, "<td>{}</td>", escape(&shown));
        }
        out.push_str("</tr></table>\n");
    }
}

/// A table's first row: the languages side by side; then the row they fill.
fn table_header(out: &mut String, langs: &[String]) {
    out.push_str("<table><tr>");
    for lang in langs {
        let _ = write!(out, "<th>{lang}</th>");
    }
    out.push_str("</tr><tr>");
}
