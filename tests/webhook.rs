//! Webhook mode against the fake Bot API playing Telegram's side: it POSTs
//! each update, with the secret header, to the address the bot listens on.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use ak_jurok::telegram::RunError;
use common::{at_menu, sent_to, wait_until, Harness};
use serde_json::json;

const URL: &str = "https://bot.example.org/ak-jurok/hook";
const PATH: &str = "/ak-jurok/hook";

fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

async fn webhook_bot() -> (Harness, SocketAddr) {
    let listen = free_port();
    let h = Harness::start_with(
        |c| {
            c.webhook_url = Some(URL.into());
            c.webhook_listen = listen;
        },
        None,
    )
    .await;
    h.api.push_to(listen);
    (h, listen)
}

fn start_update(user: u64, update_id: i64) -> serde_json::Value {
    json!({"update_id": update_id, "message": {
        "message_id": 900, "date": 1_775_000_000,
        "chat": {"id": user, "type": "private", "first_name": "X"},
        "from": {"id": user, "is_bot": false, "first_name": "X"},
        "text": "/start",
    }})
}

#[tokio::test]
async fn in_webhook_mode_telegram_posts_updates_and_she_is_answered() {
    let (h, _) = webhook_bot().await;
    let her = at_menu(&h, 5_550_901_001, "Русский").await;
    assert!(her
        .tap("Попросить связаться со мной")
        .await
        .text
        .starts_with("О чём вы хотите поговорить"));
    let hook = h.api.webhook().expect("the bot set its webhook");
    assert_eq!(hook.url, URL);
    assert_eq!(
        hook.allowed_updates,
        ["message", "callback_query", "my_chat_member"]
    );
    let secret = hook.secret_token.expect("a secret");
    assert_eq!(secret.len(), 32);
    // Updates that waited while it was down are kept, said explicitly.
    let set = &h.api.calls_of("setWebhook")[0];
    assert_eq!(set.body["drop_pending_updates"], json!(false));
    // Never polled (Telegram would refuse it while a webhook is set).
    assert!(h.api.calls_of("getUpdates").is_empty());
    // Nothing was refused along the way.
    assert!(h.api.push_failures().is_empty());
}

#[tokio::test]
async fn a_request_without_the_secret_gets_401_and_is_not_handled() {
    let (h, _) = webhook_bot().await;
    // The bot is up once it answers someone.
    at_menu(&h, 5_550_901_002, "Русский").await;
    let stranger = 5_550_901_003_i64;
    let forged = start_update(stranger as u64, 10_000);
    assert_eq!(h.api.post_to_bot(PATH, None, &forged).await, 401);
    assert_eq!(h.api.post_to_bot(PATH, Some("guess"), &forged).await, 401);
    let mut almost = h.api.webhook().unwrap().secret_token.unwrap();
    almost.pop();
    almost.push('~');
    assert_eq!(h.api.post_to_bot(PATH, Some(&almost), &forged).await, 401);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        sent_to(&h, stranger).is_empty(),
        "a forged update was handled"
    );
    // With the secret, the same update is handled.
    let secret = h.api.webhook().unwrap().secret_token.unwrap();
    assert_eq!(h.api.post_to_bot(PATH, Some(&secret), &forged).await, 200);
    assert!(wait_until(|| !sent_to(&h, stranger).is_empty()).await);
}

#[tokio::test]
async fn updates_sent_while_it_was_down_arrive_and_each_start_has_a_new_secret() {
    let (mut h, _) = webhook_bot().await;
    at_menu(&h, 5_550_901_004, "Русский").await;
    let first = h.api.webhook().unwrap().secret_token.unwrap();
    h.stop().await;
    // She writes while the bot is down: Telegram keeps it.
    let her = h.user(5_550_901_005);
    her.send_text("/start");
    h.launch();
    let reply = her.next_reply().await;
    assert!(!reply.labels().is_empty(), "{}", reply.text);
    let second = h.api.webhook().unwrap().secret_token.unwrap();
    assert_ne!(first, second);
    // The old secret no longer opens the door.
    let forged = start_update(5_550_901_006, 20_000);
    assert_eq!(h.api.post_to_bot(PATH, Some(&first), &forged).await, 401);
}

#[tokio::test]
async fn both_modes_ask_telegram_for_the_same_update_kinds() {
    let h = Harness::start().await;
    at_menu(&h, 5_550_901_007, "Русский").await;
    let polled = h.api.calls_of("getUpdates")[0].body["allowed_updates"].clone();
    let (w, _) = webhook_bot().await;
    at_menu(&w, 5_550_901_008, "Русский").await;
    let hook = w.api.webhook().unwrap().allowed_updates;
    let mut polled: Vec<String> = serde_json::from_value(polled).unwrap();
    let mut hooked = hook.clone();
    polled.sort();
    hooked.sort();
    assert_eq!(polled, hooked);
}

#[tokio::test]
async fn a_url_telegram_would_refuse_or_a_busy_address_stops_the_start_with_one_line() {
    for bad in [
        "http://bot.example.org/hook",
        "https://bot.example.org:8080/hook",
    ] {
        let mut h = Harness::prepare(|c| c.webhook_url = Some(bad.into()), None).await;
        h.launch();
        let result = h.stopped_by_itself().await.expect("it stops");
        assert!(
            matches!(
                result,
                Err(RunError::Config(ak_jurok::config::ConfigError::WebhookUrl(
                    _
                )))
            ),
            "{bad}: {result:?}"
        );
        assert!(h.api.calls_of("setWebhook").is_empty());
    }
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let mut h = Harness::prepare(
        |c| {
            c.webhook_url = Some(URL.into());
            c.webhook_listen = addr;
        },
        None,
    )
    .await;
    h.launch();
    let result = h.stopped_by_itself().await.expect("it stops");
    let Err(error @ RunError::Listen(..)) = result else {
        panic!("{result:?}")
    };
    assert!(error.to_string().contains(&addr.to_string()), "{error}");
    // Telegram was not told to post to an address nobody listens on.
    assert!(h.api.calls_of("setWebhook").is_empty());
}

#[tokio::test]
async fn health_in_webhook_mode_asks_whether_telegram_still_posts_here() {
    let (h, _) = webhook_bot().await;
    at_menu(&h, 5_550_901_009, "Русский").await;
    assert!(
        h.api
            .wait_for(|calls| calls.iter().any(|c| c.method == "getWebhookInfo"))
            .await
    );
    let bot = ak_jurok::telegram::bot(&h.config).unwrap();
    let tg = ak_jurok::telegram::delivery::Tg::new(bot, &h.config.telegram_limits);
    let ours: url::Url = URL.parse().unwrap();
    assert!(ak_jurok::telegram::webhook::still_ours(&tg, &ours).await);
    let elsewhere: url::Url = "https://other.example.org/hook".parse().unwrap();
    assert!(!ak_jurok::telegram::webhook::still_ours(&tg, &elsewhere).await);
}
