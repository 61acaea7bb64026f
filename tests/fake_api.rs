//! The test kit itself: the fake Bot API answers teloxide the way Telegram does for
//! the calls later screens need (uploads, batch deletes, scoped commands, edits).

use fake_bot_api::{FakeBotApi, Fault};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, InputFile, MessageId, Recipient};
use teloxide::{ApiError, RequestError};

async fn bot_for(api: &FakeBotApi) -> Bot {
    Bot::new("1:TEST").set_api_url(api.url().parse().unwrap())
}

#[tokio::test]
async fn uploads_batch_deletes_and_scoped_commands_are_served() {
    let api = FakeBotApi::start().await;
    let bot = bot_for(&api).await;
    let chat = ChatId(501);
    let photo = bot
        .send_photo(
            chat,
            InputFile::memory(b"\x89PNG fake".to_vec()).file_name("chart.png"),
        )
        .await
        .unwrap();
    let upload = &api.calls_of("sendPhoto")[0].body;
    assert_eq!(upload["photo"]["file_name"], "chart.png");
    assert_eq!(upload["chat_id"], 501);

    let mut ids = vec![photo.id];
    for n in 0..3 {
        ids.push(bot.send_message(chat, format!("m{n}")).await.unwrap().id);
    }
    bot.delete_messages(chat, ids.clone()).await.unwrap();
    assert!(api.chat(501).iter().all(|m| m.deleted));
    let too_many: Vec<MessageId> = (1..=101).map(MessageId).collect();
    assert!(bot.delete_messages(chat, too_many).await.is_err());

    bot.set_my_commands(vec![BotCommand::new("queue", "Queue")])
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(77)),
        })
        .await
        .unwrap();
    assert_eq!(
        api.calls_of("setMyCommands")[0].body["scope"]["type"],
        "chat"
    );
}

#[tokio::test]
async fn edits_answer_not_modified_like_telegram() {
    let api = FakeBotApi::start().await;
    let bot = bot_for(&api).await;
    let sent = bot.send_message(ChatId(502), "same").await.unwrap();
    let again = bot.edit_message_text(ChatId(502), sent.id, "same").await;
    assert!(matches!(
        again,
        Err(RequestError::Api(ApiError::MessageNotModified))
    ));
    bot.edit_message_text(ChatId(502), sent.id, "new")
        .await
        .unwrap();
    assert_eq!(api.chat(502)[0].text.as_deref(), Some("new"));
}

#[tokio::test]
async fn injected_faults_reach_teloxide_as_telegram_errors() {
    let api = FakeBotApi::start().await;
    let bot = bot_for(&api).await;
    api.inject("sendMessage", Fault::TooManyRequests { retry_after: 7 }, 1);
    api.inject("sendMessage", Fault::Blocked, 1);
    let limited = bot.send_message(ChatId(503), "x").await;
    assert!(matches!(limited, Err(RequestError::RetryAfter(s)) if s.seconds() == 7));
    let blocked = bot.send_message(ChatId(503), "x").await;
    assert!(matches!(
        blocked,
        Err(RequestError::Api(ApiError::BotBlocked))
    ));
    api.inject("sendMessage", Fault::DropConnection, 1);
    assert!(matches!(
        bot.send_message(ChatId(503), "x").await,
        Err(RequestError::Network(_))
    ));
    assert!(bot.send_message(ChatId(503), "x").await.is_ok());
}

#[tokio::test]
async fn a_confirmed_update_can_be_served_again() {
    let api = FakeBotApi::start().await;
    let bot = bot_for(&api).await;
    let user = api.user(9);
    user.send_text("hello");
    let first = bot.get_updates().await.unwrap();
    assert_eq!(first.len(), 1);
    let next = first[0].id.as_offset();
    assert!(
        bot.get_updates().offset(next).await.unwrap().is_empty(),
        "confirmed"
    );
    assert!(api.replay(i64::from(first[0].id.0)));
    let again = bot.get_updates().offset(next).await.unwrap();
    assert_eq!(again.len(), 1, "served again despite the offset");
    assert_eq!(again[0].id, first[0].id);
    assert!(!api.replay(12345), "no such update");
}
