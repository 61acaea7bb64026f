//! The staff desk through Telegram: staff and women in the same tests.

mod common;

use common::{at_menu, code_in, named, sent_to, she_asks, staff, wait_until, Harness};

async fn with_staff() -> Harness {
    Harness::start_with(
        |c| c.staff = vec![staff(900, "aigul"), staff(901, "nurzat")],
        None,
    )
    .await
}

/// One staff member, aigul, and the staff chat -100777.
async fn with_staff_chat() -> Harness {
    Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.staff_chat = Some(-100777);
        },
        None,
    )
    .await
}

#[tokio::test]
async fn a_specialist_sees_the_queue_takes_the_request_and_closes_it() {
    let mut h = with_staff().await;
    let code = she_asks(&h, 601).await;
    let aigul = h.user(900);
    let queue = aigul.say("/queue").await;
    assert!(queue.text.starts_with("Ждут: 1."), "{}", queue.text);
    let card = aigul.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Заявка {code}")),
        "{}",
        card.text
    );
    for shown in [
        // Grouped to be read aloud; staff words for her choices.
        "Телефон: +996 700 123 456",
        "Срочность: в течение дня",
        "Связь: позвонить",
        "Кодовое слово: подсолнух",
        "Её слова: Муж забрал документы",
        "Если ответит другой человек: сказать, что ошиблись номером",
        "Звоните только с номера центра",
        "спросите кодовое слово",
    ] {
        assert!(card.text.contains(shown), "{shown}: {}", card.text);
    }
    assert!(!card.text.contains("Внимание"), "one request, no warning");
    let sent = h
        .api
        .calls_of("sendMessage")
        .into_iter()
        .rev()
        .find(|c| c.body["chat_id"] == 900)
        .unwrap();
    assert_eq!(
        sent.body["protect_content"], true,
        "the card cannot be forwarded"
    );
    // She sees that a specialist has it.
    let her = h.user(601);
    her.say("/menu").await;
    let mine = her.tap("Моя заявка").await;
    assert!(mine.text.contains("Специалист уже взял"), "{}", mine.text);
    let held = aigul.say("/mine").await;
    assert_eq!(held.text, format!("Ваши заявки: {code}"));
    // Done: the card becomes the outcome form; her details leave the screen.
    let form = aigul.tap("Готово: поговорили").await;
    assert_eq!(form.method, "editMessageText");
    assert_eq!(form.message_id, card.message_id);
    assert!(!form.text.contains("+996"), "{}", form.text);
    // Page 1 of 2, the help she asked for marked already.
    assert!(
        form.text.contains("1 из 2")
            && form.text.contains("Разговор: Поговорили")
            && form
                .text
                .contains("Помощь центра: Юридическая консультация"),
        "{}",
        form.text
    );
    aigul.tap("Документы и пособия").await;
    let form = aigul.tap("Милиция").await;
    assert!(
        form.text
            .contains("Помощь центра: Юридическая консультация, Документы и пособия")
            && form.text.contains("Направили: Милиция"),
        "{}",
        form.text
    );
    let more = aigul.tap("Отметки и о ней →").await;
    assert!(more.text.contains("2 из 2"), "{}", more.text);
    aigul.tap("30–44").await;
    aigul.tap("← Разговор и помощь").await;
    // Save: the card is deleted, and one line says it is closed.
    let closed = aigul.tap("Сохранить и закрыть").await;
    assert_eq!(closed.method, "sendMessage");
    assert_eq!(closed.text, format!("Заявка {code} закрыта. Спасибо."));
    assert!(
        h.api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id && m.deleted),
        "the card is gone"
    );
    her.say("/menu").await;
    let mine = her.tap("Моя заявка").await;
    assert!(mine.text.contains("Заявка закрыта."), "{}", mine.text);
    assert_eq!(aigul.say("/next").await.text, "Сейчас никто не ждёт.");
    assert_eq!(aigul.say("/mine").await.text, "У вас нет взятых заявок.");
    // The audit log says who did what to which code, and nothing else.
    h.stop().await;
    // The form fed the month's counters.
    let store = h.open_store();
    for (counter, count) in [
        ("stats/2026-04/outcome/helped", 1),
        ("stats/2026-04/help/legal", 1),
        ("stats/2026-04/help/documents", 1),
        ("stats/2026-04/help/shelter", 0),
        ("stats/2026-04/referral/police", 1),
        ("stats/2026-04/age/30-44", 1),
        ("stats/2026-04/flag/child-at-risk", 0),
        ("stats/2026-04/first-try/lt1h", 1),
    ] {
        assert_eq!(store.counter(counter).unwrap(), count, "{counter}");
    }
    drop(store);
    let lines: Vec<String> =
        ak_jurok::store::Store::read_audit(&h.config.data_dir, chrono::DateTime::UNIX_EPOCH)
            .unwrap()
            .iter()
            .map(|l| l.to_string())
            .collect();
    assert_eq!(
        lines,
        [
            format!("2026-04-06 09:00 UTC aigul claimed {code}"),
            format!("2026-04-06 09:00 UTC aigul closed:helped {code}"),
        ]
    );
}

#[tokio::test]
async fn released_requests_go_to_the_next_specialist_and_only_one_gets_each() {
    let h = with_staff().await;
    let code = she_asks(&h, 602).await;
    let (aigul, nurzat) = (h.user(900), h.user(901));
    // Both press /next at once: one card, one "nobody waits".
    aigul.send_text("/next");
    nurzat.send_text("/next");
    let (a, n) = (aigul.next_reply().await, nurzat.next_reply().await);
    let cards = [&a, &n]
        .iter()
        .filter(|r| r.text.starts_with(&format!("Заявка {code}")))
        .count();
    assert_eq!(cards, 1, "{} / {}", a.text, n.text);
    let (holder, other) = if a.text.starts_with("Заявка") {
        (&aigul, &nurzat)
    } else {
        (&nurzat, &aigul)
    };
    // The other cannot close it with the holder's button (a forwarded card).
    let card = if a.text.starts_with("Заявка") {
        &a
    } else {
        &n
    };
    let done = card.buttons[0][0].1.clone();
    other.press_data(card.message_id, &done);
    assert_eq!(other.next_reply().await.text, "Эта заявка уже не у вас.");
    holder.press("Вернуть в очередь");
    assert_eq!(
        holder.next_reply().await.text,
        format!("Заявка {code} снова в очереди, на своём месте.")
    );
    let again = other.say("/next").await;
    assert!(
        again.text.starts_with(&format!("Заявка {code}")),
        "{}",
        again.text
    );
}

