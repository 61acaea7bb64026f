//! Turns core replies into words and button data: the one place keyboards are built.

use crate::config::Center;
use crate::domain::report;
use crate::i18n::text::{self, Text};
use crate::i18n::Locales;
use crate::reply::{Delivery, Figures, Recipient, Reply};
use crate::ui::button_data;

#[derive(Debug, Clone, PartialEq)]
pub struct RenderedButton {
    pub label: String,
    pub data: String,
    /// A *copy text* button's words (at most [`COPY_MAX_CHARS`]).
    pub copy: Option<String>,
}

/// Telegram's limit for a *copy text* button's words.
pub const COPY_MAX_CHARS: usize = 256;

#[derive(Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub keyboard: Vec<Vec<RenderedButton>>,
    pub delivery: Delivery,
    pub to: Recipient,
    pub silent: bool,
    pub protect: bool,
    /// Shows what she typed: remembered, and deleted when she leaves the wizard.
    pub exposes: bool,
    /// The card of this request: its message id is kept with the claim.
    pub card: Option<crate::domain::ids::RecordId>,
    /// A file to send, with the text as its caption.
    pub file: Option<RenderedFile>,
    /// A specialist's words in her chat: deleted within a day.
    pub expires: bool,
}

/// A chart (sent as a photo) or a document.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub photo: bool,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text can show her number (the summary): only its length.
        f.debug_struct("Rendered")
            .field("text", &format_args!("{} chars", self.text.chars().count()))
            .field("keyboard", &self.keyboard)
            .field("delivery", &self.delivery)
            .field("to", &self.to)
            .finish()
    }
}

/// Renders `reply` in `lang`. Every message may name the center as `{ $center }`.
pub fn render<A: button_data::ButtonData>(
    locales: &Locales,
    center: &Center,
    lang: &str,
    reply: &Reply<A>,
) -> Rendered {
    let say = |t: &Text| {
        let in_lang = t.lang.as_deref().unwrap_or(lang);
        let name = match center.name_in(in_lang) {
            Some(name) => name.to_string(),
            None => locales.format(in_lang, &Text::new(text::CENTER_NAME)),
        };
        // Every line may name them, the lines that follow a part too.
        fn with(t: &mut Text, name: &str, procedure: Option<&str>) {
            t.args.push(("center", name.into()));
            if let Some(procedure) = procedure {
                t.args.push(("procedure", procedure.into()));
            }
            for line in &mut t.follow {
                with(line, name, procedure);
            }
        }
        let mut t = t.clone();
        with(&mut t, &name, center.child_protection_in(in_lang));
        locales.format(lang, &t)
    };
    let mut text = reply.parts.iter().map(say).collect::<Vec<_>>().join("\n\n");
    let words = |id| say(&Text::new(id));
    let file = reply
        .figures
        .as_ref()
        .and_then(|figures| figures_in(figures, &mut text, &words));
    let keyboard = reply
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| RenderedButton {
                    label: {
                        let label = b.label.iter().map(say).collect::<Vec<_>>().join(" / ");
                        if b.selected {
                            format!("✓ {label}")
                        } else {
                            label
                        }
                    },
                    data: b.action.data(),
                    copy: b.copy.as_ref().map(|words| {
                        let words = say(words);
                        words.chars().take(COPY_MAX_CHARS).collect()
                    }),
                })
                .collect()
        })
        .collect();
    Rendered {
        text,
        keyboard,
        delivery: reply.delivery,
        to: reply.to.clone(),
        silent: reply.silent,
        protect: reply.protect,
        exposes: reply.exposes,
        card: reply.card,
        file,
        expires: reply.expires,
    }
}

/// The figures of a report: as lines under `text`, or as a file (a chart, with
/// `text` as its caption, or a CSV file); `words` names a category.
fn figures_in(
    figures: &Figures,
    text: &mut String,
    words: &dyn Fn(text::MsgId) -> String,
) -> Option<RenderedFile> {
    match figures {
        Figures::Lines(table) => {
            text.push_str("\n\n");
            text.push_str(&report::lines(table, words).join("\n"));
            None
        }
        Figures::Chart(table) => {
            // The chart shows the first dimension: what the requests were about.
            let row = &table.rows[0];
            let labels: Vec<String> = row
                .dimension
                .categories
                .iter()
                .map(|(_, l)| words(*l))
                .collect();
            match report::chart::png(row, text, &labels) {
                Ok(bytes) => Some(RenderedFile {
                    name: format!("ak-jurok-{}.png", table.period.name().replace(' ', "-")),
                    bytes,
                    photo: true,
                }),
                Err(e) => {
                    tracing::error!(event = "chart_failed", error = %e);
                    None
                }
            }
        }
        Figures::Csv(tables) => Some(RenderedFile {
            name: format!(
                "ak-jurok-{}.csv",
                tables
                    .last()
                    .map(|t| t.period.name())
                    .unwrap_or_default()
                    .replace(' ', "-")
            ),
            bytes: report::csv::csv(tables, words),
            photo: false,
        }),
    }
}
