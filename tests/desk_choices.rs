//! The staff desk's choices through Telegram: whose request /next gives (her
//! contact window, her language), the outcome form's child-at-risk alert, and
//! what supervisors alone may do (release anyone's claim, reopen a close).

mod common;

use common::{at_menu, code_in, named, staff, supervisor, wait_until, Harness};

/// The wizard's words in one language.
struct Words {
    language: &'static str,
    callback: &'static str,
    topic: &'static str,
    urgency: &'static str,
    call: &'static str,
    if_other: &'static str,
    skip: &'static str,
    send: &'static str,
}

const RU: Words = Words {
    language: "Русский",
    callback: "Попросить связаться со мной",
    topic: "Юридическая помощь",
    urgency: "Мне нужна помощь в течение дня",
    call: "Позвоните мне",
    if_other: "Положить трубку",
    skip: "Пропустить",
    send: "Отправить",
};

const KY: Words = Words {
    language: "Кыргызча",
    callback: "Мени менен байланышыңыз",
    topic: "Юридикалык жардам",
    urgency: "Мага бир күндүн ичинде жардам керек",
    call: "Мага чалыңыз",
    if_other: "Телефонду коюп койсун",
    skip: "Өткөрүп жиберүү",
    send: "Жөнөтүү",
};

/// She asks to be called at `time` (a label in her language); returns the code.
async fn she_requests(h: &Harness, id: u64, words: &Words, time: &str) -> String {
    let user = at_menu(h, id, words.language).await;
    for label in [words.callback, words.topic, words.urgency, words.call] {
        user.tap(label).await;
    }
    user.say("0700 123 456").await;
    user.tap(time).await;
    user.tap(words.if_other).await;
    user.tap(words.skip).await;
    user.tap(words.skip).await;
    code_in(&user.tap(words.send).await.text)
}

#[tokio::test]
async fn next_waits_for_her_contact_window_and_prefers_her_language() {
    let h = Harness::start_with(
        |c| {
            let mut bolot = staff(902, "bolot");
            bolot.languages = vec!["ky".into()];
            c.staff = vec![staff(900, "aigul"), bolot];
        },
        None,
    )
    .await;
    // 15:00 in Osh. She can be called only in the evening (17–21).
    let evening = she_requests(&h, 631, &RU, "Вечером (17:00–21:00)").await;
    let aigul = h.user(900);
    assert_eq!(
        aigul.say("/next").await.text,
        "Ждут: 1, но сейчас не их время для звонка. Посмотрите позже: /queue"
    );
    let queue = aigul.say("/queue").await;
    assert!(
        queue.text.contains("Ждут своего времени для звонка: 1."),
        "{}",
        queue.text
    );
    // Two afternoon requests: a Russian one first, then a Kyrgyz one.
    let russian = she_requests(&h, 632, &RU, "Днём (12:00–17:00)").await;
    let kyrgyz = she_requests(&h, 633, &KY, "Түштөн кийин (12:00–17:00)").await;
    let bolot = h.user(902);
    let card = bolot.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Өтүнүч {kyrgyz}")),
        "a Kyrgyz speaker gets the Kyrgyz request first: {}",
        card.text
    );
    assert!(card.text.contains("Анын тили: Кыргызча"), "{}", card.text);
    assert!(card.text.contains("Азыр анын убактысы."), "{}", card.text);
    let card = aigul.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Заявка {russian}")),
        "{}",
        card.text
    );
    assert!(card.text.contains("Её язык: Русский"), "{}", card.text);
    // At 17:00 in Osh her evening begins.
    h.clock.advance(chrono::Duration::hours(2));
    let card = aigul.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Заявка {evening}")),
        "{}",
        card.text
    );
    assert!(card.text.contains("Сейчас её время."), "{}", card.text);
}

