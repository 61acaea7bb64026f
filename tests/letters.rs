//! Reaching her safely: a specialist's message waits for her window, arrives as
//! a silent knock that says nothing, shows its words only when she taps it, and
//! leaves her chat within a day; nothing arrives right after she pressed Hide.

mod common;

use common::{at_menu, code_in, knocks, sent_to, staff, wait_until, Harness};

/// She asks to be written to here, in the evening (17–21 in Osh); returns the code.
async fn she_asks_to_be_written_to(h: &Harness, id: u64) -> String {
    common::she_asks_to_be_written_to(h, id, "Вечером (17:00–21:00)").await
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
    assert!(
        !opened.text.contains(&code),
        "the code is not on her screen"
    );
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

/// She, with a name and username Telegram would show, asks to be written to
/// here in the afternoon (open at the harness's 15:00 in Osh).
async fn she_writes_here(h: &Harness, id: u64) -> (fake_bot_api::FakeUser, String) {
    let her = h.api.user(id).named("Айгерим", "aigerim_k");
    let first = her.say("/start").await;
    let russian = first
        .labels()
        .into_iter()
        .find(|l| l.ends_with("Русский"))
        .unwrap();
    let welcome = her.tap(&russian).await;
    her.tap(&welcome.labels()[0]).await;
    for label in [
        "Попросить связаться со мной",
        "Юридическая помощь",
        "Мне нужна помощь в течение дня",
        "Напишите мне здесь, в Telegram",
        "Днём (12:00–17:00)",
        "Пропустить",
    ] {
        her.tap(label).await;
    }
    let code = code_in(&her.tap("Отправить").await.text);
    (her, code)
}

fn texts_in(h: &Harness, chat: i64) -> String {
    h.api
        .calls()
        .iter()
        .filter(|c| c.body["chat_id"] == chat)
        .map(|c| c.body.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Her Telegram id: long enough that no message id or count can look like it.
const HER: u64 = 5_550_301_681;
/// The specialist's Telegram id, likewise.
const SPECIALIST: u64 = 4_242_424_900;

#[tokio::test]
async fn the_relay_goes_both_ways_live_and_no_identity_crosses() {
    let h = Harness::start_with(
        |c| {
            let mut aigul = staff(SPECIALIST, "aigul");
            aigul.name = "Айгүл Сатыбалдиева".into();
            c.staff = vec![aigul];
        },
        None,
    )
    .await;
    let (her, code) = she_writes_here(&h, HER).await;
    let aigul = h.user(SPECIALIST);
    aigul.say("/next").await;
    aigul.tap("Написать ей").await;
    aigul.send_text("Здравствуйте! Я специалист центра. Как вы?");
    aigul.next_reply().await;
    // Her window is open: the knock comes at once; she opens it and answers.
    assert!(wait_until(|| !knocks(&h, HER as i64).is_empty()).await);
    her.skip_replies();
    her.tap("Открыть").await;
    let mode = her.tap("Ответить специалисту").await;
    assert!(
        mode.text.starts_with("Вы пишете специалисту центра."),
        "{}",
        mode.text
    );
    aigul.skip_replies();
    let hers = her.send_text("Мне нужна консультация по алиментам");
    let relayed = aigul.next_reply().await;
    assert_eq!(
        relayed.text,
        format!("Заявка {code} — она пишет:\n\nМне нужна консультация по алиментам")
    );
    let call = h
        .api
        .calls_of("sendMessage")
        .into_iter()
        .rfind(|c| c.body["chat_id"] == SPECIALIST)
        .unwrap();
    assert_eq!(call.body["protect_content"], true);
    // Answered at once while she is in the conversation: plain and silent —
    // and the prompt says so.
    let prompt = aigul.tap("Написать ей").await;
    assert!(
        prompt
            .text
            .starts_with("Она сейчас в разговоре: следующее ваше сообщение"),
        "{}",
        prompt.text
    );
    her.skip_replies();
    aigul.send_text("Могу объяснить, как подать на алименты. Вам удобно сейчас?");
    assert_eq!(
        aigul.next_reply().await.text,
        format!("Отправлено: по заявке {code} она сейчас в переписке и увидит сразу.")
    );
    let live = her.next_reply().await;
    assert!(live.text.contains("Могу объяснить"), "{}", live.text);
    let call = h
        .api
        .calls_of("sendMessage")
        .into_iter()
        .rfind(|c| c.body["chat_id"] == HER)
        .unwrap();
    assert_eq!(call.body["disable_notification"], true);
    // Had she blocked the bot, the specialist would be told, not "sent".
    aigul.tap("Написать ей").await;
    h.api.inject("sendMessage", common::Fault::Blocked, 1);
    aigul.send_text("Вы здесь?");
    assert_eq!(
        aigul.next_reply().await.text,
        format!(
            "Заявка {code}: сообщение не доставлено — возможно, она заблокировала бота или удалила чат."
        )
    );
    // Neither side sees who the other is.
    let staff_side = texts_in(&h, SPECIALIST as i64);
    for hers in ["Айгерим", "aigerim_k", &HER.to_string()] {
        assert!(!staff_side.contains(hers), "{hers} reached the staff chat");
    }
    let her_side = texts_in(&h, HER as i64);
    for theirs in ["Айгүл", "Сатыбалдиева", "aigul", &SPECIALIST.to_string()] {
        assert!(!her_side.contains(theirs), "{theirs} reached her chat");
    }
    // Quiet for a quarter of an hour: the conversation leaves her chat.
    h.clock.advance(chrono::Duration::minutes(16));
    let gone = |id: i64| {
        h.api
            .chat(HER as i64)
            .iter()
            .any(|m| m.id == id && m.deleted)
    };
    assert!(wait_until(|| gone(hers) && gone(live.message_id)).await);
    // When the claim ends, her words leave the specialist's chat with the card.
    aigul.say("/off").await;
    aigul.tap("Без заметки").await;
    assert!(
        wait_until(|| h
            .api
            .chat(SPECIALIST as i64)
            .iter()
            .any(|m| m.id == relayed.message_id && m.deleted))
        .await
    );
    // Nobody holds it now: what she writes waits, sealed, for the next card.
    her.skip_replies();
    her.send_sticker();
    assert!(her
        .next_reply()
        .await
        .text
        .contains("Здесь можно писать только текст."));
    let waiting = her.say("Я подожду").await;
    assert_eq!(
        waiting.text,
        "Специалист прочитает это, когда возьмёт вашу заявку."
    );
    let card = aigul.say("/next").await;
    // What she wrote while it waited: in her conversation on the card.
    assert!(card.text.contains(", она: Я подожду"), "{}", card.text);
    assert!(
        !card.text.contains("пока заявка ждала"),
        "once: {}",
        card.text
    );
    assert!(
        !texts_in(&h, -100777).contains("Я подожду"),
        "never to a group"
    );
}

#[tokio::test]
async fn a_long_relay_leaves_nothing_older_than_a_day_in_her_chat() {
    // A conversation that never goes quiet for long (the quiet time is set long).
    let h = Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.relay_quiet_minutes = 3 * 24 * 60;
            c.draft_ttl_hours = 3 * 24;
            c.claim_hours = 3 * 24;
        },
        None,
    )
    .await;
    let (her, _) = she_writes_here(&h, 682).await;
    let aigul = h.user(900);
    aigul.say("/next").await;
    aigul.tap("Написать ей").await;
    aigul.send_text("Здравствуйте!");
    assert!(wait_until(|| !knocks(&h, 682).is_empty()).await);
    her.skip_replies();
    her.tap("Открыть").await;
    her.tap("Ответить специалисту").await;
    // (Delivered, opened: what the specialist was told so far.)
    assert!(wait_until(|| texts_in(&h, 900).contains("она открыла")).await);
    aigul.skip_replies();
    let mut written = Vec::new();
    for day in 0..3 {
        if day > 0 {
            h.clock.advance(chrono::Duration::hours(20));
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        written.push(her.send_text(&format!("Сообщение дня {day}")));
        let relayed = aigul.next_reply().await;
        assert!(
            relayed.text.ends_with(&format!("Сообщение дня {day}")),
            "{}",
            relayed.text
        );
    }
    // Written at 0, 20 and 40 hours; at 50 hours the first two (50 and 30
    // hours old) are gone, the last (10 hours old) stays.
    h.clock.advance(chrono::Duration::hours(10));
    let gone = |id: i64| h.api.chat(682).iter().any(|m| m.id == id && m.deleted);
    assert!(wait_until(|| gone(written[0]) && gone(written[1])).await);
    assert!(!gone(written[2]));
}

#[tokio::test]
async fn in_kyrgyz_a_closed_request_knocks_only_if_asked_and_long_or_undeliverable_messages_are_told(
) {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.tell_her_when_closed = true;
        },
        None,
    )
    .await;
    // In Kyrgyz: her request to be written to here, in the afternoon.
    let her = at_menu(&h, 691, "Кыргызча").await;
    for label in [
        "Мени менен байланышыңыз",
        "Юридикалык жардам",
        "Мага бир күндүн ичинде жардам керек",
        "Мага ушул жерде, Telegram'да жазыңыз",
        "Түштөн кийин (12:00–17:00)",
        "Өткөрүп жиберүү",
    ] {
        her.tap(label).await;
    }
    let code = code_in(&her.tap("Жөнөтүү").await.text);
    let aigul = h.user(900);
    aigul.say("/next").await;
    // Too long for one message: refused, with a note.
    aigul.tap("Написать ей").await;
    aigul.send_text(&"а".repeat(3901));
    assert_eq!(
        aigul.next_reply().await.text,
        "Сообщение длиннее 3900 знаков. Напишите короче."
    );
    // Closed: she gets a knock (in Kyrgyz), and the words only when she taps.
    aigul.skip_replies();
    aigul.tap("Готово: поговорили").await;
    aigul.tap("Сохранить и закрыть").await;
    assert!(
        wait_until(|| sent_to(&h, 691)
            .iter()
            .any(|m| m["text"].as_str().unwrap().starts_with("Күндүн кеңеши")))
        .await
    );
    her.skip_replies();
    let opened = her.tap("Ачуу").await;
    assert!(!opened.text.contains(&code), "{}", opened.text);
    assert!(
        opened.text.starts_with("Өтүнүчүңүз жабылды."),
        "{}",
        opened.text
    );
}

