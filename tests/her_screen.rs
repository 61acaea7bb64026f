//! What she typed leaves her screen: every free text (the first one included),
//! locations and contact cards, and the summary that shows her number once she
//! leaves the wizard or walks away from it.

mod common;

use common::{at_menu, to_summary, Harness};

fn is_deleted(h: &Harness, chat: u64, id: i64) -> bool {
    h.api
        .chat(chat as i64)
        .iter()
        .any(|m| m.id == id && m.deleted)
}

async fn deleted_soon(h: &Harness, chat: u64, id: i64) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while tokio::time::Instant::now() < deadline {
        if is_deleted(h, chat, id) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

fn summary_id(h: &Harness, chat: u64) -> i64 {
    h.api
        .chat(chat as i64)
        .into_iter()
        .rev()
        .find(|m| m.from_bot && !m.deleted && m.text.as_deref().is_some_and(|t| t.contains("+996")))
        .expect("the summary with her number")
        .id
}

#[tokio::test]
async fn her_first_message_is_deleted_and_the_first_reply_says_so() {
    let h = Harness::start().await;
    let user = h.user(401);
    let first = user.send_text("он меня ударил");
    let reply = user.next_reply().await;
    assert!(deleted_soon(&h, 401, first).await, "the disclosure is gone");
    assert!(
        reply
            .text
            .contains("Для вашей безопасности бот удалил ваше сообщение.")
            && reply
                .text
                .contains("Коопсуздугуңуз үчүн бот билдирүүңүздү жок кылды."),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("102"));
    // A command is not her words: nothing to say about it.
    let other = h.user(402);
    let reply = other.say("/start").await;
    assert!(!reply.text.contains("удалил"), "{}", reply.text);
}

#[tokio::test]
async fn free_text_locations_and_contact_cards_are_deleted_anywhere() {
    let h = Harness::start().await;
    let user = at_menu(&h, 403, "Русский").await;
    let typed = user.send_text("где ближайший приют?");
    user.next_reply().await;
    let location = user.send_location();
    user.next_reply().await;
    let contact = user.send_contact("+996700111222", Some(999));
    user.next_reply().await;
    for id in [typed, location, contact] {
        assert!(deleted_soon(&h, 403, id).await, "message {id} stays");
    }
}

#[tokio::test]
async fn text_typed_after_her_draft_expired_is_deleted() {
    let h = Harness::start().await;
    let user = at_menu(&h, 404, "Русский").await;
    user.tap("Попросить связаться со мной").await;
    user.tap("Психолог").await;
    user.tap("Я в безопасности и могу подождать").await;
    user.tap("Напишите мне здесь, в Telegram").await;
    user.tap("Вечером (17:00–21:00)").await;
    h.clock.advance(chrono::Duration::hours(7));
    let late = user.send_text("он снова меня избил");
    user.next_reply().await;
    assert!(deleted_soon(&h, 404, late).await);
}

#[tokio::test]
async fn the_summary_with_her_number_goes_when_she_leaves_the_wizard() {
    let h = Harness::start().await;
    let user = at_menu(&h, 405, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    let summary = summary_id(&h, 405);
    user.say("/menu").await;
    assert!(
        deleted_soon(&h, 405, summary).await,
        "the number stays on screen"
    );
    // Sending keeps its confirmation (the number masked) on screen.
    let other = at_menu(&h, 406, "Русский").await;
    to_summary(&other, "0700 123 456").await;
    let summary = summary_id(&h, 406);
    let sent = other.tap("Отправить").await;
    assert_eq!(sent.message_id, summary);
    other.tap("Главное меню").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!is_deleted(&h, 406, summary), "the confirmation stays");
}

#[tokio::test]
async fn a_summary_left_behind_is_deleted_when_her_draft_expires() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 407, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    let summary = summary_id(&h, 407);
    // She walks away. The purge (at start, then hourly) finds the old draft.
    h.stop().await;
    h.clock.advance(chrono::Duration::hours(7));
    h.launch();
    assert!(deleted_soon(&h, 407, summary).await);
    let dialogue = {
        h.stop().await;
        h.open_store()
            .load_dialogue(&h.pseudonym(407), chrono::Utc::now())
            .unwrap()
            .unwrap()
    };
    assert!(dialogue.draft.is_none(), "what she typed is forgotten too");
}