#[tokio::test]
async fn staff_commands_and_buttons_do_nothing_for_anyone_else() {
    let h = with_staff().await;
    let code = she_asks(&h, 603).await;
    let card = h.user(900).say("/next").await;
    let stranger = at_menu(&h, 604, "Русский").await;
    let unknown = stranger.say("/nosuchthing").await;
    for command in ["/queue", "/next", "/mine", "/next@fake_bot"] {
        let answer = stranger.say(command).await;
        assert_eq!(answer.text, unknown.text, "{command}");
    }
    // A staff button pressed (replayed, forwarded) by someone else.
    let done = card.buttons[0][0].1.clone();
    stranger.press_data(card.message_id, &done);
    let answer = stranger.next_reply().await;
    assert!(
        answer.text.starts_with("Эта кнопка устарела"),
        "{}",
        answer.text
    );
    assert!(!answer.text.contains(&code));
    // The request is still the specialist's.
    assert_eq!(
        h.user(900).say("/mine").await.text,
        format!("Ваши заявки: {code}")
    );
    // Staff see their commands in their own chat only.
    let scoped: Vec<_> = h
        .api
        .calls_of("setMyCommands")
        .into_iter()
        .filter(|c| c.body["scope"]["type"] == "chat")
        .collect();
    assert!(scoped.iter().any(|c| c.body["scope"]["chat_id"] == 900
        && c.body["commands"].to_string().contains("\"next\"")));
    let public: Vec<_> = h
        .api
        .calls_of("setMyCommands")
        .into_iter()
        .filter(|c| c.body["scope"].is_null())
        .collect();
    assert!(!public.is_empty());
    assert!(public
        .iter()
        .all(|c| !c.body["commands"].to_string().contains("\"next\"")));
}

#[tokio::test]
async fn staff_keep_the_shelter_state_current_and_her_screen_follows_at_once() {
    let h = with_staff().await;
    let her = at_menu(&h, 605, "Русский").await;
    let before = her.tap("Убежище (шелтер)").await;
    // No phone configured: she is not told to call.
    assert!(!before.text.contains("позвоните"), "{}", before.text);
    assert!(
        before
            .text
            .contains("оставьте заявку: специалист вам ответит"),
        "{}",
        before.text
    );
    let aigul = h.user(900);
    let shown = aigul.say("/shelter").await;
    assert!(
        shown.text.starts_with("Состояние убежища ещё не задано"),
        "{}",
        shown.text
    );
    assert_eq!(shown.labels(), ["места есть", "мест мало", "мест нет"]);
    let set = aigul.tap("мест нет").await;
    assert_eq!(set.text, "Готово: мест нет. Она видит это сразу.");
    her.say("/menu").await;
    let after = her.tap("Убежище (шелтер)").await;
    assert!(after.text.contains("Сейчас мест нет."), "{}", after.text);
    // Typed, in Kyrgyz or Russian.
    let typed = aigul.say("/shelter мало").await;
    assert_eq!(typed.text, "Готово: мест мало. Она видит это сразу.");
    // An unknown word sets nothing: the state is shown, with its buttons.
    let unknown = aigul.say("/shelter maybe").await;
    assert!(
        unknown.text.starts_with("Убежище сейчас: мест мало"),
        "{}",
        unknown.text
    );
    // A word of the other language works as well.
    let kyrgyz = aigul.say("/shelter ЖОК").await;
    assert_eq!(kyrgyz.text, "Готово: мест нет. Она видит это сразу.");
    aigul.say("/shelter мало").await;
    let shown = aigul.say("/shelter").await;
    assert!(
        shown.text.starts_with("Убежище сейчас: мест мало"),
        "{}",
        shown.text
    );
    assert_eq!(shown.labels()[1], "✓ мест мало");
    // Nobody else can.
    let stranger = h.user(606);
    stranger.say("/start").await;
    stranger.say("/shelter full").await;
    her.say("/menu").await;
    let still = her.tap("Убежище (шелтер)").await;
    assert!(still.text.contains("мест мало"), "{}", still.text);
}

