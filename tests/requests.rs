//! Callback requests through Telegram: the wizard, the queue on disk, My request,
//! Hide, Erase and retention.

mod common;

use common::{at_menu, sent_to, to_summary, wait_until, Harness};

fn alive(h: &Harness, chat: u64) -> Vec<(i64, bool, Option<String>)> {
    h.api
        .chat(chat as i64)
        .into_iter()
        .filter(|m| !m.deleted)
        .map(|m| (m.id, m.from_bot, m.text))
        .collect()
}

#[tokio::test]
async fn a_request_goes_through_the_wizard_onto_disk_with_her_typing_deleted() {
    let mut h = Harness::start_with(
        |c| c.center.call_from = vec!["+996 3222 7-00-01".into()],
        None,
    )
    .await;
    let user = at_menu(&h, 201, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    let summary = h
        .api
        .chat(201)
        .into_iter()
        .rev()
        .find(|m| m.from_bot && !m.deleted)
        .unwrap();
    let summary_text = summary.text.clone().unwrap();
    assert!(
        summary_text.contains("Телефон: +996700123456"),
        "in full: {summary_text}"
    );
    assert!(summary_text.contains("Кодовое слово: задано"));
    // What she typed — number, code word, description — is gone from the chat.
    let hers: Vec<_> = alive(&h, 201)
        .into_iter()
        .filter(|(_, bot, _)| !bot)
        .collect();
    assert!(
        hers.iter()
            .all(|(_, _, text)| text.as_deref() == Some("/start")),
        "{hers:?}"
    );
    let sent = user.tap("Отправить").await;
    assert_eq!(
        sent.method, "editMessageText",
        "the summary becomes the confirmation"
    );
    assert_eq!(sent.message_id, summary.id);
    assert!(
        sent.text
            .starts_with("Спасибо, мы получили вашу заявку. Её номер: "),
        "{}",
        sent.text
    );
    assert!(sent.text.contains("Вы первая в очереди."));
    assert!(sent.text.contains("Номер для звонка: +996 ••• ••• 456."));
    assert!(sent
        .text
        .contains("звонит только с этих номеров: +996 3222 7-00-01"));
    assert!(!sent.text.contains("700123456"), "masked after sending");
    let code: String = sent
        .text
        .split("номер: ")
        .nth(1)
        .unwrap()
        .chars()
        .take(4)
        .collect();
    let mine = user.tap("Моя заявка").await;
    assert!(
        mine.text.starts_with(&format!("Заявка {code}")),
        "{}",
        mine.text
    );
    assert!(mine.text.contains("+996 ••• ••• 456"));
    h.stop().await;
    let store = h.open_store();
    let record = store.latest_request(&h.pseudonym(201)).unwrap().unwrap();
    assert_eq!(record.code, code);
    let personal = store.open_personal(&record).unwrap();
    assert_eq!(personal.phone.unwrap().e164(), "+996700123456");
    assert_eq!(personal.code_word.as_deref(), Some("подсолнух"));
    assert_eq!(
        personal.description.as_deref(),
        Some("Муж забрал документы")
    );
    assert_eq!(personal.chat_id, 201);
}

#[tokio::test]
async fn a_request_by_telegram_in_kyrgyz_and_the_expectation_from_working_hours() {
    let h = Harness::start_with(
        |c| {
            c.center.schedule = Some(
                toml::from_str("days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nopens = \"09:00\"\ncloses = \"18:00\"\n")
                    .unwrap(),
            )
        },
        None,
    )
    .await;
    // The harness clock: Monday 2026-04-06 09:00 UTC = 15:00 in Osh, within hours.
    let user = at_menu(&h, 202, "Кыргызча").await;
    user.tap("Мени менен байланышыңыз").await;
    user.tap("Психолог").await;
    user.tap("Мен коопсуз жердемин, күтө алам").await;
    user.press("Мага ушул жерде, Telegram'да жазыңыз");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Качан сүйлөшүү сизге ыңгайлуу"));
    user.tap("Каалаган убакта (8:00–21:00)").await;
    let summary = user.tap("Өткөрүп жиберүү").await;
    assert!(
        summary
            .text
            .contains("Байланыш: Мага ушул жерде, Telegram'да жазыңыз"),
        "{}",
        summary.text
    );
    assert!(
        !summary.text.contains("Шарттуу сөз"),
        "no code word for Telegram"
    );
    let sent = user.tap("Жөнөтүү").await;
    assert!(
        sent.text.starts_with("Рахмат, өтүнүчүңүздү алдык."),
        "{}",
        sent.text
    );
    // In hours, and her window ("any time", 08–21) open: a try, today.
    assert!(
        sent.text.contains(
            "Адис сиз менен бүгүн, сиз тандаган убакта (8:00–21:00) байланышууга аракет кылат."
        ),
        "{}",
        sent.text
    );
    assert!(sent.text.contains("ушул ботко жазат"));
}

#[tokio::test]
async fn every_validation_error_keeps_her_on_the_step_with_an_example() {
    let h = Harness::start().await;
    let user = at_menu(&h, 203, "Русский").await;
    user.tap("Попросить связаться со мной").await;
    user.tap("Психолог").await;
    user.tap("Я в безопасности и могу подождать").await;
    user.tap("Позвоните мне").await;
    for (typed, answer) in [
        ("позвоните вечером", "Это не похоже на номер телефона"),
        ("12345", "Похоже, в номере ошибка"),
        ("8 916 123 45 67", "Похоже, в номере ошибка"),
    ] {
        let message = user.send_text(typed);
        let reply = user.next_reply().await;
        assert!(reply.text.starts_with(answer), "{typed}: {}", reply.text);
        assert!(reply.text.contains("0700 123 456"), "with an example");
        assert!(
            h.api.chat(203).iter().any(|m| m.id == message && m.deleted),
            "{typed} deleted"
        );
    }
    // A shared contact of someone else's account: accepted, marked.
    user.send_contact("+996 555 000 111", Some(999));
    user.next_reply().await;
    user.tap("В любое время (8:00–21:00)").await;
    user.tap("Положить трубку").await;
    let reply = user.say(&"слово".repeat(10)).await;
    assert!(
        reply
            .text
            .starts_with("Кодовое слово — это одно короткое слово, не длиннее 40 символов"),
        "{}",
        reply.text
    );
    user.tap("Пропустить").await;
    let reply = user.say(&"д".repeat(501)).await;
    assert!(
        reply
            .text
            .starts_with("Слишком длинно: 501 символ, а можно не больше 500."),
        "{}",
        reply.text
    );
    let summary = user.say("Коротко.").await;
    assert!(summary.text.contains("Телефон: +996555000111"));
    assert!(summary
        .text
        .contains("(номер из присланного контакта, не ваш номер в Telegram)"));
    // Text on a step that takes buttons: asked to use them, nothing kept.
    user.tap("Изменить").await;
    user.send_text("что-то");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Пожалуйста, выберите ответ кнопкой ниже."));
}

#[tokio::test]
async fn danger_now_is_three_taps_from_the_danger_screen() {
    let h = Harness::start().await;
    let user = at_menu(&h, 204, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    let contact = user.tap("Срочно: связаться со мной").await;
    assert!(
        contact
            .text
            .starts_with("Если вам угрожает опасность прямо сейчас:\n102"),
        "{}",
        contact.text
    );
    user.tap("Позвоните мне").await;
    let summary = user.say("+7 701 123 45 67").await;
    assert!(summary
        .text
        .contains("Срочность: Мне сейчас угрожает опасность"));
    assert!(summary.text.contains("Когда безопасно: В любое время"));
    assert!(summary
        .text
        .contains("Если ответит другой человек: Сказать, что ошиблись номером"));
    let sent = user.tap("Отправить").await;
    assert!(sent.text.contains("звоните 102 или 112"), "{}", sent.text);
}

#[tokio::test]
async fn one_open_request_double_send_and_restart_never_duplicate() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 205, "Русский").await;
    to_summary(&user, "0555 111 222").await;
    let summary = h
        .api
        .chat(205)
        .into_iter()
        .rev()
        .find(|m| m.from_bot && !m.deleted)
        .unwrap();
    let send = summary.buttons()[0][0].1.clone();
    // Two taps on Send, as a redelivered update would be.
    user.press_data(summary.id, &send);
    user.press_data(summary.id, &send);
    let first = user.next_reply().await;
    assert!(first.text.starts_with("Спасибо"), "{}", first.text);
    let second = user.next_reply().await;
    assert!(
        second.text.starts_with("Ваша заявка уже отправлена."),
        "{}",
        second.text
    );
    // After a restart, the old Send button still does not send again.
    h.restart().await;
    user.press_data(summary.id, &send);
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Ваша заявка уже отправлена."));
    // A new request while one is open: offered to view, change or cancel it.
    user.say("/menu").await;
    let offer = user.tap("Попросить связаться со мной").await;
    assert!(
        offer.text.starts_with("У вас уже есть заявка"),
        "{}",
        offer.text
    );
    assert_eq!(
        offer.labels()[..3],
        ["Посмотреть заявку", "Изменить заявку", "Отменить заявку"]
    );
    // Changing it keeps its code.
    let code: String = offer
        .text
        .split("заявка ")
        .nth(1)
        .unwrap()
        .chars()
        .take(4)
        .collect();
    user.tap("Изменить заявку").await;
    for label in [
        "✓ Юридическая помощь",
        "✓ Мне нужна помощь в течение дня",
        "Напишите мне здесь, в Telegram",
        "✓ Днём (12:00–17:00)",
    ] {
        user.tap(label).await;
    }
    user.tap("Пропустить").await;
    let changed = user.tap("Отправить").await;
    assert!(
        changed
            .text
            .starts_with(&format!("Заявка {code} изменена.")),
        "{}",
        changed.text
    );
    h.stop().await;
    let store = h.open_store();
    assert_eq!(
        store.counter("stats/2026-04/topic/legal").unwrap(),
        1,
        "one request only"
    );
    let record = store.latest_request(&h.pseudonym(205)).unwrap().unwrap();
    assert_eq!(record.code, code);
    assert_eq!(store.open_personal(&record).unwrap().phone, None);
}