#[tokio::test]
async fn a_waiting_message_to_a_woman_who_erased_everything_never_reaches_her_chat() {
    let h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    // Evening only: the message waits.
    let code = she_asks_to_be_written_to(&h, 692).await;
    let (aigul, her) = (h.user(900), h.user(692));
    aigul.say(&format!("/take {code}")).await;
    aigul.tap("Написать ей").await;
    aigul.send_text("Здравствуйте!");
    aigul.next_reply().await;
    // She erases everything and cancels the request before her evening.
    her.say("/menu").await;
    her.tap("Удалить этот чат").await;
    her.tap("Удалить всё и отменить заявку").await;
    // Her specialist knows at once (the letter, sealed under the request's
    // destroyed key, is unreadable from now on).
    assert!(
        wait_until(|| sent_to(&h, 900).iter().any(|m| m["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Заявку {code} она отменила"))))
        .await
    );
    h.clock.advance(chrono::Duration::hours(2));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        knocks(&h, 692).is_empty(),
        "nothing appears in a chat she erased"
    );
}

/// What the bot sent or edited in `chat` from call `since` on.
fn to_her_since(h: &Harness, chat: i64, since: usize) -> Vec<String> {
    h.api.calls()[since..]
        .iter()
        .filter(|c| {
            c.body["chat_id"] == chat
                && matches!(c.method.as_str(), "sendMessage" | "editMessageText")
        })
        .map(|c| c.body.to_string())
        .collect()
}