#[tokio::test]
async fn a_child_at_risk_reaches_every_supervisor_with_the_centers_procedure() {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![named(900, "aigul", "Айгүл"), supervisor(901, "nurzat")];
            c.center
                .child_protection
                .insert("ru".into(), "позвонить в ОПДС, затем директору".into());
        },
        None,
    )
    .await;
    let code = she_requests(&h, 641, &RU, "Днём (12:00–17:00)").await;
    let (aigul, nurzat) = (h.user(900), h.user(901));
    aigul.say("/next").await;
    aigul.tap("Готово: поговорили").await;
    // The flags are on the form's second page.
    aigul.tap("Отметки и о ней →").await;
    let form = aigul.tap("Ребёнок в опасности").await;
    assert!(
        form.text
            .contains("Ребёнок в опасности — порядок центра: позвонить в ОПДС, затем директору"),
        "{}",
        form.text
    );
    aigul.tap("Высокий риск").await;
    let closed = aigul.tap("Сохранить и закрыть").await;
    assert_eq!(closed.text, format!("Заявка {code} закрыта. Спасибо."));
    // A hard case: one private line of care, naming the supervisor.
    let care = aigul.next_reply().await;
    assert!(
        care.text.starts_with("Это был тяжёлый случай.")
            && care.text.contains("поговорите с руководителем ("),
        "{}",
        care.text
    );
    let told = nurzat.next_reply().await;
    assert_eq!(
        told.text,
        format!(
            "Заявка {code}: Айгүл отметил(а) «ребёнок в опасности». \
             Порядок центра: позвонить в ОПДС, затем директору"
        )
    );
    // High risk too: the supervisors hear of it privately.
    let told = nurzat.next_reply().await;
    assert_eq!(
        told.text,
        format!(
            "Заявка {code}: Айгүл отметил(а) «высокий риск». \
             Свяжитесь с этим сотрудником, чтобы решить, что делать дальше."
        )
    );
}

#[tokio::test]
async fn a_silent_contact_is_counted_as_such_and_with_no_help() {
    let mut h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    she_requests(&h, 642, &RU, "Днём (12:00–17:00)").await;
    let aigul = h.user(900);
    aigul.say("/next").await;
    let form = aigul.tap("Готово: поговорили").await;
    assert!(form.text.contains("Помощь центра: "), "{}", form.text);
    // Nobody spoke: help and referrals are not asked for.
    let silent = aigul.tap("Не сказала ни слова").await;
    assert!(
        silent.text.contains("Разговор: Не сказала ни слова")
            && !silent.text.contains("Помощь центра"),
        "{}",
        silent.text
    );
    aigul.tap("Сохранить и закрыть").await;
    h.stop().await;
    let store = h.open_store();
    assert_eq!(store.counter("stats/2026-04/outcome/silent").unwrap(), 1);
    assert_eq!(store.counter("stats/2026-04/outcome/helped").unwrap(), 0);
    for help in [
        "information",
        "psychological",
        "legal",
        "documents",
        "shelter",
    ] {
        let counter = format!("stats/2026-04/help/{help}");
        assert_eq!(store.counter(counter.as_str()).unwrap(), 0, "{counter}");
    }
}