#[tokio::test]
async fn change_keeps_the_code_word_and_description_she_gave() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 219, "Русский").await;
    to_summary(&user, "0555 111 222").await;
    let sent = user.tap("Отправить").await;
    assert!(sent.text.starts_with("Спасибо"), "{}", sent.text);
    user.say("/menu").await;
    user.tap("Попросить связаться со мной").await;
    user.tap("Изменить заявку").await;
    for label in [
        "✓ Юридическая помощь",
        "✓ Мне нужна помощь в течение дня",
        "✓ Позвоните мне",
    ] {
        user.tap(label).await;
    }
    user.say("0555 111 333").await;
    user.tap("✓ Днём (12:00–17:00)").await;
    let word = user.tap("✓ Сказать, что ошиблись номером").await;
    assert!(
        word.text.starts_with("Можно задать кодовое слово"),
        "{}",
        word.text
    );
    user.tap("Оставить прежнее кодовое слово").await;
    let summary = user.tap("Оставить прежнее описание").await;
    assert!(
        summary.text.contains("Кодовое слово: задано"),
        "{}",
        summary.text
    );
    assert!(
        summary.text.contains("Описание: добавлено"),
        "{}",
        summary.text
    );
    let changed = user.tap("Отправить").await;
    assert!(changed.text.contains("изменена"), "{}", changed.text);
    h.stop().await;
    let store = h.open_store();
    let record = store.latest_request(&h.pseudonym(219)).unwrap().unwrap();
    let personal = store.open_personal(&record).unwrap();
    assert_eq!(personal.code_word.as_deref(), Some("подсолнух"));
    assert_eq!(
        personal.description.as_deref(),
        Some("Муж забрал документы")
    );
    assert!(personal.phone.is_some());
}