#[tokio::test]
async fn after_erase_keeping_the_request_nothing_reaches_her_chat_until_she_types_its_code() {
    let h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    // Afternoon: her window is open, so a letter would knock at once.
    let (her, code) = she_writes_here(&h, 693).await;
    let aigul = h.user(900);
    aigul.say(&format!("/take {code}")).await;
    // A first message knocks before she erases; she does not open it.
    aigul.tap("Написать ей").await;
    aigul.send_text("Первое: вам удобно поговорить?");
    assert!(wait_until(|| !knocks(&h, 693).is_empty()).await);
    let knock = h
        .api
        .chat(693)
        .into_iter()
        .rfind(|m| {
            m.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Совет дня"))
        })
        .unwrap();
    let (_, open) = knock.buttons()[0][0].clone();
    // She erases the chat and keeps the request.
    her.skip_replies();
    her.say("/menu").await;
    her.tap("Удалить этот чат").await;
    her.tap("Удалить чат, заявку оставить").await;
    let since = h.api.calls().len();
    // The specialist writes again: told at once that it waits for her code.
    aigul.skip_replies();
    h.clock.advance(chrono::Duration::minutes(5));
    aigul.tap("Написать ей").await;
    let typed = aigul.send_text("Второе: мы нашли юриста");
    let posted = aigul.next_reply().await;
    assert!(
        posted.text.starts_with(&format!(
            "Сообщение по заявке {code} сохранено, но она удалила чат и оставила заявку"
        )),
        "{}",
        posted.text
    );
    assert!(posted.text.contains("лучше позвоните"), "{}", posted.text);
    // Kept sealed with her request, not in the specialist's chat.
    assert!(wait_until(|| h.api.chat(900).iter().any(|m| m.id == typed && m.deleted)).await);
    // Hours pass, inside and outside her window: nothing reaches her chat.
    h.clock.advance(chrono::Duration::minutes(40));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    h.clock.advance(chrono::Duration::hours(20));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(to_her_since(&h, 693, since), Vec::<String>::new());
    // The chat starts over; the old knock, tapped by whoever holds the phone,
    // opens nothing.
    her.say("/start").await;
    her.tap("Русский").await;
    her.tap("Перейти в меню").await;
    her.press_data(knock.id, &open);
    let tapped = her.next_reply().await;
    assert!(!tapped.text.contains("Первое"), "{}", tapped.text);
    assert!(!tapped.text.contains(&code), "{}", tapped.text);
    // A new card says so too.
    aigul.tap("Вернуть в очередь").await;
    let card = aigul.say(&format!("/take {code}")).await;
    assert!(
        card.text
            .contains("Она удалила чат и оставила заявку: написанное через бот дойдёт до неё"),
        "{}",
        card.text
    );
    // She types the code on My request: both letters show there.
    her.tap("Моя заявка").await;
    aigul.skip_replies();
    her.send_text(&code);
    let mine = her.next_reply().await;
    assert!(mine.text.contains(&code), "{}", mine.text);
    let first = her.next_reply().await;
    assert!(
        first.text.contains("Первое: вам удобно поговорить?"),
        "{}",
        first.text
    );
    let second = her.next_reply().await;
    assert!(
        second.text.contains("Второе: мы нашли юриста"),
        "{}",
        second.text
    );
    assert!(second
        .labels()
        .contains(&"Ответить специалисту".to_string()));
    assert!(
        wait_until(
            || texts_in(&h, 900).contains(&format!("Заявка {code}: она открыла ваше сообщение."))
        )
        .await
    );
    // Gone from her chat within a day.
    h.clock
        .advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
    let gone = |id: i64| h.api.chat(693).iter().any(|m| m.id == id && m.deleted);
    assert!(wait_until(|| gone(first.message_id) && gone(second.message_id)).await);
}