/// She asks for an urgent call from the danger screen; returns its code.
async fn she_is_in_danger(h: &Harness, id: u64) -> String {
    let user = at_menu(h, id, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    user.tap("Срочно: связаться со мной").await;
    user.tap("Позвоните мне").await;
    user.say("+7 701 123 45 67").await;
    code_in(&user.tap("Отправить").await.text)
}

#[tokio::test]
async fn a_new_request_is_announced_in_the_staff_chat_with_nothing_of_her() {
    let h = with_staff_chat().await;
    let code = she_asks(&h, 607).await;
    assert!(wait_until(|| !sent_to(&h, -100777).is_empty()).await);
    let line = &sent_to(&h, -100777)[0];
    let text = line["text"].as_str().unwrap();
    // The staff chat is addressed in the bot's default language (Kyrgyz here).
    assert_eq!(
        text,
        format!("Жаңы өтүнүч {code}: Юридикалык жардам · бир күндүн ичинде. Күтүп жатат: 1.")
    );
    for private in ["700123456", "подсолнух", "Муж забрал"] {
        assert!(!text.contains(private));
    }
    assert_eq!(line["disable_notification"], true, "not urgent: silent");
    // Nobody is on duty or on call, and it is not urgent: no private alert.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(sent_to(&h, 900).is_empty());
}

#[tokio::test]
async fn danger_alerts_whoever_is_on_duty_else_on_call_else_the_staff_chat() {
    let h = Harness::start_with(
        |c| {
            let mut on_call = staff(900, "aigul");
            on_call.on_call = true;
            c.staff = vec![on_call, staff(901, "nurzat")];
            c.staff_chat = Some(-100777);
        },
        None,
    )
    .await;
    let (aigul, nurzat) = (h.user(900), h.user(901));
    assert!(nurzat.say("/on").await.text.starts_with("Вы на смене."));
    let first = she_is_in_danger(&h, 608).await;
    assert!(
        wait_until(|| !sent_to(&h, 901)
            .iter()
            .all(|m| !m["text"].as_str().unwrap().starts_with("Срочно")))
        .await
    );
    let alert = sent_to(&h, 901)
        .into_iter()
        .find(|m| m["text"].as_str().unwrap().starts_with("Срочно"))
        .unwrap();
    assert_eq!(
        alert["text"],
        format!("Срочно: заявка {first} — ей угрожает опасность сейчас. Возьмите её: /next")
    );
    assert_eq!(alert["disable_notification"], false, "with sound");
    assert!(sent_to(&h, 900).is_empty(), "the on-call one is not woken");
    assert!(wait_until(|| !sent_to(&h, -100777).is_empty()).await);
    let chat_line = sent_to(&h, -100777).pop().unwrap();
    assert_eq!(
        chat_line["disable_notification"], false,
        "urgent: with sound"
    );
    // Off duty, with a claim: no handover note, and it goes back to the queue.
    nurzat.skip_replies();
    nurzat.say("/next").await;
    assert!(nurzat
        .say("/off")
        .await
        .text
        .starts_with("Перед концом смены"));
    assert!(nurzat
        .tap("Без заметки")
        .await
        .text
        .starts_with("Смена закончена. Заявок вернулось в очередь: 1."));
    // Now the on-call staff member is alerted…
    let second = she_is_in_danger(&h, 609).await;
    assert!(
        wait_until(|| sent_to(&h, 900)
            .iter()
            .any(|m| m["text"].as_str().unwrap().contains(&second)))
        .await
    );
    // …and when that alert cannot be delivered, it goes to the staff chat, in
    // the chat's language (Kyrgyz).
    aigul.skip_replies();
    let user = at_menu(&h, 610, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    user.tap("Срочно: связаться со мной").await;
    user.tap("Позвоните мне").await;
    user.say("+7 701 123 45 67").await;
    // The confirmation is an edit; the next message sent is the alert.
    h.api.inject("sendMessage", common::Fault::Blocked, 1);
    let sent = user.tap("Отправить").await;
    let third: String = sent
        .text
        .split("номер: ")
        .nth(1)
        .unwrap()
        .chars()
        .take(4)
        .collect();
    assert!(
        wait_until(|| sent_to(&h, -100777).iter().any(|m| m["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Шашылыш: {third} өтүнүчү"))))
        .await
    );
    assert!(
        !sent_to(&h, 900)
            .iter()
            .any(|m| m["text"].as_str().unwrap().contains(&third)),
        "blocked"
    );
}

#[tokio::test]
async fn when_she_withdraws_a_claimed_request_the_specialist_is_told_and_the_card_goes() {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.erase_note_seconds = 20;
        },
        None,
    )
    .await;
    let aigul = h.user(900);
    // She cancels it from My request.
    let first = she_asks(&h, 611).await;
    let card = aigul.say("/next").await;
    assert!(card.text.starts_with(&format!("Заявка {first}")));
    let her = h.user(611);
    her.say("/menu").await;
    her.tap("Моя заявка").await;
    her.tap("Отменить заявку").await;
    her.tap("Да, отменить").await;
    let told = aigul.next_reply().await;
    assert_eq!(
        told.text,
        format!("Заявку {first} она отменила. Не связывайтесь с ней по этой заявке. Карточку бот удалил.")
    );
    let gone = |message: i64| h.api.chat(900).iter().any(|m| m.id == message && m.deleted);
    assert!(
        wait_until(|| gone(card.message_id)).await,
        "the card is deleted"
    );
    // She erases the chat and cancels it.
    let second = she_asks(&h, 612).await;
    let card = aigul.say("/next").await;
    assert!(card.text.starts_with(&format!("Заявка {second}")));
    let her = h.user(612);
    her.say("/menu").await;
    her.tap("Удалить этот чат").await;
    her.tap("Удалить всё и отменить заявку").await;
    let told = aigul.next_reply().await;
    assert!(
        told.text
            .starts_with(&format!("Заявку {second} она отменила")),
        "{}",
        told.text
    );
    assert!(wait_until(|| gone(card.message_id)).await);
    assert_eq!(aigul.say("/mine").await.text, "У вас нет взятых заявок.");
}

#[tokio::test]
async fn a_request_is_taken_by_code_within_the_cap_and_the_rate_limit() {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![staff(900, "aigul")];
            c.max_claims = 1;
        },
        None,
    )
    .await;
    let first = she_asks(&h, 613).await;
    let second = she_asks(&h, 614).await;
    let aigul = h.user(900);
    assert_eq!(
        aigul.say("/take").await.text,
        "Напишите код заявки, например: /take K7QX"
    );
    let card = aigul.say(&format!("/take {}", second.to_lowercase())).await;
    assert!(
        card.text.starts_with(&format!("Заявка {second}")),
        "{}",
        card.text
    );
    // Both women gave the same number: the card says so.
    assert!(
        card.text
            .contains("Внимание: этот номер есть ещё в одной открытой заявке."),
        "{}",
        card.text
    );
    // One claim at a time here: /next waits until she closes or releases it.
    assert_eq!(
        aigul.say("/next").await.text,
        "Взятых заявок у вас: 1 — это предел. Закройте или верните одну, потом берите новую."
    );
    aigul.press("Вернуть в очередь");
    aigul.next_reply().await;
    assert_eq!(
        aigul.say("/take QQQQ").await.text,
        "Заявки QQQQ нет в очереди: её уже взяли или закрыли, или код неверный."
    );
    // Six tries a minute at most: these are the fourth to sixth, then one too many.
    let next = aigul.say("/next").await;
    assert!(
        next.text.starts_with(&format!("Заявка {first}")),
        "{}",
        next.text
    );
    aigul.say("/next").await;
    aigul.say("/next").await;
    assert_eq!(
        aigul.say("/next").await.text,
        "Слишком часто. Подождите минуту."
    );
    h.clock.advance(chrono::Duration::minutes(2));
    assert!(aigul.say("/next").await.text.starts_with("Взятых заявок"));
}