#[tokio::test]
async fn a_redelivered_send_never_makes_a_second_request() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 217, "Русский").await;
    to_summary(&user, "0555 111 222").await;
    let summary = h
        .api
        .chat(217)
        .into_iter()
        .rev()
        .find(|m| m.from_bot && !m.deleted)
        .unwrap();
    let send = summary.buttons()[0][0].1.clone();
    let update = user.press_data(summary.id, &send);
    assert!(user.next_reply().await.text.starts_with("Спасибо"));
    // Telegram serves the very same update again (its confirmation was lost).
    assert!(h.api.replay(update));
    let again = user.next_reply().await;
    assert!(
        again.text.starts_with("Ваша заявка уже отправлена."),
        "{}",
        again.text
    );
    h.restart().await;
    assert!(h.api.replay(update));
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Ваша заявка уже отправлена."));
    h.stop().await;
    let store = h.open_store();
    assert_eq!(store.counter("stats/2026-04/topic/legal").unwrap(), 1);
    assert_eq!(store.queue_len(), 1, "one request in the queue");
}

#[tokio::test]
async fn restart_mid_wizard_keeps_her_answers() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 206, "Русский").await;
    user.tap("Попросить связаться со мной").await;
    user.tap("Документы и пособия").await;
    user.tap("Я в безопасности и могу подождать").await;
    user.tap("Позвоните мне").await;
    h.restart().await;
    user.send_text("0700 999 888");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Когда вам удобно и безопасно говорить?"));
}