#[tokio::test]
async fn a_letter_for_a_kept_request_dies_with_it_and_no_closed_notice_reaches_her() {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.tell_her_when_closed = true;
        },
        None,
    )
    .await;
    let (her, code) = she_writes_here(&h, 694).await;
    let aigul = h.user(900);
    aigul.say(&format!("/take {code}")).await;
    her.say("/menu").await;
    her.tap("Удалить этот чат").await;
    her.tap("Удалить чат, заявку оставить").await;
    let since = h.api.calls().len();
    aigul.tap("Написать ей").await;
    aigul.send_text("Мы ждём вас в четверг");
    aigul.next_reply().await;
    // Closed before she came back: no closed-notice, and the letter is destroyed.
    aigul.tap("Готово: поговорили").await;
    aigul.tap("Сохранить и закрыть").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(to_her_since(&h, 694, since), Vec::<String>::new());
    her.say("/start").await;
    her.tap("Русский").await;
    her.tap("Перейти в меню").await;
    her.tap("Моя заявка").await;
    her.send_text(&code);
    let mine = her.next_reply().await;
    assert!(mine.text.contains(&code), "{}", mine.text);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !texts_in(&h, 694).contains("четверг"),
        "the letter went with the closed request"
    );
}

#[tokio::test]
async fn the_next_holder_sees_what_she_and_we_said_sealed_with_the_request() {
    let mut h = Harness::start_with(
        |c| c.staff = vec![staff(SPECIALIST, "aigul"), staff(SPECIALIST + 1, "nurzat")],
        None,
    )
    .await;
    let (her, code) = she_writes_here(&h, HER).await;
    let aigul = h.user(SPECIALIST);
    aigul.say("/next").await;
    aigul.tap("Написать ей").await;
    aigul.send_text("Здравствуйте! Когда вам удобно поговорить?");
    aigul.next_reply().await;
    assert!(wait_until(|| !knocks(&h, HER as i64).is_empty()).await);
    her.skip_replies();
    her.tap("Открыть").await;
    her.tap("Ответить специалисту").await;
    aigul.skip_replies();
    her.send_text("Лучше завтра утром, муж уезжает в 8");
    aigul.next_reply().await;
    aigul.tap("Вернуть в очередь").await;
    // Day two, another specialist: what was said is on the card.
    let nurzat = h.user(SPECIALIST + 1);
    let card = nurzat.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Заявка {code}")),
        "{}",
        card.text
    );
    let thread = card
        .text
        .split("Переписка (её слова и наши):\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no conversation: {}", card.text));
    let mut lines = thread.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(", aigul: Здравствуйте! Когда вам удобно поговорить?"));
    assert!(lines
        .next()
        .unwrap()
        .ends_with(", она: Лучше завтра утром, муж уезжает в 8"));
    // A long conversation: the card shows the newest, and a button all of it,
    // in a message that goes with the card.
    nurzat.tap("Написать ей").await;
    nurzat.send_text(&"Подробно: ".repeat(160));
    nurzat.next_reply().await;
    nurzat.skip_replies();
    let card = nurzat.say(&format!("/card {code}")).await;
    assert!(
        card.text.contains("…более ранних сообщений: 2"),
        "{}",
        card.text
    );
    let whole = nurzat.tap("Вся переписка").await;
    assert!(
        whole
            .text
            .starts_with(&format!("Заявка {code}: вся переписка")),
        "{}",
        whole.text
    );
    assert!(whole.text.contains("муж уезжает в 8"), "{}", whole.text);
    nurzat.tap("Вернуть в очередь").await;
    assert!(
        wait_until(|| h
            .api
            .chat(SPECIALIST as i64 + 1)
            .iter()
            .any(|m| m.id == whole.message_id && m.deleted))
        .await,
        "the whole conversation leaves with the card"
    );
    // Sealed: not in the database's files in clear.
    h.stop().await;
    for words in ["муж уезжает в 8", "Когда вам удобно"] {
        assert!(!h.database_files_hold(words), "{words}");
    }
}

