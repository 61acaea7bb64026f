//! One person can never stall the others: a flood is cut at the door, before it
//! reaches the dispatcher's per-chat queues.

mod common;

use std::time::Duration;

use common::{at_menu, sent_to, wait_until, Harness};

fn slow_downs(h: &Harness, chat: i64) -> usize {
    sent_to(h, chat)
        .iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Сообщений пришло очень много подряд"))
        })
        .count()
}

#[tokio::test]
async fn a_thousand_stickers_from_one_account_do_not_hold_up_another_womans_start() {
    let h = Harness::start_with(|c| c.flood_burst = 30, None).await;
    let flooder = at_menu(&h, 801, "Русский").await;
    // Every answer to the flooder takes two seconds to go out.
    h.api.delay_chat(801, Duration::from_secs(2));
    for _ in 0..1000 {
        flooder.send_sticker();
    }
    let other = h.user(802);
    let first = other.say("/start").await;
    assert!(first.text.contains("102"), "{}", first.text);
    // She was answered while the flooder's first few answers were still going
    // out (two seconds each): she did not wait behind the flood.
    let flooder_answers = sent_to(&h, 801).len();
    assert!(
        flooder_answers < 5,
        "{flooder_answers} answers to the flooder went first"
    );
    // The flooder is told once, kindly, with the emergency numbers.
    assert!(wait_until(|| slow_downs(&h, 801) == 1).await);
    let note = sent_to(&h, 801)
        .into_iter()
        .find(|m| m["text"].as_str().unwrap().starts_with("Сообщений пришло"))
        .unwrap();
    assert!(note["text"].as_str().unwrap().contains("102"));
    assert_eq!(slow_downs(&h, 801), 1, "one note, not one per sticker");
}

#[tokio::test]
async fn the_danger_screen_and_hide_still_answer_after_a_flood() {
    let h = Harness::start_with(|c| c.flood_burst = 5, None).await;
    let her = at_menu(&h, 803, "Русский").await;
    for _ in 0..20 {
        her.send_sticker();
    }
    assert!(wait_until(|| slow_downs(&h, 803) == 1).await);
    her.skip_replies();
    // An ordinary button is dropped with a toast...
    her.press("Получить помощь");
    assert!(
        wait_until(|| h
            .api
            .calls_of("answerCallbackQuery")
            .iter()
            .any(|c| c.body["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Слишком много нажатий"))))
        .await
    );
    // ...but the danger screen and Hide still answer.
    let danger = her.tap("Мне угрожает опасность").await;
    assert!(danger.text.contains("112"), "{}", danger.text);
    let hidden = her.tap("Скрыть").await;
    assert_eq!(hidden.method, "editMessageText");
    assert!(!hidden.text.contains("112"), "{}", hidden.text);
}