#[tokio::test]
async fn my_request_can_be_cancelled_after_a_confirm() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 207, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    user.tap("Отправить").await;
    user.tap("Моя заявка").await;
    let ask = user.tap("Отменить заявку").await;
    assert!(ask
        .text
        .contains("Тогда специалист не будет с вами связываться."));
    user.press("Да, отменить");
    assert!(user.next_reply().await.text.starts_with("Заявка отменена."));
    let mine = user.tap("Моя заявка").await;
    assert!(mine.text.contains("Заявка отменена."), "{}", mine.text);
    assert!(!mine.labels().contains(&"Отменить заявку".to_string()));
    h.stop().await;
    assert_eq!(
        h.open_store()
            .counter("stats/2026-04/outcome/cancelled")
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn hide_turns_the_screen_into_a_hygiene_tip_and_deletes_the_rest() {
    let h = Harness::start().await;
    let user = at_menu(&h, 208, "Русский").await;
    user.send_sticker();
    user.next_reply().await;
    user.tap("Попросить связаться со мной").await;
    let screen = user.tap("Психолог").await;
    let cover = user.tap("Скрыть").await;
    assert_eq!(cover.method, "editMessageText");
    assert_eq!(cover.message_id, screen.message_id);
    assert!(
        cover.text.starts_with("COVID-19: гигиена · 1/6"),
        "{}",
        cover.text
    );
    assert!(
        h.api
            .wait_for(|calls| calls.iter().any(|c| c.method == "deleteMessages"))
            .await
    );
    let left: Vec<i64> = alive(&h, 208).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(left, [cover.message_id], "only the cover remains");
    // Her place is kept: back to the wizard where she was.
    user.tap("Главное меню").await;
    user.press("Попросить связаться со мной");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Насколько это срочно?"));
}

#[tokio::test]
async fn the_cover_names_no_center_speaks_for_no_one_and_offers_no_hide_or_erase() {
    let h = Harness::start().await;
    for (id, lang, hide, forbidden_words, forbidden_labels) in [
        (
            5_550_208_811,
            "Русский",
            "Скрыть",
            &[
                "ак",
                "журок",
                "центр",
                "центра",
                "мы",
                "нам",
                "нас",
                "наш",
                "нашем",
            ][..],
            &["Скрыть", "Удалить этот чат"][..],
        ),
        (
            5_550_208_812,
            "Кыргызча",
            "Жашыруу",
            &["ак", "жүрөк", "борбор", "биз", "бизге", "биздин", "бизди"][..],
            &["Жашыруу", "Бул чатты жок кылуу"][..],
        ),
    ] {
        let user = at_menu(&h, id, lang).await;
        // What Hide leaves, and every page turned from it.
        let mut page = user.tap(hide).await;
        for n in 1..=6 {
            assert!(page.text.contains(&format!("{n}/6")), "{}", page.text);
            let lower = page.text.to_lowercase();
            let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
            for word in forbidden_words {
                assert!(
                    !words.contains(word),
                    "{lang} page {n} says {word:?}: {}",
                    page.text
                );
            }
            for label in page.labels() {
                assert!(
                    !forbidden_labels.contains(&label.as_str()),
                    "{lang} page {n} offers {label:?}"
                );
            }
            if n < 6 {
                let next = page
                    .labels()
                    .into_iter()
                    .find(|l| l.ends_with('→'))
                    .expect("a next button");
                page = user.tap(&next).await;
            }
        }
    }
}

#[tokio::test]
async fn hide_is_retried_when_telegram_fails_on_its_side() {
    let h = Harness::start().await;
    let user = at_menu(&h, 5_550_208_801, "Русский").await;
    user.send_sticker();
    user.next_reply().await;
    // Telegram answers the deletion with a 500 (teloxide then waits 10 s).
    h.api
        .inject("deleteMessages", common::Fault::ServerError, 1);
    let cover = user.tap("Скрыть").await;
    let deleted = |calls: &[fake_bot_api::Call]| {
        calls
            .iter()
            .filter(|c| c.method == "deleteMessages" && c.fault.is_none() && !c.refused)
            .count()
            == 1
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !deleted(&h.api.calls()) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let left: Vec<i64> = alive(&h, 5_550_208_801)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(left, [cover.message_id], "the retry cleared her screen");
}

#[tokio::test]
async fn erase_without_a_request_forgets_her_and_removes_its_own_note() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 20, None).await;
    let user = at_menu(&h, 209, "Кыргызча").await;
    let ask = user.tap("Бул чатты жок кылуу").await;
    assert!(
        ask.text.starts_with("Бул чатты жок кыласызбы?"),
        "{}",
        ask.text
    );
    let note = user.tap("Жок кылуу").await;
    assert_eq!(note.method, "sendMessage");
    assert!(note.text.starts_with("Даяр:"), "{}", note.text);
    assert!(note.text.contains("Настройки → Устройства"));
    // The note stays for erase_note_seconds by the bot's clock, then goes.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(alive(&h, 209).len(), 1, "the note, while she reads it");
    // (A job's time is kept to the minute, rounded up.)
    h.clock.advance(chrono::Duration::seconds(61));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !alive(&h, 209).is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(alive(&h, 209), [], "everything, the note too, goes");
    user.send_text("салам");
    assert!(
        user.next_reply()
            .await
            .text
            .contains("Азыр коркунучта болсоңуз"),
        "she is new again"
    );
    h.stop().await;
    assert!(h
        .open_store()
        .load_dialogue(&h.pseudonym(209), chrono::Utc::now())
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn the_erase_note_is_deleted_even_after_a_restart() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 20, None).await;
    let user = at_menu(&h, 218, "Русский").await;
    user.tap("Удалить этот чат").await;
    let note = user.tap("Удалить").await;
    assert!(note.text.starts_with("Готово"), "{}", note.text);
    h.restart().await;
    h.clock.advance(chrono::Duration::seconds(61));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !alive(&h, 218).is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(alive(&h, 218), [], "the note went after the restart");
    h.stop().await;
    // The job's key went with it.
    let store = h.open_store();
    assert_eq!(store.next_due(), None);
}

