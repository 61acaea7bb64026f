//! Turns core replies into words and button data: the one place keyboards are built.

use crate::callback;
use crate::conversation::{Delivery, Reply};
use crate::i18n::Locales;

#[derive(Debug, Clone, PartialEq)]
pub struct RenderedButton {
    pub label: String,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub keyboard: Vec<Vec<RenderedButton>>,
    pub delivery: Delivery,
}

pub fn render(locales: &Locales, lang: &str, reply: &Reply) -> Rendered {
    let text = reply
        .parts
        .iter()
        .map(|t| locales.format(lang, t))
        .collect::<Vec<_>>()
        .join("\n\n");
    let keyboard = reply
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| RenderedButton {
                    label: b
                        .label
                        .iter()
                        .map(|t| locales.format(lang, t))
                        .collect::<Vec<_>>()
                        .join(" / "),
                    data: callback::encode(&b.action),
                })
                .collect()
        })
        .collect();
    Rendered {
        text,
        keyboard,
        delivery: reply.delivery,
    }
}
