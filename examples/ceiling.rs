//! The ceiling of the load benchmark (`examples/load.rs`): a bare teloxide bot
//! that makes the calls the help bot makes per kind of update and does nothing
//! else — a message (after deleting hers) for a text, an answer and an edit for
//! a button. It runs on the same dispatcher settings as `ak-jurok run`: polling
//! with the same timeout, the listener inside the same wrapper
//! ([`Limited`], letting everything through), the same worker queue size, and
//! teloxide's `Throttle` with the limits the bot's own pacer is given.
//!
//! Reads `TELOXIDE_TOKEN` and `TELOXIDE_API_URL` like the bot.

use std::sync::Arc;
use std::time::Duration;

use ak_jurok::telegram::limiter::{AdmitAll, Limited};
use clap::Parser;
use teloxide::adaptors::throttle::{Limits, Throttle};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::update_listeners::Polling;

/// Telegram limits for the pacer (the same numbers the bot's
/// `[telegram_limits]` gets in the benchmark).
#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1)]
    per_chat_per_sec: u32,
    #[arg(long, default_value_t = 60)]
    per_chat_per_min: u32,
    #[arg(long, default_value_t = 20)]
    per_group_per_min: u32,
    #[arg(long, default_value_t = 30)]
    overall_per_sec: u32,
}

type Tg = Throttle<Bot>;

fn keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("next", "c")]])
}

async fn on_message(bot: Tg, message: Message) -> ResponseResult<()> {
    let _ = bot.delete_message(message.chat.id, message.id).await;
    bot.send_message(message.chat.id, format!("m{}", message.id.0))
        .reply_markup(keyboard())
        .await?;
    Ok(())
}

async fn on_press(bot: Tg, query: CallbackQuery) -> ResponseResult<()> {
    bot.answer_callback_query(query.id.clone()).await?;
    if let Some(message) = query.regular_message() {
        // A new text each time, so Telegram never says "not modified".
        bot.edit_message_text(message.chat.id, message.id, format!("e{}", query.id.0))
            .reply_markup(keyboard())
            .await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let limits = Limits {
        messages_per_sec_chat: args.per_chat_per_sec,
        messages_per_min_chat: args.per_chat_per_min,
        messages_per_min_channel_or_supergroup: args.per_group_per_min,
        messages_per_sec_overall: args.overall_per_sec,
    };
    let bot = Bot::from_env().throttle(limits);
    let schema = dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_press));
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema)
        .default_handler(|_| async {})
        .worker_queue_size(64)
        .build();
    let polling = Polling::builder(bot)
        .timeout(Duration::from_secs(10))
        .delete_webhook()
        .await
        .build();
    let listener = Limited::new(polling, Arc::new(AdmitAll));
    dispatcher
        .dispatch_with_listener(
            listener,
            LoggingErrorHandler::with_custom_text("ceiling: getUpdates failed"),
        )
        .await;
}