#[tokio::test]
async fn an_urgent_request_nobody_takes_is_alerted_again_then_in_the_staff_chat() {
    let mut h = Harness::start_with(
        |c| {
            let mut on_call = staff(900, "aigul");
            on_call.on_call = true;
            c.staff = vec![on_call, common::supervisor(901, "boss")];
            c.staff_chat = Some(-100777);
        },
        None,
    )
    .await;
    let code = she_is_in_danger(&h, 615).await;
    let says = |chat: i64, what: String| {
        let h = &h;
        move || {
            sent_to(h, chat)
                .iter()
                .any(|m| m["text"].as_str().unwrap().contains(&what))
        }
    };
    assert!(wait_until(says(900, format!("Срочно: заявка {code}"))).await);
    h.clock.advance(chrono::Duration::minutes(11));
    assert!(
        wait_until(says(900, format!("Срочная заявка {code} ждёт уже 10 мин"))).await,
        "alerted again after 10 minutes"
    );
    // … and the supervisor hears of it, privately.
    assert!(
        wait_until(says(
            901,
            format!(
                "Срочная заявка {code} ждёт уже 10 мин, её никто не взял, хотя дежурным напомнили"
            )
        ))
        .await
    );
    h.clock.advance(chrono::Duration::minutes(10));
    assert!(wait_until(says(-100777, format!("{code} өтүнүчү 20 мүнөттөн бери"))).await);
    let in_chat = sent_to(&h, -100777)
        .into_iter()
        .find(|m| m["text"].as_str().unwrap().contains("20 мүнөттөн"))
        .unwrap();
    assert_eq!(in_chat["disable_notification"], false, "with sound");
    // Taken in time: no more alerts about it.
    let taken = she_is_in_danger(&h, 616).await;
    // (Its alert to aigul may come first: wait for the card itself before the
    // clock moves, or the 10-minute check could run before the take.)
    h.user(900).send_text(&format!("/take {taken}"));
    let card = format!("Заявка {taken}");
    assert!(
        wait_until(|| sent_to(&h, 900)
            .iter()
            .any(|m| m["text"].as_str().unwrap().starts_with(&card)))
        .await
    );
    h.clock.advance(chrono::Duration::minutes(25));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!says(900, format!("Срочная заявка {taken}"))());
    assert!(!says(-100777, format!("{taken} өтүнүчү"))());
    // Both escalations are in the audit log, by the bot.
    h.stop().await;
    let audit: Vec<String> =
        ak_jurok::store::Store::read_audit(&h.config.data_dir, chrono::DateTime::UNIX_EPOCH)
            .unwrap()
            .iter()
            .map(|line| line.to_string())
            .collect();
    for step in ["escalated:10min", "escalated:20min"] {
        assert!(
            audit
                .iter()
                .any(|l| l.contains(&format!("UTC bot {step} {code}"))),
            "{step}: {audit:?}"
        );
    }
    assert!(!audit
        .iter()
        .any(|l| l.contains("escalated") && l.contains(&taken)));
}

#[tokio::test]
async fn the_queue_shows_topics_the_oldest_wait_late_urgent_requests_and_who_is_on_duty() {
    let h = with_staff().await;
    let nurzat = h.user(901);
    nurzat.say("/on").await;
    she_asks(&h, 617).await;
    h.clock.advance(chrono::Duration::minutes(3));
    she_is_in_danger(&h, 618).await;
    h.clock.advance(chrono::Duration::minutes(11));
    let aigul = h.user(900);
    let queue = aigul.say("/queue").await;
    for line in [
        "Ждут: 2. Опасность сейчас: 1, в течение дня: 1, могут подождать: 0.",
        "— Юридическая помощь: 1",
        "— Другое или не знаю: 1",
        "Дольше всех ждёт: 14 мин.",
        "Срочных, ждущих больше 10 минут: 1. Возьмите их первыми: /next",
        "На смене: nurzat",
    ] {
        assert!(queue.text.contains(line), "{line}\n{}", queue.text);
    }
    // A staff member's /start sets their command menu again.
    let before = h.api.calls_of("setMyCommands").len();
    aigul.say("/start").await;
    assert!(h.api.calls_of("setMyCommands").len() > before);
}

#[tokio::test]
async fn three_tries_over_two_days_close_as_could_not_reach_and_she_is_told() {
    let h = with_staff().await;
    let code = she_asks(&h, 619).await;
    let aigul = h.user(900);
    for (n, advance) in [(1, 0), (2, 1), (3, 1)] {
        h.clock.advance(chrono::Duration::days(advance));
        let card = aigul.say("/next").await;
        assert!(
            card.text.starts_with(&format!("Заявка {code}")),
            "{}",
            card.text
        );
        if n > 1 {
            assert!(
                card.text
                    .contains(&format!("Попыток связаться: {}.", n - 1)),
                "{}",
                card.text
            );
            let note = format!(
                "Заметка после прошлой попытки: Ответила сестра, попытка {}",
                n - 1
            );
            assert!(card.text.contains(&note), "{}", card.text);
        }
        let what = aigul.tap("Не получилось поговорить").await;
        assert_eq!(what.text, "Что случилось со звонком?");
        assert_eq!(what.message_id, card.message_id, "the card is replaced");
        let recorded = aigul.tap("Не ответили").await;
        assert_eq!(
            recorded.method, "sendMessage",
            "the menu (once the card) goes"
        );
        assert!(h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id && m.deleted));
        if n < 3 {
            assert!(
                recorded.text.starts_with(&format!(
                    "Попытка {n} записана. Заявка {code} снова в очереди — ей позвонят в следующий раз."
                )),
                "{}",
                recorded.text
            );
            // A handover note for whoever calls next: kept sealed, off the screen.
            let note = format!("Ответила сестра, попытка {n}");
            let typed = aigul.send_text(&note);
            let saved = aigul.next_reply().await;
            assert_eq!(
                saved.text,
                format!("Заметка к заявке {code} сохранена. Ваше сообщение удалено из чата.")
            );
            assert!(h.api.chat(900).iter().any(|m| m.id == typed && m.deleted));
        } else {
            assert!(
                recorded.text.starts_with("Третья попытка за два дня"),
                "{}",
                recorded.text
            );
        }
    }
    assert_eq!(aigul.say("/next").await.text, "Сейчас никто не ждёт.");
    let her = h.user(619);
    her.say("/menu").await;
    let mine = her.tap("Моя заявка").await;
    assert!(
        mine.text
            .contains("Специалист несколько раз не смог до вас дозвониться"),
        "{}",
        mine.text
    );
    let again = her.tap("Попросить связаться со мной").await;
    assert!(
        again.text.starts_with("О чём вы хотите поговорить"),
        "{}",
        again.text
    );
}