#[tokio::test]
async fn a_written_request_offers_ready_words_in_her_language_as_copy_text_buttons() {
    let mut h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    let code = she_asks_to_be_written_to(&h, 720).await;
    let aigul = h.user(900);
    let card = aigul.say(&format!("/take {code}")).await;
    let shown = h
        .api
        .chat(900)
        .into_iter()
        .find(|m| m.id == card.message_id)
        .unwrap();
    let buttons: Vec<serde_json::Value> = shown.reply_markup.unwrap()["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().clone())
        .collect();
    // Tapping copies the words on her phone; Telegram sends the bot nothing,
    // so they carry no callback data.
    let copied: Vec<(&str, &str)> = buttons
        .iter()
        .filter_map(|b| Some((b["text"].as_str()?, b["copy_text"]["text"].as_str()?)))
        .collect();
    assert_eq!(copied.len(), 3, "{buttons:?}");
    assert!(buttons
        .iter()
        .filter(|b| b.get("copy_text").is_some())
        .all(|b| b.get("callback_data").is_none()));
    assert_eq!(copied[0].0, "📋 Что взять в убежище");
    assert!(
        copied[0].1.starts_with("Если пойдёте в убежище"),
        "{}",
        copied[0].1
    );
    assert_eq!(
        copied[2].1,
        "Спасибо, что ответили. Я напишу вам снова в то время, которое вы выбрали."
    );
    h.stop().await;
}

#[tokio::test]
async fn a_knock_that_comes_soon_after_her_last_tap_outlives_the_idle_cover() {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.idle_cover_minutes = 5;
        },
        None,
    )
    .await;
    // 15:00 in Osh: her afternoon window is open; the knock goes at once,
    // within the five idle minutes after her last tap.
    let code = common::she_asks_to_be_written_to(&h, 674, "Днём (12:00–17:00)").await;
    let (aigul, her) = (h.user(900), h.user(674));
    aigul.say(&format!("/take {code}")).await;
    aigul.tap("Написать ей").await;
    let words = "Здравствуйте, это специалист. Когда вам удобно?";
    aigul.send_text(words);
    aigul.next_reply().await;
    assert!(wait_until(|| !knocks(&h, 674).is_empty()).await);
    // Six minutes on: the idle cover hides the rest of her chat…
    h.clock.advance(chrono::Duration::minutes(6));
    let covered = || {
        h.api
            .chat(674)
            .iter()
            .any(|m| !m.deleted && m.text.as_deref().is_some_and(|t| t.starts_with("COVID-19")))
    };
    assert!(wait_until(covered).await);
    // …and leaves the knock, with its Open, as it was.
    let knock = h
        .api
        .chat(674)
        .into_iter()
        .find(|m| {
            m.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Совет дня"))
        })
        .expect("the knock is still in her chat");
    assert!(!knock.deleted);
    her.skip_replies();
    let opened = her.tap("Открыть").await;
    assert!(opened.text.contains(words), "{}", opened.text);
}
