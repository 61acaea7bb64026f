//! What others see before she opens the chat: the bot's name, descriptions and
//! command list, per language, from the locale files. Neutral wording only.

use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use super::delivery::{send, Patience, Tg};
use crate::config::StaffMember;
use crate::desk::Role;
use crate::i18n::text::{self, Text};
use crate::i18n::Locales;
use crate::ui::commands;

/// A fingerprint of everything [`publish`] would set: Telegram limits how often
/// these may change, so a restart loop must not set them again and again.
pub fn fingerprint(locales: &Locales) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (language_code, lang) in targets(locales) {
        hash.update(language_code.unwrap_or_default().as_bytes());
        for id in [
            text::BOT_NAME,
            text::BOT_DESCRIPTION,
            text::BOT_SHORT_DESCRIPTION,
        ] {
            hash.update(locales.format(&lang, &Text::new(id)).as_bytes());
        }
        for spec in commands::all() {
            hash.update(spec.name.as_bytes());
            hash.update(
                locales
                    .format(&lang, &Text::new(spec.description))
                    .as_bytes(),
            );
        }
    }
    hash.finalize().to_vec()
}

/// Every language's settings, then the default (`None`), shown to users whose
/// language the bot lacks.
fn targets(locales: &Locales) -> Vec<(Option<String>, String)> {
    let default = locales.default_code().to_string();
    locales
        .codes()
        .into_iter()
        .map(|code| (Some(code.clone()), code))
        .chain(std::iter::once((None, default)))
        .collect()
}

/// Sets the name, descriptions and command list in every language; whether
/// Telegram took all of them.
pub async fn publish(bot: &Tg, locales: &Locales) -> bool {
    let mut all = true;
    for (language_code, lang) in targets(locales) {
        let say = |id| locales.format(&lang, &Text::new(id));
        let commands = commands::listed(Role::Anyone)
            .map(|spec| BotCommand::new(spec.name, say(spec.description)))
            .collect::<Vec<_>>();
        let mut set_commands = bot.set_my_commands(commands);
        set_commands.payload_mut().language_code = language_code.clone();
        all &= report("setMyCommands", call(&set_commands).await);
        let mut name = bot.set_my_name();
        name.payload_mut().name = Some(say(text::BOT_NAME));
        name.payload_mut().language_code = language_code.clone();
        all &= report("setMyName", call(&name).await);
        let mut description = bot.set_my_description();
        description.payload_mut().description = Some(say(text::BOT_DESCRIPTION));
        description.payload_mut().language_code = language_code.clone();
        all &= report("setMyDescription", call(&description).await);
        let mut short = bot.set_my_short_description();
        short.payload_mut().short_description = Some(say(text::BOT_SHORT_DESCRIPTION));
        short.payload_mut().language_code = language_code;
        all &= report("setMyShortDescription", call(&short).await);
    }
    all
}

async fn call<R>(request: &R) -> Result<(), teloxide::RequestError>
where
    R: teloxide::requests::Request<Err = teloxide::RequestError>,
{
    send(request, Patience::Background).await.map(|_| ())
}

/// Each staff member's command menu (her commands and the desk's), in his or her
/// language, set for that private chat only; nobody else sees that they exist.
/// A staff member who never wrote to the bot cannot be reached: logged, never fatal.
pub async fn publish_staff(bot: &Tg, locales: &Locales, staff: &[StaffMember]) {
    for member in staff {
        let lang = member
            .languages
            .iter()
            .find(|l| locales.has(l))
            .map_or(locales.default_code(), String::as_str);
        let supervising = member
            .supervisor
            .then(|| commands::listed(Role::Supervisor))
            .into_iter()
            .flatten();
        let commands = commands::listed(Role::Anyone)
            .chain(commands::listed(Role::Staff))
            .chain(supervising)
            .map(|spec| {
                BotCommand::new(
                    spec.name,
                    locales.format(lang, &Text::new(spec.description)),
                )
            })
            .collect::<Vec<_>>();
        // Telegram shows a bot nothing of a user who never wrote to it.
        if call(&bot.get_chat(ChatId(member.id as i64))).await.is_err() {
            tracing::warn!(
                event = "staff_not_started",
                handle = %member.handle,
                "cannot be reached until they send /start to the bot; alerts for them go to the staff chat"
            );
            continue;
        }
        let mut set = bot.set_my_commands(commands);
        set.payload_mut().scope = Some(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(member.id as i64)),
        });
        if call(&set).await.is_err() {
            tracing::warn!(event = "staff_commands_not_set", handle = %member.handle);
        }
    }
}

/// Telegram limits how often names may change: a failure is logged, never fatal.
fn report(method: &'static str, result: Result<(), teloxide::RequestError>) -> bool {
    if result.is_err() {
        tracing::warn!(event = "profile_update_failed", method);
    }
    result.is_ok()
}