#[tokio::test]
async fn a_claim_not_closed_in_time_asks_first_then_goes_back_to_the_queue() {
    let h = with_staff_chat().await;
    let code = she_is_in_danger(&h, 620).await;
    let aigul = h.user(900);
    aigul.skip_replies();
    let card = aigul.say(&format!("/take {code}")).await;
    assert!(card.text.starts_with(&format!("Заявка {code}")));
    // 25 minutes into a 30-minute claim: asked, and keeps it.
    h.clock.advance(chrono::Duration::minutes(26));
    let asked = aigul.next_reply().await;
    assert_eq!(
        asked.text,
        format!("Вы ещё работаете с заявкой {code}? Если не ответите за 5 минут, она вернётся в очередь.")
    );
    assert_eq!(asked.labels(), ["Да, оставить у меня", "Вернуть в очередь"]);
    let kept = aigul.tap("Да, оставить у меня").await;
    assert_eq!(kept.text, format!("Заявка {code} остаётся у вас."));
    // The old deadline passes harmlessly; the new one asks again.
    h.clock.advance(chrono::Duration::minutes(6));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        aigul.say("/mine").await.text,
        format!("Ваши заявки: {code}")
    );
    h.clock.advance(chrono::Duration::minutes(20));
    let again = aigul.next_reply().await;
    assert!(again.text.starts_with("Вы ещё работаете"), "{}", again.text);
    // No answer: back to the queue, the holder and the staff chat told, the card gone.
    h.clock.advance(chrono::Duration::minutes(6));
    let expired = aigul.next_reply().await;
    assert_eq!(
        expired.text,
        format!("Заявка {code} вернулась в очередь: её не закрыли вовремя.")
    );
    assert!(
        wait_until(|| sent_to(&h, -100777).iter().any(|m| m["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{code} өтүнүчү кезекке кайтты"))))
        .await
    );
    assert!(
        wait_until(|| h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id && m.deleted))
        .await,
        "the card is deleted"
    );
    assert!(aigul.say("/queue").await.text.starts_with("Ждут: 1."));
}

#[tokio::test]
async fn a_supervisor_sees_every_claim_and_suspends_a_lost_phone() {
    let h = Harness::start_with(
        |c| {
            let mut boss = staff(901, "nurzat");
            boss.supervisor = true;
            boss.name = "Нурзат".into();
            let mut aigul = staff(900, "aigul");
            aigul.name = "Айгүл".into();
            c.staff = vec![aigul, boss];
        },
        None,
    )
    .await;
    let code = she_asks(&h, 621).await;
    let (aigul, nurzat) = (h.user(900), h.user(901));
    let card = aigul.say("/next").await;
    // Not for staff who are not supervisors.
    let only = "Эта команда — только для руководителей. Все ваши команды: /help";
    assert_eq!(aigul.say("/claims").await.text, only);
    assert_eq!(aigul.say("/suspend nurzat").await.text, only);
    let claims = nurzat.say("/claims").await;
    assert_eq!(
        claims.text,
        format!("Взятые заявки:\n\nАйгүл: {code} — в течение дня, Юридическая помощь, 0 мин")
    );
    assert_eq!(
        nurzat.say("/suspend nobody").await.text,
        "Нет сотрудника nobody. Напишите, например: /suspend aigul"
    );
    let suspended = nurzat.say("/suspend aigul").await;
    assert!(
        suspended
            .text
            .starts_with("aigul отстранён(а). Вернулось в очередь заявок: 1; карточки удалены."),
        "{}",
        suspended.text
    );
    assert!(
        wait_until(|| h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id && m.deleted))
        .await,
        "the card with her number is gone from the lost phone"
    );
    // The lost phone is answered like anyone's.
    let stranger = aigul.say("/next").await;
    assert!(stranger.text.contains("102"), "{}", stranger.text);
    assert!(!stranger.text.contains(&code));
    assert_eq!(
        nurzat.say("/claims").await.text,
        "Сейчас никто не держит заявок."
    );
    assert_eq!(
        nurzat.say("/resume aigul").await.text,
        "aigul снова может работать."
    );
    assert!(aigul.say("/queue").await.text.starts_with("Ждут: 1."));
}

#[tokio::test]
async fn a_card_too_old_to_delete_is_replaced_by_a_stub() {
    let h = with_staff().await;
    she_asks(&h, 622).await;
    let aigul = h.user(900);
    let card = aigul.say("/next").await;
    assert!(card.text.contains("+996 700 123 456"));
    let her = h.user(622);
    her.say("/menu").await;
    her.tap("Моя заявка").await;
    her.tap("Отменить заявку").await;
    // Telegram refuses to delete it (as for a message older than 48 hours);
    // set after her /menu, which leaves her screen too.
    h.api.inject("deleteMessage", common::Fault::Blocked, 1);
    her.tap("Да, отменить").await;
    assert!(
        wait_until(|| h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id
                && m.text.as_deref() == Some("Карточка заявки закрыта.")))
        .await,
        "nothing of her stays on the screen"
    );
    assert!(!h.api.chat(900).iter().any(|m| !m.deleted
        && m.text
            .as_deref()
            .is_some_and(|t| t.contains("+996 700 123 456"))));
}

