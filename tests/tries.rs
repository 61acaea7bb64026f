//! Calls that did not reach her, through Telegram: after *someone else
//! answered* or *call dropped* the request waits before anyone is offered it
//! again, the card lists every try, and no closed-notice knocks in a chat whose
//! phone a man may hold.

mod common;

use common::{at_menu, code_in, sent_to, she_asks, staff, supervisor, wait_until, Harness};

/// aigul and nurzat, and gulnara, a supervisor; nurzat is on call.
async fn with_a_supervisor(edit: impl FnOnce(&mut ak_jurok::config::Config)) -> Harness {
    Harness::start_with(
        |c| {
            let mut nurzat = staff(901, "nurzat");
            nurzat.on_call = true;
            c.staff = vec![staff(900, "aigul"), nurzat, supervisor(902, "gulnara")];
            edit(c);
        },
        None,
    )
    .await
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

/// `who` takes request `code` and records a call that did not reach her.
async fn tried(h: &Harness, who: u64, code: &str, result: &str) -> String {
    let staff = h.user(who);
    let card = staff.say(&format!("/take {code}")).await;
    assert!(
        card.text.contains(&format!("Заявка {code}")),
        "{}",
        card.text
    );
    staff.tap("Не получилось поговорить").await;
    staff.tap(result).await.text
}

fn said(h: &Harness, chat: i64, what: &str) -> bool {
    sent_to(h, chat)
        .iter()
        .any(|m| m["text"].as_str().unwrap().contains(what))
}

#[tokio::test]
async fn after_someone_else_answered_nobody_is_offered_her_request_before_her_window_on_a_later_day(
) {
    let h = with_a_supervisor(|_| {}).await;
    // Afternoon (12–17 in Osh); it is 15:00 on 6 April.
    let code = she_asks(&h, 701).await;
    let recorded = tried(&h, 900, &code, "Ответил другой человек").await;
    // Another specialist a minute later: not offered, not by code either.
    h.clock.advance(chrono::Duration::minutes(1));
    let nurzat = h.user(901);
    let next = nurzat.say("/next").await;
    assert!(
        next.text.starts_with("Ждут: 1, но сейчас не их время"),
        "{}",
        next.text
    );
    assert!(
        recorded.contains("Бот не предложит её снова до 07.04 12:00."),
        "{recorded}"
    );
    let take = nurzat.say(&format!("/take {code}")).await;
    assert_eq!(
        take.text,
        format!(
            "Заявку {code} пока нельзя взять. Последняя попытка: 15:00, aigul — Ответил другой человек. \
             Её снова предложат с 07.04 12:00; раньше — только если разрешит руководитель."
        )
    );
    let queue = nurzat.say("/queue").await;
    assert!(
        queue.text.contains("Ждут своего времени для звонка: 1."),
        "{}",
        queue.text
    );
    // Not a danger-now request: the supervisor is not alerted.
    assert!(!said(&h, 902, &code));
    // The next morning, before her window: still not.
    h.clock.advance(chrono::Duration::hours(20));
    assert!(nurzat.say("/next").await.text.starts_with("Ждут: 1"));
    // Her window on the next day: offered, and the card says first who answered.
    h.clock.advance(chrono::Duration::hours(1));
    let card = nurzat.say("/next").await;
    assert!(
        card.text.starts_with(
            "⚠ На прошлый звонок ответил другой человек: 06.04 15:00 (aigul).\n\nЗаявка"
        ),
        "{}",
        card.text
    );
    assert!(
        card.text
            .contains("— 06.04 15:00, aigul: Ответил другой человек"),
        "{}",
        card.text
    );
}

#[tokio::test]
async fn after_someone_else_answered_in_danger_now_the_supervisors_know_at_once_and_may_offer_it_sooner(
) {
    let h = with_a_supervisor(|_| {}).await;
    let code = she_is_in_danger(&h, 702).await;
    assert!(wait_until(|| said(&h, 901, &format!("Срочно: заявка {code}"))).await);
    let recorded = tried(&h, 900, &code, "Ответил другой человек").await;
    let nurzat = h.user(901);
    assert!(nurzat.say("/next").await.text.starts_with("Ждут: 1"));
    assert!(
        recorded.contains("Бот не предложит её снова до 17:00."),
        "{recorded}"
    );
    let alert = format!(
        "Срочная заявка {code}: на звонок ответил другой человек (15:00, aigul). \
         Бот не предложит её снова до 17:00."
    );
    assert!(
        wait_until(|| said(&h, 902, &alert)).await,
        "the supervisor is told"
    );
    // Nobody is alerted that it still waits.
    h.clock.advance(chrono::Duration::minutes(21));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!said(&h, 901, &format!("Срочная заявка {code} ждёт")));
    // The supervisor lets it be offered again: whoever is on call is alerted.
    let gulnara = h.user(902);
    let message = h
        .api
        .chat(902)
        .into_iter()
        .rfind(|m| m.text.as_deref().is_some_and(|t| t.starts_with(&alert)))
        .unwrap();
    let (label, data) = message.buttons()[0][0].clone();
    assert_eq!(label, "Предложить снова сейчас");
    let message_id = message.id;
    // Pressed by someone who is not a supervisor: nothing.
    let aigul = h.user(900);
    aigul.skip_replies();
    aigul.press_data(message_id, &data);
    assert!(aigul
        .next_reply()
        .await
        .text
        .starts_with("Команды для специалистов"));
    assert!(h.user(901).say("/next").await.text.starts_with("Ждут: 1"));
    gulnara.skip_replies();
    gulnara.press_data(message_id, &data);
    let again = gulnara.next_reply().await;
    assert_eq!(
        again.text,
        format!("Заявку {code} снова можно взять: /take {code}")
    );
    let alerts = || {
        sent_to(&h, 901)
            .iter()
            .filter(|m| {
                m["text"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("Срочно: заявка {code}"))
            })
            .count()
    };
    assert!(wait_until(|| alerts() == 2).await);
    nurzat.skip_replies();
    let card = nurzat.say("/next").await;
    assert!(
        card.text
            .starts_with("⚠ На прошлый звонок ответил другой человек: 15:00 (aigul)."),
        "{}",
        card.text
    );
    // Two hours after the call nobody took it: whoever is on call hears of it.
    nurzat.tap("Вернуть в очередь").await;
    h.clock.advance(chrono::Duration::minutes(100));
    assert!(
        wait_until(|| said(&h, 901, &format!("Срочная заявка {code} ждёт уже 120 мин"))).await,
        "alerted when it may be called again"
    );
    // (The supervisor heard of it too, privately.)
    assert!(
        wait_until(|| said(
            &h,
            902,
            &format!("Срочная заявка {code} ждёт уже 120 мин, её никто не взял")
        ))
        .await
    );
    gulnara.skip_replies();
    // The button again does nothing more.
    gulnara.press_data(message_id, &data);
    let twice = gulnara.next_reply().await;
    assert!(
        twice.text.starts_with("Эта заявка уже не на паузе"),
        "{}",
        twice.text
    );
}