#[tokio::test]
async fn only_a_supervisor_releases_anyones_claim_and_reopens_a_mistaken_close() {
    let h = Harness::start_with(
        |c| {
            c.staff = vec![
                named(900, "aigul", "Айгүл"),
                supervisor(901, "nurzat"),
                staff(902, "bolot"),
            ];
        },
        None,
    )
    .await;
    let code = she_requests(&h, 651, &RU, "Днём (12:00–17:00)").await;
    let (aigul, nurzat, bolot) = (h.user(900), h.user(901), h.user(902));
    let card = aigul.say("/next").await;
    let claims = nurzat.say("/claims").await;
    assert_eq!(
        claims.labels(),
        [
            format!("Вернуть {code} в очередь"),
            format!("Заблокировать отправителя {code}")
        ]
    );
    let release = claims.buttons[0][0].1.clone();
    let block = claims.buttons[0][1].1.clone();
    // The same buttons, replayed by a staff member who is not a supervisor.
    let help = bolot.say("/help").await;
    for data in [&release, &block] {
        bolot.press_data(claims.message_id, data);
        assert_eq!(bolot.next_reply().await.text, help.text);
    }
    assert_eq!(
        bolot.say(&format!("/reopen {code}")).await.text,
        "Эта команда — только для руководителей. Все ваши команды: /help"
    );
    assert_eq!(
        aigul.say("/mine").await.text,
        format!("Ваши заявки: {code}")
    );
    // The supervisor presses it: the holder is told, the card goes.
    let released = nurzat.tap(&format!("Вернуть {code} в очередь")).await;
    assert_eq!(
        released.text,
        format!("Заявка {code} снова в очереди, на своём месте.")
    );
    assert_eq!(
        aigul.next_reply().await.text,
        format!(
            "Руководитель вернул заявку {code} в очередь. Не связывайтесь с ней по этой заявке. \
             Карточку бот удалил."
        )
    );
    assert!(
        wait_until(|| h
            .api
            .chat(900)
            .iter()
            .any(|m| m.id == card.message_id && m.deleted))
        .await
    );
    // Closed by mistake, reopened: back in the queue, and her screen says so.
    bolot.say("/next").await;
    bolot.tap("Готово: поговорили").await;
    bolot.tap("Сохранить и закрыть").await;
    assert_eq!(bolot.say("/next").await.text, "Сейчас никто не ждёт.");
    let reopened = nurzat
        .say(&format!("/reopen {}", code.to_lowercase()))
        .await;
    assert_eq!(
        reopened.text,
        format!("Заявка {code} снова в очереди, на своём месте. Её итог убран из чисел за месяц.")
    );
    let her = h.user(651);
    her.say("/menu").await;
    let mine = her.tap("Моя заявка").await;
    assert!(mine.text.contains("Вы первая в очереди."), "{}", mine.text);
    assert_eq!(
        nurzat.say("/reopen K7QX").await.text,
        "Заявку K7QX нельзя открыть заново: её нет, она не закрыта, её отменила она сама, или прошёл срок хранения."
    );
    // Past the grace period (7 days) a close stays a close.
    bolot.say("/next").await;
    bolot.tap("Готово: поговорили").await;
    bolot.tap("Сохранить и закрыть").await;
    h.clock.advance(chrono::Duration::days(8));
    assert!(nurzat
        .say(&format!("/reopen {code}"))
        .await
        .text
        .starts_with(&format!("Заявку {code} нельзя открыть заново")));
}

#[tokio::test]
async fn a_blocked_sender_queues_nothing_even_after_erase_but_keeps_the_danger_screen() {
    let h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    let code = she_requests(&h, 661, &RU, "Днём (12:00–17:00)").await;
    let aigul = h.user(900);
    aigul.say("/next").await;
    aigul.tap("Заблокировать отправителя").await;
    let blocked = aigul.tap("На сутки").await;
    assert!(
        blocked
            .text
            .starts_with(&format!("Отправитель заявки {code} заблокирован: 1 день.")),
        "{}",
        blocked.text
    );
    aigul.tap("← Назад к карточке").await;
    aigul.tap("Готово: поговорили").await;
    aigul.tap("Сохранить и закрыть").await;
    // She tries again: nothing is queued, and she is told plainly where to call.
    let her = h.user(661);
    let refused = ask_again(&her).await;
    assert!(
        refused
            .text
            .contains("Сейчас отправить заявку через бот нельзя"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("102"));
    assert_eq!(aigul.say("/next").await.text, "Сейчас никто не ждёт.");
    // The danger screen still answers.
    her.say("/menu").await;
    let danger = her.tap("Нужна помощь сейчас").await;
    assert!(danger.text.contains("112"), "{}", danger.text);
    // Erasing the chat does not lift the block.
    her.say("/menu").await;
    her.tap("Удалить этот чат").await;
    her.tap("Удалить").await;
    let her = at_menu(&h, 661, "Русский").await;
    let refused = ask_again(&her).await;
    assert!(refused
        .text
        .contains("Сейчас отправить заявку через бот нельзя"));
    // A day later it has ended.
    h.clock.advance(chrono::Duration::hours(25));
    let sent = ask_again(&her).await;
    assert!(
        sent.text.starts_with("Спасибо, мы получили вашу заявку."),
        "{}",
        sent.text
    );
}

/// From the menu: a request again, as quickly as the wizard allows.
async fn ask_again(her: &fake_bot_api::FakeUser) -> fake_bot_api::BotMessage {
    her.say("/menu").await;
    for label in [RU.callback, RU.topic, RU.urgency, RU.call] {
        her.tap(label).await;
    }
    her.say("0700 123 456").await;
    her.tap("Днём (12:00–17:00)").await;
    her.tap(RU.if_other).await;
    her.tap(RU.skip).await;
    her.tap(RU.skip).await;
    her.tap(RU.send).await
}