#[tokio::test]
async fn duty_lapses_with_a_word_and_a_day_old_shelter_state_is_a_reminder() {
    let h = with_staff().await;
    let (aigul, nurzat) = (h.user(900), h.user(901));
    aigul.say("/shelter мало").await;
    nurzat.say("/on").await;
    h.clock
        .advance(chrono::Duration::hours(12) + chrono::Duration::minutes(1));
    assert_eq!(
        nurzat.next_reply().await.text,
        "Ваша смена закончилась: прошло 12 ч. Срочные заявки больше не приходят вам. Продолжить: /on"
    );
    nurzat.say("/on").await;
    // The state was set a day ago (she is on duty again since 11 h 59 min).
    h.clock
        .advance(chrono::Duration::hours(11) + chrono::Duration::minutes(59));
    let reminder = nurzat.next_reply().await;
    assert_eq!(
        reminder.text,
        "Состояние убежища не обновляли сутки — она видит «позвоните, чтобы узнать». Обновите: /shelter"
    );
}

#[tokio::test]
async fn a_staff_member_who_never_started_the_bot_gets_the_menu_once_they_do_and_alerts_go_to_the_staff_chat_meanwhile(
) {
    let mut h = Harness::prepare(
        |c| {
            let mut aigul = staff(900, "aigul");
            aigul.on_call = true;
            c.staff = vec![aigul];
            c.staff_chat = Some(-100777);
        },
        None,
    )
    .await;
    h.api.never_started(900);
    h.launch();
    let scoped_to_her = |h: &Harness| {
        h.api
            .calls_of("setMyCommands")
            .into_iter()
            .filter(|c| c.body["scope"]["chat_id"] == 900 && !c.refused)
            .count()
    };
    let code = she_is_in_danger(&h, 660).await;
    // Her alert is refused by Telegram (403): the staff chat gets it, with sound,
    // in the chat's language (the default, Kyrgyz), not in hers (Russian).
    let alert = format!("Шашылыш: {code} өтүнүчү — ал азыр коркунучта. Алыңыз: /next");
    assert!(
        wait_until(|| sent_to(&h, -100777)
            .iter()
            .any(|m| m["text"] == alert.as_str() && m["disable_notification"] == false))
        .await
    );
    assert!(h
        .api
        .calls_of("sendMessage")
        .iter()
        .any(|c| c.body["chat_id"] == 900 && c.refused));
    assert!(h
        .api
        .calls_of("getChat")
        .iter()
        .any(|c| c.body["chat_id"] == 900));
    assert_eq!(
        scoped_to_her(&h),
        0,
        "no menu for a chat Telegram does not show"
    );
    // She writes /start: her staff menu is set, and the desk answers her.
    let aigul = h.user(900);
    let help = aigul.say("/start").await;
    assert!(
        help.text.starts_with("Команды для специалистов"),
        "{}",
        help.text
    );
    assert!(wait_until(|| scoped_to_her(&h) == 1).await);
    let card = aigul.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Заявка {code}")),
        "{}",
        card.text
    );
}

#[tokio::test]
async fn the_card_comes_back_by_its_code_and_the_old_one_goes() {
    let h = with_staff().await;
    let code = she_asks(&h, 631).await;
    let aigul = h.user(900);
    let card = aigul.say("/next").await;
    assert!(card.text.starts_with(&format!("Заявка {code}")));
    // Messages scroll it away; she asks for it again, in lower case.
    let again = aigul.say(&format!("/card {}", code.to_lowercase())).await;
    assert_eq!(again.text, card.text, "the same card");
    assert_ne!(again.message_id, card.message_id, "a new message");
    let protected = h
        .api
        .calls_of("sendMessage")
        .into_iter()
        .filter(|c| c.body["chat_id"] == 900)
        .all(|c| {
            c.body["text"].as_str() != Some(card.text.as_str()) || c.body["protect_content"] == true
        });
    assert!(protected, "every copy of the card is protected");
    // One card per claim: the old one (her number) leaves the chat.
    let gone = |message: i64| h.api.chat(900).iter().any(|m| m.id == message && m.deleted);
    assert!(wait_until(|| gone(card.message_id)).await);
    // Another's request, or a code that is not one: no card.
    let nurzat = h.user(901).say(&format!("/card {code}")).await;
    assert_eq!(
        nurzat.text,
        format!("Заявки {code} нет среди ваших. Ваши заявки: /mine")
    );
    let usage = aigul.say("/card").await;
    assert_eq!(
        usage.text,
        "Напишите код своей заявки, например: /card K7QX"
    );
    // The card shown now is the one that goes when the claim ends.
    let her = h.user(631);
    her.say("/menu").await;
    her.tap("Моя заявка").await;
    her.tap("Отменить заявку").await;
    her.tap("Да, отменить").await;
    assert!(aigul
        .next_reply()
        .await
        .text
        .starts_with(&format!("Заявку {code} она отменила")));
    assert!(wait_until(|| gone(again.message_id)).await);
    // Not for anyone else.
    let stranger = at_menu(&h, 632, "Русский").await;
    let unknown = stranger.say("/nosuchthing").await;
    assert_eq!(
        stranger.say(&format!("/card {code}")).await.text,
        unknown.text
    );
}

