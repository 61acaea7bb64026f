//! One person can never stall the others: a flood is cut at the door, before it
//! reaches the dispatcher's per-chat queues.

mod common;

use std::time::Duration;

use common::{at_menu, sent_to, staff, supervisor, wait_until, Harness};

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

/// A flood of stickers from `flooder` (whose answers take two seconds each to
/// go out) does not hold up `other`'s /start.
async fn flood_does_not_hold_up(h: &Harness, flooder: u64, other: u64) {
    let before = sent_to(h, flooder as i64).len();
    h.api.delay_chat(flooder as i64, Duration::from_secs(2));
    let account = h.user(flooder);
    for _ in 0..1000 {
        account.send_sticker();
    }
    let first = h.user(other).say("/start").await;
    assert!(first.text.contains("102"), "{}", first.text);
    let flooder_answers = sent_to(h, flooder as i64).len() - before;
    assert!(
        flooder_answers < 5,
        "{flooder_answers} answers to the flooder went first"
    );
}

#[tokio::test]
async fn a_staff_account_or_a_suspended_one_flooding_does_not_hold_up_another_womans_start() {
    let h = Harness::start_with(
        |c| {
            c.flood_burst = 30;
            c.staff = vec![
                staff(821, "aigul"),
                staff(822, "nurjan"),
                supervisor(823, "gulnara"),
            ];
        },
        None,
    )
    .await;
    // A staff phone in a thief's hands: staff have a larger bucket, not an exemption.
    h.user(821).say("/start").await;
    flood_does_not_hold_up(&h, 821, 831).await;
    // Suspended, it is limited like anyone's.
    let suspended = h.user(823).say("/suspend nurjan").await;
    assert!(suspended.text.contains("nurjan"), "{}", suspended.text);
    flood_does_not_hold_up(&h, 822, 832).await;
    // Told once, as anyone would be (in the default language: the staff
    // member never chose one as her).
    let told = || {
        sent_to(&h, 822)
            .iter()
            .filter(|m| {
                m["text"]
                    .as_str()
                    .unwrap()
                    .starts_with("Катары менен өтө көп")
            })
            .count()
    };
    assert!(wait_until(|| told() == 1).await);
}

#[tokio::test]
async fn in_webhook_mode_too_a_flood_is_cut_before_the_queues() {
    let listen = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let h = Harness::start_with(
        |c| {
            c.flood_burst = 30;
            c.webhook_url = Some("https://bot.example.org/hook".into());
            c.webhook_listen = listen;
        },
        None,
    )
    .await;
    h.api.push_to(listen);
    let flooder = at_menu(&h, 811, "Русский").await;
    h.api.delay_chat(811, Duration::from_secs(2));
    // (The fake posts one update at a time, so fewer than by polling.)
    for _ in 0..300 {
        flooder.send_sticker();
    }
    let other = h.user(812);
    let first = other.say("/start").await;
    assert!(first.text.contains("102"), "{}", first.text);
    let flooder_answers = sent_to(&h, 811).len();
    assert!(
        flooder_answers < 5,
        "{flooder_answers} answers to the flooder went first"
    );
    assert!(wait_until(|| slow_downs(&h, 811) == 1).await);
    assert!(h.api.calls_of("getUpdates").is_empty(), "it ran by webhook");
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
    let danger = her.tap("Нужна помощь сейчас").await;
    assert!(danger.text.contains("112"), "{}", danger.text);
    let hidden = her.tap("Скрыть").await;
    assert_eq!(hidden.method, "editMessageText");
    assert!(!hidden.text.contains("112"), "{}", hidden.text);
}

#[tokio::test]
async fn a_full_queue_takes_only_danger_now_and_starts_are_limited_per_day() {
    let h = Harness::start_with(
        |c| {
            c.max_waiting = 1;
            c.wizard_starts_per_day = 2;
        },
        None,
    )
    .await;
    common::she_asks(&h, 811).await;
    // The queue is full: a second request is not taken, and she is told where to call.
    let second = at_menu(&h, 812, "Русский").await;
    common::to_summary(&second, "0700 123 457").await;
    let refused = second.tap("Отправить").await;
    assert!(
        refused.text.contains("Сейчас заявок очень много"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("112"));
    // Danger now is always taken.
    let third = at_menu(&h, 813, "Русский").await;
    third.tap("Нужна помощь сейчас").await;
    third.tap("Срочно: связаться со мной").await;
    third.tap("Позвоните мне").await;
    third.say("+7 701 123 45 67").await;
    let taken = third.tap("Отправить").await;
    assert!(
        taken.text.starts_with("Спасибо, мы получили вашу заявку."),
        "{}",
        taken.text
    );
    // Two starts a day; the third is refused kindly (danger now is not counted).
    let fourth = at_menu(&h, 814, "Русский").await;
    for _ in 0..2 {
        fourth.tap("Попросить связаться со мной").await;
        fourth.tap("Отмена").await;
    }
    let limited = fourth.tap("Попросить связаться со мной").await;
    assert!(
        limited
            .text
            .contains("Сегодня вы уже несколько раз начинали заявку"),
        "{}",
        limited.text
    );
    fourth.tap("Нужна помощь сейчас").await;
    let urgent = fourth.tap("Срочно: связаться со мной").await;
    assert!(
        urgent.text.contains("Как с вами связаться"),
        "{}",
        urgent.text
    );
}
