//! Reaching her safely: a specialist's message waits for her window, arrives as
//! a silent knock that says nothing, shows its words only when she taps it, and
//! leaves her chat within a day; nothing arrives right after she pressed Hide.

mod common;

use common::{at_menu, sent_to, staff, wait_until, Harness};

/// She asks to be written to here, in the evening (17–21 in Osh); returns the code.
async fn she_asks_to_be_written_to(h: &Harness, id: u64) -> String {
    let user = at_menu(h, id, "Русский").await;
    for label in [
        "Попросить связаться со мной",
        "Юридическая помощь",
        "Мне нужна помощь в течение дня",
        "Напишите мне здесь, в Telegram",
        "Вечером (17:00–21:00)",
        "Пропустить",
    ] {
        user.tap(label).await;
    }
    let sent = user.tap("Отправить").await;
    sent.text
        .split(": ")
        .nth(1)
        .unwrap()
        .chars()
        .take(4)
        .collect()
}

fn knocks(h: &Harness, chat: i64) -> Vec<serde_json::Value> {
    sent_to(h, chat)
        .into_iter()
        .filter(|m| m["text"].as_str().unwrap().starts_with("Совет дня"))
        .collect()
}

#[tokio::test]
async fn a_message_waits_for_her_window_and_shows_its_words_only_when_she_taps() {
    let h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    let code = she_asks_to_be_written_to(&h, 671).await;
    let (aigul, her) = (h.user(900), h.user(671));
    let card = aigul.say(&format!("/take {code}")).await;
    assert!(card.text.contains("Сейчас не её время"), "{}", card.text);
    let ask = aigul.tap("Написать ей").await;
    assert!(
        ask.text.starts_with("Напишите сообщение для неё"),
        "{}",
        ask.text
    );
    let words = "Здравствуйте! Можем поговорить завтра в 18:00?";
    let typed = aigul.send_text(words);
    let posted = aigul.next_reply().await;
    assert!(
        posted
            .text
            .starts_with(&format!("Сообщение по заявке {code} ждёт её времени.")),
        "{}",
        posted.text
    );
    assert!(wait_until(|| h.api.chat(900).iter().any(|m| m.id == typed && m.deleted)).await);
    // 15:00 in Osh: her evening has not begun; nothing reaches her.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(knocks(&h, 671).is_empty());
    // 17:00: a silent knock that says nothing of the center or of the words.
    h.clock.advance(chrono::Duration::hours(2));
    assert!(wait_until(|| !knocks(&h, 671).is_empty()).await);
    let knock = knocks(&h, 671).remove(0);
    assert_eq!(knock["disable_notification"], true, "no sound");
    assert!(!knock.to_string().contains("18:00") && !knock.to_string().contains(&code));
    let delivered = aigul.next_reply().await;
    assert!(
        delivered.text.contains("уведомление доставлено без звука"),
        "{}",
        delivered.text
    );
    // Its button in anyone else's hands (forwarded, forged) opens nothing.
    let open = knock["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .unwrap()
        .to_string();
    let stranger = at_menu(&h, 673, "Русский").await;
    stranger.press_data(1, &open);
    assert!(!stranger.next_reply().await.text.contains(words));
    // She taps it: the words replace the knock, in place.
    her.skip_replies();
    let opened = her.tap("Открыть").await;
    assert_eq!(opened.method, "editMessageText");
    assert!(opened.text.contains(words), "{}", opened.text);
    assert!(opened
        .text
        .contains("Бот удалит это сообщение из чата через сутки"));
    assert_eq!(
        aigul.next_reply().await.text,
        format!("Заявка {code}: она открыла ваше сообщение.")
    );
    // A day later it is gone from her chat.
    h.clock
        .advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
    assert!(
        wait_until(|| h
            .api
            .chat(671)
            .iter()
            .any(|m| m.id == opened.message_id && m.deleted))
        .await
    );
    // The same button again leads nowhere: the letter was opened once.
    her.press_data(opened.message_id, &open);
    let replayed = her.next_reply().await;
    assert!(!replayed.text.contains(words), "{}", replayed.text);
}

#[tokio::test]
async fn nothing_is_delivered_within_half_an_hour_of_hide() {
    let h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    let code = she_asks_to_be_written_to(&h, 672).await;
    let (aigul, her) = (h.user(900), h.user(672));
    // Her evening has begun; she hides the chat.
    h.clock.advance(chrono::Duration::hours(2));
    her.say("/menu").await;
    her.tap("Скрыть").await;
    aigul.say(&format!("/take {code}")).await;
    aigul.tap("Написать ей").await;
    aigul.send_text("Вам удобно сейчас?");
    aigul.next_reply().await;
    h.clock.advance(chrono::Duration::minutes(20));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(knocks(&h, 672).is_empty(), "20 minutes after Hide: nothing");
    h.clock.advance(chrono::Duration::minutes(11));
    assert!(
        wait_until(|| !knocks(&h, 672).is_empty()).await,
        "after 30 minutes it comes"
    );
}