#[tokio::test]
async fn erase_keeps_or_destroys_her_request_as_she_chooses() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 1, None).await;
    let users = [
        (210, "Удалить чат, заявку оставить"),
        (211, "Удалить всё и отменить заявку"),
    ];
    for (user_id, _) in users {
        let user = at_menu(&h, user_id, "Русский").await;
        to_summary(&user, "0700 123 456").await;
        user.tap("Отправить").await;
    }
    // Copies of the records as they were, to try to open them afterwards.
    h.stop().await;
    let copies: Vec<_> = {
        let store = h.open_store();
        users
            .iter()
            .map(|(id, _)| store.latest_request(&h.pseudonym(*id)).unwrap().unwrap())
            .collect()
    };
    h.launch();
    for (user_id, choice) in users {
        let user = h.user(user_id);
        user.say("/menu").await;
        let ask = user.tap("Удалить этот чат").await;
        assert!(
            ask.text
                .contains("У вас есть заявка, которая ещё не закрыта"),
            "{}",
            ask.text
        );
        let note = user.tap(choice).await;
        assert_eq!(
            note.text.contains("Ваша заявка осталась"),
            user_id == 210,
            "{}",
            note.text
        );
    }
    h.stop().await;
    let store = h.open_store();
    let kept = store.record(&copies[0].id).unwrap().unwrap();
    assert!(kept.status.is_open(), "kept for staff");
    assert!(
        store.open_personal(&copies[0]).is_some(),
        "kept: staff can still call her"
    );
    assert!(
        store.latest_request(&h.pseudonym(210)).unwrap().is_none(),
        "but her screens show nothing of it"
    );
    assert!(
        store.record(&copies[1].id).unwrap().is_none(),
        "record gone"
    );
    assert!(
        store.open_personal(&copies[1]).is_none(),
        "its key is destroyed"
    );
    assert_eq!(
        store
            .load_dialogue(&h.pseudonym(210), chrono::Utc::now())
            .unwrap()
            .map(|d| d.screen),
        Some(ak_jurok::conversation::Screen::FirstContact),
        "she starts over"
    );
    assert!(store
        .load_dialogue(&h.pseudonym(211), chrono::Utc::now())
        .unwrap()
        .is_none());
    assert_eq!(
        store.counter("stats/2026-04/outcome/cancelled").unwrap(),
        1,
        "counted, not kept"
    );
}

