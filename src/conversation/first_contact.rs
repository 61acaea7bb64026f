//! The first answer to anyone: short, in every language the bot has, with the
//! emergency numbers before anything else.

use super::{center_contacts, press, Action, Button, Ctx, Dialogue, Input, Reply, Screen, Stepped};
use crate::i18n::text::{self, Text};

/// A user with no dialogue yet. A button from an old chat still works.
pub fn begin(input: Input, ctx: &Ctx) -> Stepped {
    let lang = ctx
        .language_hint
        .clone()
        .unwrap_or_else(|| ctx.default_language.to_string());
    let dialogue = Dialogue {
        lang,
        screen: Screen::FirstContact,
        updated_at: ctx.now,
        draft: None,
    };
    match input {
        Input::Pressed(action) => press(dialogue, action, ctx),
        input => Stepped::show(dialogue.clone(), render_after(&input, &dialogue.lang, ctx)),
    }
}

/// The first reply to `input`; when what she sent is deleted (her words, a
/// photo, a voice note: often the disclosure itself), a line in every language
/// says so. A command is deleted too, but it is not her words: nothing to say.
pub fn render_after(input: &Input, selected: &str, ctx: &Ctx) -> Reply {
    let mut reply = render(selected, ctx);
    if input.leaves_her_screen() && !matches!(input, Input::Command(_)) {
        let notes = ctx
            .languages
            .iter()
            .map(|lang| Text::new(text::FIRST_CONTACT_REMOVED).in_lang(lang));
        reply.parts.splice(0..0, notes);
    }
    reply
}

/// `selected` is the language preselected from Telegram's settings.
pub fn render(selected: &str, ctx: &Ctx) -> Reply {
    let mut parts = Vec::new();
    for lang in ctx.languages {
        parts.push(Text::new(text::FIRST_CONTACT).in_lang(lang));
    }
    parts.extend(center_contacts(selected, ctx));
    let danger = Button {
        label: ctx
            .languages
            .iter()
            .map(|lang| Text::new(text::BUTTON_DANGER).in_lang(lang))
            .collect(),
        action: Action::Danger,
        selected: false,
        copy: None,
    };
    // Hide too, in every language: she may not have chosen one yet.
    let hide = Button {
        label: ctx
            .languages
            .iter()
            .map(|lang| Text::new(text::BUTTON_HIDE).in_lang(lang))
            .collect(),
        action: Action::Hide,
        selected: false,
        copy: None,
    };
    Reply::new(
        parts,
        vec![
            vec![danger],
            super::language::buttons(selected, ctx),
            vec![hide],
        ],
    )
}