#[tokio::test]
async fn the_desk_speaks_the_language_a_staff_member_chose_even_after_a_restart() {
    let mut h = with_staff().await;
    let aigul = h.user(900);
    // She speaks Russian (the first configured language for her).
    assert!(aigul.say("/queue").await.text.starts_with("Ждут: 0."));
    let choice = aigul.say("/language").await;
    assert_eq!(choice.text, "На каком языке бот будет говорить с вами?");
    let kyrgyz = choice
        .labels()
        .into_iter()
        .find(|l| l.contains("Кыргызча"))
        .expect("Kyrgyz is offered");
    // A forged or stale button with no such language: offered the choice again.
    let kyrgyz_data = choice
        .buttons
        .iter()
        .flatten()
        .find(|(label, _)| label.contains("Кыргызча"))
        .map(|(_, data)| data.clone())
        .unwrap();
    let (prefix, _) = kyrgyz_data.rsplit_once(':').unwrap();
    aigul.press_data(choice.message_id, &format!("{prefix}:9"));
    assert_eq!(
        aigul.next_reply().await.text,
        "На каком языке бот будет говорить с вами?"
    );
    let set = aigul.tap(&kyrgyz).await;
    assert!(
        set.text.starts_with("Даяр: бот сиз менен ушул тилде"),
        "{}",
        set.text
    );
    assert!(aigul
        .say("/queue")
        .await
        .text
        .starts_with("Күтүп жатат: 0."));
    h.restart().await;
    let queue = aigul.say("/queue").await;
    assert!(queue.text.starts_with("Күтүп жатат: 0."), "{}", queue.text);
    // A supervisor's command from a staff member who is not one: said so.
    let claims = h.user(901).say("/claims").await;
    assert_eq!(
        claims.text,
        "Эта команда — только для руководителей. Все ваши команды: /help"
    );
}

#[tokio::test]
async fn queue_lists_the_waiting_requests_most_urgent_first_each_with_a_take_button() {
    let h = with_staff().await;
    let later = she_asks(&h, 631).await;
    let urgent = she_is_in_danger(&h, 632).await;
    let aigul = h.user(900);
    let queue = aigul.say("/queue").await;
    let lines: Vec<&str> = queue.text.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with(&urgent))
        .expect("listed");
    let second = lines
        .iter()
        .position(|l| l.starts_with(&later))
        .expect("listed");
    assert!(first < second, "danger now first: {}", queue.text);
    assert!(
        lines[first].starts_with(&format!(
            "{urgent} — опасность сейчас, Другое или не знаю, Русский; можно связаться сейчас; попыток: 0; ждёт"
        )),
        "{}",
        lines[first]
    );
    assert_eq!(
        queue.labels(),
        [format!("Взять {urgent}"), format!("Взять {later}")]
    );
    let card = aigul.tap(&format!("Взять {later}")).await;
    assert!(
        card.text.starts_with(&format!("Заявка {later}")),
        "{}",
        card.text
    );
    // Taken: no longer listed.
    let queue = aigul.say("/queue").await;
    assert!(
        !queue.text.contains(&format!("{later} —")),
        "{}",
        queue.text
    );
}

#[tokio::test]
async fn a_supervisor_assigns_a_request_from_one_specialist_to_another_and_refuses_with_the_reason()
{
    let h = Harness::start_with(
        |c| {
            c.staff = vec![
                staff(900, "aigul"),
                staff(901, "nurzat"),
                common::supervisor(902, "boss"),
                ak_jurok::config::StaffMember {
                    disabled: true,
                    ..staff(903, "gone")
                },
            ];
            c.max_claims = 1;
        },
        None,
    )
    .await;
    let code = she_asks(&h, 633).await;
    let other = she_asks(&h, 634).await;
    let (aigul, nurzat, boss) = (h.user(900), h.user(901), h.user(902));
    let card = aigul.say(&format!("/take {code}")).await;
    assert!(card.text.starts_with(&format!("Заявка {code}")));
    // Refused, each with its reason.
    for (asked, said) in [
        (format!("/assign {code}"), "Напишите код заявки и сотрудника, например: /assign K7QX aigul".to_string()),
        (format!("/assign {code} nobody"), "Нет сотрудника nobody. Напишите, например: /assign K7QX aigul".into()),
        (format!("/assign {code} gone"), "gone отстранён(а): передать заявку нельзя.".into()),
        (format!("/assign {other} aigul"), "У aigul уже столько заявок, сколько можно держать (1). Сначала освободите одну: /claims".into()),
        ("/assign K7QX nurzat".into(), "Заявка K7QX сейчас не ждёт и не взята (закрыта, на паузе или из резервной копии): передать её нельзя.".into()),
    ] {
        assert_eq!(boss.say(&asked).await.text, said, "{asked}");
    }
    // Not for a staff member who is not a supervisor.
    assert!(nurzat
        .say(&format!("/assign {code} nurzat"))
        .await
        .text
        .starts_with("Эта команда — только для руководителей"));
    // From aigul to nurzat.
    let done = boss.say(&format!("/assign {code} NURZAT")).await;
    assert_eq!(
        done.text,
        format!("Заявка {code} теперь у сотрудника nurzat: карточка отправлена.")
    );
    assert!(
        wait_until(|| h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id && m.deleted))
        .await,
        "the card leaves the old holder's chat"
    );
    assert!(sent_to(&h, 900)
        .iter()
        .any(|m| m["text"].as_str().unwrap().starts_with(&format!(
            "Руководитель передал заявку {code} другому сотруднику"
        ))));
    let told = sent_to(&h, 901);
    assert!(
        told.iter()
            .any(|m| m["text"].as_str().unwrap()
                == format!("Руководитель передал вам заявку {code}."))
    );
    let new_card = told
        .iter()
        .find(|m| {
            m["text"]
                .as_str()
                .unwrap()
                .starts_with(&format!("Заявка {code}"))
        })
        .expect("the card");
    assert_eq!(new_card["protect_content"], true);
    nurzat.skip_replies();
    assert_eq!(
        nurzat.say("/mine").await.text,
        format!("Ваши заявки: {code}")
    );
    aigul.skip_replies();
    assert_eq!(aigul.say("/mine").await.text, "У вас нет взятых заявок.");
    // A waiting one goes straight to its new holder: /next never sees it.
    boss.say(&format!("/assign {other} aigul")).await;
    aigul.skip_replies();
    assert_eq!(
        aigul.say("/mine").await.text,
        format!("Ваши заявки: {other}")
    );
}