#[tokio::test]
async fn after_cancel_and_erase_she_is_new_and_my_request_shows_none() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 1, None).await;
    let user = at_menu(&h, 215, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    user.tap("Отправить").await;
    user.tap("Моя заявка").await;
    user.tap("Отменить заявку").await;
    user.tap("Да, отменить").await;
    h.stop().await;
    let cancelled = h
        .open_store()
        .latest_request(&h.pseudonym(215))
        .unwrap()
        .unwrap();
    h.launch();
    user.say("/menu").await;
    user.tap("Удалить этот чат").await;
    let note = user.tap("Удалить").await;
    assert!(
        !note.text.contains(cancelled.code.as_str()),
        "{}",
        note.text
    );
    let first = user.say("привет").await;
    assert!(
        first.text.contains("Азыр коркунучта болсоңуз"),
        "she is new again: {}",
        first.text
    );
    user.tap("Русский").await;
    user.tap("Перейти в меню").await;
    let mine = user.tap("Моя заявка").await;
    assert!(mine.text.starts_with("У вас нет заявок."), "{}", mine.text);
    assert!(!mine.text.contains(cancelled.code.as_str()));
    h.stop().await;
    let store = h.open_store();
    assert!(store.record(&cancelled.id).unwrap().is_none());
    assert!(store.open_personal(&cancelled).is_none());
}

/// She sends a request (to be called) and asks to erase the chat: her, at the
/// Erase question, and the request's code.
async fn sent_then_erasing(h: &Harness, id: u64) -> (common::FakeUser, String) {
    let user = at_menu(h, id, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    let sent = user.tap("Отправить").await;
    let code: String = sent
        .text
        .split("номер: ")
        .nth(1)
        .unwrap()
        .chars()
        .take(4)
        .collect();
    user.tap("Главное меню").await;
    user.tap("Удалить этот чат").await;
    (user, code)
}

#[tokio::test]
async fn a_request_kept_through_erase_shows_only_after_she_types_its_code() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 1, None).await;
    let (user, code) = sent_then_erasing(&h, 216).await;
    let note = user.tap("Удалить чат, заявку оставить").await;
    assert!(note.text.contains("Ваша заявка осталась"), "{}", note.text);
    assert!(!note.text.contains(&code), "the note never prints the code");
    // Whoever holds the phone next sees nothing of it.
    let first = user.say("/start").await;
    assert!(
        first.labels().iter().any(|l| l == "✓ Кыргызча"),
        "as anyone new"
    );
    user.tap("Русский").await;
    user.tap("Перейти в меню").await;
    let none = user.tap("Моя заявка").await;
    assert!(none.text.starts_with("У вас нет заявок."), "{}", none.text);
    // A wrong code is answered exactly like no request; her typing is deleted.
    let wrong = user.say("QQQQ").await;
    assert_eq!(wrong.text, none.text);
    assert_eq!(wrong.labels(), none.labels());
    let right = user.say(&code.to_lowercase()).await;
    assert!(
        right.text.starts_with(&format!("Заявка {code}")),
        "{}",
        right.text
    );
    assert!(right.text.contains("+996 ••• ••• 456"));
    let typed: Vec<_> = alive(&h, 216)
        .into_iter()
        .filter(|(_, bot, text)| !bot && text.as_deref() != Some("/start"))
        .collect();
    assert_eq!(typed, [], "the codes she typed are deleted");
    // A new request is allowed while the kept one is hidden (checked in the
    // store's tests); after revealing, the one-open rule holds again.
    let offer = user.tap("Главное меню").await;
    assert!(offer.labels().iter().any(|l| l == "Моя заявка"));
    h.stop().await;
}

/// Whoever holds her phone cannot erase the chat for three more guesses at a
/// kept request's code the same day (S11).
#[tokio::test]
async fn another_erase_gives_no_more_tries_at_a_kept_code_that_day() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 1, None).await;
    let (user, code) = sent_then_erasing(&h, 218).await;
    user.tap("Удалить чат, заявку оставить").await;
    // (Her first words, not /start: /start and Erase are limited together
    // to five at once.)
    let to_my_request = || async {
        user.say("привет").await;
        user.tap("Русский").await;
        user.tap("Перейти в меню").await;
        user.tap("Моя заявка").await
    };
    let none = to_my_request().await;
    for wrong in ["QQQQ", "WWWW", "RRRR"] {
        assert_eq!(user.say(wrong).await.text, none.text);
    }
    // Erase again, and the right code: still the day's fourth try.
    user.tap("Главное меню").await;
    user.tap("Удалить этот чат").await;
    user.tap("Удалить").await;
    to_my_request().await;
    let refused = user.say(&code).await;
    assert_eq!(refused.text, none.text, "a fourth try the same day");
    // The next day it opens.
    h.clock.advance(chrono::Duration::days(1));
    user.tap("Главное меню").await;
    user.tap("Моя заявка").await;
    let right = user.say(&code).await;
    assert!(
        right.text.starts_with(&format!("Заявка {code}")),
        "{}",
        right.text
    );
    h.stop().await;
}