#[tokio::test]
async fn after_a_dropped_call_the_request_comes_back_after_half_an_hour_in_her_window() {
    let h = with_a_supervisor(|_| {}).await;
    let code = she_asks(&h, 703).await;
    let recorded = tried(&h, 900, &code, "Звонок прервался").await;
    let nurzat = h.user(901);
    h.clock.advance(chrono::Duration::minutes(29));
    let next = nurzat.say("/next").await;
    assert!(next.text.starts_with("Ждут: 1"), "{}", next.text);
    assert!(
        recorded.contains("Бот не предложит её снова до 15:30."),
        "{recorded}"
    );
    h.clock.advance(chrono::Duration::minutes(2));
    let card = nurzat.say("/next").await;
    assert!(
        card.text.starts_with(&format!("Заявка {code}")),
        "{}",
        card.text
    );
    assert!(
        card.text.contains("— 15:00, aigul: Звонок прервался"),
        "{}",
        card.text
    );
    // No answer: back in its place at once, as always.
    nurzat.tap("Не получилось поговорить").await;
    nurzat.tap("Не ответили").await;
    let again = h.user(900).say("/next").await;
    assert!(
        again.text.starts_with(&format!("Заявка {code}")),
        "{}",
        again.text
    );
    assert!(
        again.text.contains("— 15:31, nurzat: Не ответили"),
        "{}",
        again.text
    );
}

/// She asks to be written to here, in the afternoon (open at 15:00 in Osh).
async fn she_asks_to_be_written_to(h: &Harness, id: u64) -> String {
    common::she_asks_to_be_written_to(h, id, "Днём (12:00–17:00)").await
}

fn knocked(h: &Harness, chat: i64) -> usize {
    common::knocks(h, chat).len()
}

#[tokio::test]
async fn no_closed_notice_knocks_after_could_not_reach_or_once_someone_else_answered() {
    let h = with_a_supervisor(|c| c.tell_her_when_closed = true).await;
    // Three tries over two days close it as could not reach: no knock.
    let unreachable = she_asks_to_be_written_to(&h, 704).await;
    for day in 0..3 {
        h.clock.advance(chrono::Duration::days(i64::from(day > 0)));
        let recorded = tried(&h, 900, &unreachable, "Не ответили").await;
        assert!(
            recorded.starts_with(if day < 2 {
                "Попытка"
            } else {
                "Третья попытка"
            }),
            "{recorded}"
        );
    }
    // Someone else answered once; later a specialist talks with her and closes it.
    let answered = she_asks_to_be_written_to(&h, 705).await;
    tried(&h, 900, &answered, "Ответил другой человек").await;
    h.clock.advance(chrono::Duration::days(1));
    let card = h.user(901).say(&format!("/take {answered}")).await;
    assert!(card.text.starts_with("⚠"), "{}", card.text);
    h.user(901).tap("Готово: поговорили").await;
    h.user(901).tap("Сохранить и закрыть").await;
    // A request closed without either: the knock still comes (as configured).
    let closed = she_asks_to_be_written_to(&h, 706).await;
    h.user(900).say(&format!("/take {closed}")).await;
    h.user(900).tap("Готово: поговорили").await;
    h.user(900).tap("Сохранить и закрыть").await;
    assert!(wait_until(|| knocked(&h, 706) == 1).await);
    assert_eq!(knocked(&h, 704), 0, "after could not reach");
    assert_eq!(knocked(&h, 705), 0, "after someone else answered");
}
