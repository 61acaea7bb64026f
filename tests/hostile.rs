//! Hostile and odd input: every kind of message Telegram can bring to a private
//! chat, texts of every length and alphabet, edits, polls, dice, channel posts.
//! Each gets a short answer or is ignored where right; none panics; none
//! changes anyone else's data.

mod common;

use serde_json::json;

use common::{at_menu, sent_to, wait_until, Harness};

/// The bot said nothing it should not: no panic apology, no hint of staff.
fn no_apology(h: &Harness, chat: i64) -> bool {
    sent_to(h, chat).iter().all(|m| {
        !m["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Извините")
    })
}

#[tokio::test]
async fn every_kind_of_message_gets_a_short_answer_and_nothing_panics() {
    let h = Harness::start().await;
    let her = at_menu(&h, 140, "Русский").await;
    let other = at_menu(&h, 141, "Русский").await;
    let long = "ж".repeat(4096);
    let huge = "a".repeat(100_000);
    let contents = [
        json!({"text": ""}),
        json!({"text": "a"}),
        json!({"text": long}),
        json!({"text": huge}),
        json!({"text": "\u{0}\u{1}\u{7}\u{1b}[31m\u{202e}txet\u{200f}\u{feff}"}),
        json!({"text": "👩‍👧 \u{1F1F0}\u{1F1EC} ﷽ 𝔄 ̵̡̢̧̨̛̖̗̘̙̜̝"}),
        json!({"text": "/start@SomeOtherBot payload"}),
        json!({"text": "/unknown_command with words"}),
        json!({"text": "/next"}),
        json!({"video_note": {"file_id": "v", "file_unique_id": "vu", "length": 1, "duration": 1}}),
        json!({"audio": {"file_id": "a", "file_unique_id": "au", "duration": 1}}),
        json!({"animation": {"file_id": "g", "file_unique_id": "gu", "width": 1, "height": 1, "duration": 1}}),
        json!({"venue": {"location": {"latitude": 40.5, "longitude": 72.8}, "title": "t", "address": "a"},
               "location": {"latitude": 40.5, "longitude": 72.8}}),
        json!({"dice": {"emoji": "🎲", "value": 3}}),
        json!({"poll": {"id": "p", "question": "?", "options": [{"text": "a", "voter_count": 0}],
               "total_voter_count": 0, "is_closed": false, "is_anonymous": true,
               "type": "regular", "allows_multiple_answers": false}}),
        json!({"text": "forwarded", "forward_origin": {"type": "hidden_user", "sender_user_name": "x", "date": 0}}),
    ];
    for content in contents {
        let before = sent_to(&h, 140).len();
        her.send(content.clone());
        assert!(
            wait_until(|| sent_to(&h, 140).len() > before).await,
            "no answer to {}",
            content.to_string().chars().take(80).collect::<String>()
        );
    }
    // An edited message and a channel post ask for nothing: no answer, no failure.
    h.api.push_raw_update(json!({"edited_message": {
        "message_id": 1, "date": 0, "edit_date": 1, "text": "edited",
        "chat": {"id": 140, "type": "private", "first_name": "U"},
        "from": {"id": 140, "is_bot": false, "first_name": "U"}}}));
    h.api.push_raw_update(json!({"channel_post": {
        "message_id": 1, "date": 0, "text": "post",
        "chat": {"id": -100555, "type": "channel", "title": "c"}}}));
    // Forged, truncated, old-version and random button data.
    for data in [
        "",
        "1:",
        "0:m",
        "2:m",
        "1:k:zz",
        "1:kf:00:ffffffff",
        "🤡",
        &"x".repeat(64),
    ] {
        her.press_data(1, data);
    }
    // She still gets her menu; the other woman's screen is untouched.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    her.skip_replies();
    let menu = her.say("/menu").await;
    assert!(menu.text.starts_with("Главное меню"), "{}", menu.text);
    assert!(no_apology(&h, 140), "a handler failed");
    let theirs = other.say("/menu").await;
    assert!(theirs.text.starts_with("Главное меню"), "{}", theirs.text);
    assert!(sent_to(&h, -100555).is_empty(), "nothing said in a channel");
}