#[tokio::test]
async fn my_request_says_when_a_specialist_has_taken_it() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 213, "Кыргызча").await;
    user.tap("Мени менен байланышыңыз").await;
    for label in [
        "Психолог",
        "Мен коопсуз жердемин, күтө алам",
        "Мага ушул жерде, Telegram'да жазыңыз",
        "Эртең менен (8:00–12:00)",
        "Өткөрүп жиберүү",
        "Жөнөтүү",
    ] {
        user.tap(label).await;
    }
    h.stop().await;
    {
        let store = h.open_store();
        assert!(store
            .claim_next("staff1", chrono::Utc::now())
            .unwrap()
            .is_some());
    }
    h.launch();
    user.say("/menu").await;
    let mine = user.tap("Менин өтүнүчүм").await;
    assert!(
        mine.text.contains("Адис өтүнүчүңүздү алды"),
        "{}",
        mine.text
    );
}

#[tokio::test]
async fn retention_destroys_the_key_of_a_closed_request_after_the_grace_period() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 212, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    user.tap("Отправить").await;
    user.tap("Моя заявка").await;
    user.tap("Отменить заявку").await;
    user.tap("Да, отменить").await;
    h.stop().await;
    let record = h
        .open_store()
        .latest_request(&h.pseudonym(212))
        .unwrap()
        .unwrap();
    // Six days later the data is still there; after seven it is gone for good.
    h.clock.advance(chrono::Duration::days(6));
    h.launch();
    user.say("/menu").await;
    h.stop().await;
    assert!(h.open_store().open_personal(&record).is_some());
    h.clock.advance(chrono::Duration::days(2));
    h.launch();
    user.say("/menu").await;
    h.stop().await;
    let store = h.open_store();
    assert!(
        store.open_personal(&record).is_none(),
        "the key is destroyed"
    );
    assert!(store.latest_request(&h.pseudonym(212)).unwrap().is_none());
}

#[tokio::test]
async fn hide_deletes_a_long_chat_in_batches_of_at_most_one_hundred() {
    let h = Harness::start().await;
    let user = at_menu(&h, 214, "Русский").await;
    // Her stickers leave her screen at once; the bot's answers stay.
    for _ in 0..130 {
        user.send_sticker();
        user.next_reply().await;
    }
    assert!(alive(&h, 214).len() > 120);
    user.tap("Скрыть").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while alive(&h, 214).len() > 1 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(alive(&h, 214).len(), 1, "only the cover is left");
    let batches: Vec<usize> = h
        .api
        .calls_of("deleteMessages")
        .iter()
        .map(|c| c.body["message_ids"].as_array().unwrap().len())
        .collect();
    assert!(
        batches.len() >= 2 && batches.iter().all(|n| *n <= 100),
        "{batches:?}"
    );
}

#[tokio::test]
async fn a_screen_left_alone_turns_into_the_cover_and_her_place_is_kept() {
    let h = Harness::start_with(|c| c.idle_cover_minutes = 5, None).await;
    let her = at_menu(&h, 5_550_208_901, "Русский").await;
    her.send_sticker();
    her.next_reply().await;
    let danger = her.tap("Нужна помощь сейчас").await;
    assert!(danger.text.contains("102"));
    // Four minutes: nothing happens.
    h.clock.advance(chrono::Duration::minutes(4));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(
        alive(&h, 5_550_208_901).len() > 1,
        "her chat is as it was after four minutes"
    );
    // A tap then puts it off: five minutes from the tap.
    her.tap("Главное меню").await;
    h.clock.advance(chrono::Duration::minutes(3));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(
        alive(&h, 5_550_208_901).len() > 1,
        "three minutes after a tap"
    );
    h.clock.advance(chrono::Duration::minutes(3));
    let covered = |h: &Harness| {
        let left = alive(h, 5_550_208_901);
        left.len() == 1
            && left[0]
                .2
                .as_deref()
                .is_some_and(|t| t.starts_with("COVID-19: гигиена · 1/6"))
    };
    assert!(
        wait_until(|| covered(&h)).await,
        "{:?}",
        alive(&h, 5_550_208_901)
    );
    // It was an edit, not a new message: nothing rang.
    let sent_after: Vec<_> = sent_to(&h, 5_550_208_901)
        .into_iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("COVID-19"))
        })
        .collect();
    assert!(sent_after.is_empty(), "the cover was sent as a new message");
    // Her place is kept: the menu is where she left it.
    her.skip_replies();
    let menu = her.say("/menu").await;
    assert!(menu.text.starts_with("Главное меню"), "{}", menu.text);
}