#[tokio::test]
async fn a_supervisor_reads_a_requests_history_in_telegram_protected_and_on_the_centers_clock() {
    let h = Harness::start_with(
        |c| c.staff = vec![staff(900, "aigul"), common::supervisor(902, "boss")],
        None,
    )
    .await;
    let code = she_asks(&h, 635).await;
    let (aigul, boss) = (h.user(900), h.user(902));
    aigul.say("/next").await;
    aigul.tap("Вернуть в очередь").await;
    let history = boss.say(&format!("/audit {code}")).await;
    let lines: Vec<&str> = history.text.lines().collect();
    assert_eq!(lines[0], format!("История заявки {code} (время центра):"));
    assert!(
        lines.iter().any(|l| l.ends_with("— aigul: взял(а) заявку")),
        "{}",
        history.text
    );
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("— aigul: вернул(а) в очередь")),
        "{}",
        history.text
    );
    let sent = sent_to(&h, 902).pop().unwrap();
    assert_eq!(sent["protect_content"], true);
    assert_eq!(
        boss.say("/audit K7QX").await.text,
        "Заявки K7QX нет (или её данные уже удалены): истории тоже нет."
    );
    assert!(aigul
        .say(&format!("/audit {code}"))
        .await
        .text
        .starts_with("Эта команда — только для руководителей"));
}

#[tokio::test]
async fn mine_brings_each_card_back_with_a_button() {
    let h = with_staff().await;
    let code = she_asks(&h, 636).await;
    let aigul = h.user(900);
    let first = aigul.say("/next").await;
    let mine = aigul.say("/mine").await;
    assert_eq!(mine.labels(), [format!("Карточка {code}")]);
    let card = aigul.tap(&format!("Карточка {code}")).await;
    assert!(
        card.text.starts_with(&format!("Заявка {code}")),
        "{}",
        card.text
    );
    // One card per claim: the one shown before goes.
    assert!(
        wait_until(|| h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == first.message_id && m.deleted))
        .await
    );
}

#[tokio::test]
async fn a_note_on_any_card_stays_sealed_with_the_request_and_the_next_holder_reads_it() {
    let mut h = with_staff().await;
    let code = she_asks(&h, 637).await;
    let (aigul, nurzat) = (h.user(900), h.user(901));
    aigul.say("/next").await;
    let ask = aigul.tap("Заметка").await;
    assert!(
        ask.text
            .starts_with(&format!("Напишите заметку к заявке {code}")),
        "{}",
        ask.text
    );
    let typed = aigul.send_text("Просила звонить после 18, муж дома до вечера");
    assert_eq!(
        aigul.next_reply().await.text,
        format!("Заметка к заявке {code} сохранена. Ваше сообщение удалено из чата.")
    );
    assert!(
        wait_until(|| h.api.chat(900).iter().any(|m| m.id == typed && m.deleted)).await,
        "the typed note leaves the chat"
    );
    aigul.tap("Вернуть в очередь").await;
    let card = nurzat.say("/next").await;
    assert!(
        card.text.contains("Заметка (")
            && card
                .text
                .contains(", aigul): Просила звонить после 18, муж дома до вечера"),
        "{}",
        card.text
    );
    // Sealed: the words are nowhere in the database's files in clear.
    h.stop().await;
    assert!(!h.database_files_hold("муж дома до вечера"));
}

#[tokio::test]
async fn off_duty_asks_a_handover_note_for_each_request_held_and_posts_the_shifts_counts() {
    let mut h = Harness::start_with(
        |c| {
            c.staff = vec![named(900, "aigul", "Айгуль"), staff(901, "nurzat")];
            c.staff_chat = Some(-100777);
        },
        None,
    )
    .await;
    let codes = [
        she_asks(&h, 700).await,
        she_asks(&h, 701).await,
        she_asks(&h, 702).await,
    ];
    let aigul = h.user(900);
    aigul.say("/on").await;
    // Three taken, one closed; two still held at the end of the shift.
    aigul.say("/next").await;
    aigul.tap("Готово: поговорили").await;
    aigul.tap("Сохранить и закрыть").await;
    aigul.skip_replies();
    aigul.say("/next").await;
    aigul.say("/next").await;
    let asks = |text: &str, code: &str, end: &str| {
        let head = format!("Перед концом смены: заметка по заявке {code}");
        assert!(text.starts_with(&head) && text.ends_with(end), "{text}");
    };
    asks(
        &aigul.say("/off").await.text,
        &codes[1],
        "После неё ещё: 1.",
    );
    // Her note is taken off the screen and sealed with the request.
    let next = aigul.say("Муж дома до 18:00, звонить после").await;
    asks(&next.text, &codes[2], "Это последняя.");
    let over = aigul.tap("Без заметки").await;
    assert_eq!(
        over.text,
        "Смена закончена. Заявок вернулось в очередь: 2.\n\nЗа смену: взято 3, закрыто 1, \
         неудачных попыток связаться 0, срочных («опасность сейчас») 0. В очереди сейчас: 2."
    );
    assert!(
        wait_until(|| sent_to(&h, -100777).iter().any(|m| m["text"]
            .as_str()
            .unwrap()
            .starts_with("Айгуль кезметин бүтүрдү.")))
        .await
    );
    let posted = sent_to(&h, -100777);
    let summary = posted
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .find(|t| t.starts_with("Айгуль"))
        .unwrap();
    // In the staff chat's language, the default (Kyrgyz).
    assert!(summary.contains("алынды 3, жабылды 1"), "{summary}");
    for code in &codes {
        assert!(!summary.contains(code.as_str()), "counts only: {summary}");
    }
    // The next specialist reads the note on the card.
    let nurzat = h.user(901);
    let card = nurzat.say(&format!("/take {}", codes[1])).await;
    assert!(card.text.contains("Муж дома до 18:00"), "{}", card.text);
    h.stop().await;
    assert!(!h.database_files_hold("Муж дома до 18:00"));
}
