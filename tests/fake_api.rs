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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_mode_counts_calls_and_times_only_the_answer_to_her_update() {
    let api = FakeBotApi::start_bench().await;
    let bot = bot_for(&api).await;
    let user = api.user(5_550_900_001);
    let chat = ChatId(5_550_900_001);
    // A message sent before her update is not its answer.
    let early = bot.send_message(chat, "before").await.unwrap();
    let answering = {
        let bot = bot.clone();
        tokio::spawn(async move {
            let updates = bot.get_updates().timeout(5).await.unwrap();
            assert_eq!(updates.len(), 1);
            tokio::time::sleep(std::time::Duration::from_millis(40)).await;
            bot.edit_message_text(chat, early.id, "after")
                .await
                .unwrap();
        })
    };
    let waited = user
        .answered(|u| {
            // Nor is one sent after she began to wait but before her update.
            tokio::task::block_in_place(|| {
                let stale = bot.send_message(chat, "stale").send();
                tokio::runtime::Handle::current().block_on(stale).unwrap();
            });
            u.send_text("hello")
        })
        .await;
    answering.await.unwrap();
    let waited = waited.expect("the edit answered her");
    assert!(waited >= std::time::Duration::from_millis(40), "{waited:?}");
    let counts = api.counts();
    assert_eq!(counts.get("sendMessage"), Some(&2));
    assert_eq!(counts.get("editMessageText"), Some(&1));
    assert_eq!(counts.get("getUpdates"), Some(&1));
    // No call log in bench mode, and the bot's messages can still be found by
    // their buttons' data.
    assert!(api.calls().is_empty());
    assert_eq!(user.find_button(|_| true), None);
}