#[tokio::test]
async fn a_second_erase_removes_the_first_note_at_once_and_no_job_names_her_after() {
    let mut h = Harness::start_with(|c| c.erase_note_seconds = 50, None).await;
    let user = at_menu(&h, 5_550_208_922, "Русский").await;
    user.tap("Удалить этот чат").await;
    let first = user.tap("Удалить").await;
    assert!(first.text.starts_with("Готово"), "{}", first.text);
    // Someone comes; she starts again and erases again at once.
    // (Words, not /start: the limiter lets five of /start and Erase through at once.)
    let again = user.say("привет").await;
    let russian = again.labels().into_iter().find(|l| l.ends_with("Русский"));
    let welcome = user.tap(&russian.expect("language button")).await;
    user.tap(&welcome.labels()[0]).await;
    user.tap("Удалить этот чат").await;
    let second = user.tap("Удалить").await;
    assert!(second.text.starts_with("Готово"), "{}", second.text);
    assert!(
        wait_until(|| !alive(&h, 5_550_208_922)
            .iter()
            .any(|(id, _, _)| *id == first.message_id))
        .await,
        "the first note waited for its job: {:?}",
        alive(&h, 5_550_208_922)
    );
    h.stop().await;
    // One job is left: the second note's; the first note's went at Erase.
    let store = h.open_store();
    let later = ak_jurok::clock::Clock::now(&*h.clock) + chrono::Duration::minutes(2);
    assert_eq!(store.due_now(later).unwrap().len(), 1);
}

#[tokio::test]
async fn hide_right_after_erase_removes_the_erase_note_too() {
    let h = Harness::start().await;
    let user = at_menu(&h, 5_550_208_921, "Русский").await;
    user.tap("Удалить этот чат").await;
    let note = user.tap("Удалить").await;
    assert!(note.text.starts_with("Готово"), "{}", note.text);
    // Someone comes; she starts again and hides at once.
    let first = user.say("/start").await;
    assert!(first.text.contains("102"));
    user.tap("Жашыруу / Скрыть / Яшириш").await;
    assert!(
        wait_until(|| !alive(&h, 5_550_208_921)
            .iter()
            .any(|(id, _, _)| *id == note.message_id))
        .await,
        "the note stayed: {:?}",
        alive(&h, 5_550_208_921)
    );
}

#[tokio::test]
async fn in_danger_with_someone_on_call_she_hears_as_soon_as_someone_is_free_in_a_language_staff_speak(
) {
    // One specialist, on call, who speaks Russian only.
    let h = Harness::start_with(
        |c| {
            c.staff = vec![ak_jurok::config::StaffMember {
                on_call: true,
                ..common::staff(900, "aigul")
            }]
        },
        None,
    )
    .await;
    let user = at_menu(&h, 207, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    user.tap("Срочно: связаться со мной").await;
    user.tap("Позвоните мне").await;
    user.say("+7 701 123 45 67").await;
    let sent = user.tap("Отправить").await;
    for said in [
        "Специалист постарается связаться с вами, как только освободится.",
        "Не сохраняйте номер центра в телефоне",
    ] {
        assert!(sent.text.contains(said), "{said}: {}", sent.text);
    }
    assert!(!sent.text.contains("на другом языке"), "{}", sent.text);
    // In Kyrgyz, which nobody on staff speaks: said so, truthfully.
    let her = at_menu(&h, 208, "Кыргызча").await;
    her.tap("Азыр жардам керек").await;
    her.tap("Шашылыш: мени менен байланышыңыз").await;
    her.tap("Мага чалыңыз").await;
    her.say("+7 701 123 45 68").await;
    let sent = her.tap("Жөнөтүү").await;
    assert!(
        sent.text
            .contains("Адис сизге башка тилде жооп бериши мүмкүн: Русский."),
        "{}",
        sent.text
    );
}
