//! Whole journeys through the real dispatcher and the fake Bot API.

mod common;

use std::sync::Arc;

use ak_jurok::conversation::Input;
use common::{at_menu, Fault, Harness};
use serde_json::json;

const EMERGENCY: [&str; 3] = ["102", "103", "112"];

#[tokio::test]
async fn first_contact_is_bilingual_with_emergency_numbers() {
    let h = Harness::start().await;
    let user = h.user(101);
    let first = user.say("салам").await;
    assert!(
        first.text.contains("Азыр коркунучта болсоңуз"),
        "{}",
        first.text
    );
    assert!(
        first.text.contains("Если вам сейчас угрожает опасность"),
        "{}",
        first.text
    );
    assert!(
        first.text.contains("Ҳозир хавф остида бўлсангиз"),
        "{}",
        first.text
    );
    for number in EMERGENCY {
        assert_eq!(
            first.text.matches(number).count(),
            3,
            "{number} in each language"
        );
    }
    // Short, though in three languages: two lines each.
    let lines = first.text.lines().filter(|l| !l.is_empty()).count();
    assert!(lines <= 9, "{}", first.text);
    assert_eq!(
        first.labels(),
        [
            "Азыр жардам керек / Нужна помощь сейчас / Ҳозир ёрдам керак",
            "✓ Кыргызча",
            "Русский",
            "Ўзбекча",
            "Жашыруу / Скрыть / Яшириш"
        ]
    );
}

#[tokio::test]
async fn first_contact_in_kyrgyz_leads_to_welcome_and_menu() {
    let h = Harness::start().await;
    let user = h.user(102);
    user.say("/start").await;
    let welcome = user.tap("✓ Кыргызча").await;
    assert_eq!(welcome.method, "editMessageText");
    assert!(welcome.text.contains("«Ак-Жүрөк»"), "{}", welcome.text);
    assert!(
        welcome.text.contains("сактабайт"),
        "what is not stored: {}",
        welcome.text
    );
    assert!(welcome.text.contains("6 сааттан"), "{}", welcome.text);
    let menu = user.tap("Менюга өтүү").await;
    assert!(menu.text.starts_with("Башкы меню"), "{}", menu.text);
    assert_eq!(
        menu.labels(),
        [
            "Азыр жардам керек",
            "Жардам алуу",
            "Баш калкалоочу жай (шелтер)",
            "COVID-19: гигиена",
            "Мени менен байланышыңыз",
            "Менин өтүнүчүм",
            "Тил · Язык",
            "Бул чатты жок кылуу",
            "Жашыруу"
        ]
    );
}

#[tokio::test]
async fn first_contact_in_russian_leads_to_welcome_and_menu() {
    let h = Harness::start().await;
    let user = h.user(103);
    user.send_sticker();
    user.next_reply().await;
    let welcome = user.tap("Русский").await;
    assert!(welcome.text.contains("«Ак-Журок»"), "{}", welcome.text);
    assert!(welcome.text.contains("через 6 часов"), "{}", welcome.text);
    let menu = user.tap("Перейти в меню").await;
    assert!(menu.text.starts_with("Главное меню"), "{}", menu.text);
    assert!(menu
        .labels()
        .contains(&"Попросить связаться со мной".to_string()));
}

#[tokio::test]
async fn telegram_language_is_preselected_and_unknown_ones_fall_back() {
    let h = Harness::start().await;
    let russian = h.user(104).language("ru-RU");
    russian.send_text("/start");
    assert_eq!(
        russian.next_reply().await.labels()[1..3],
        ["Кыргызча", "✓ Русский"]
    );
    let danger = russian
        .tap("Азыр жардам керек / Нужна помощь сейчас / Ҳозир ёрдам керак")
        .await;
    assert!(
        danger
            .text
            .starts_with("Если вам угрожает опасность прямо сейчас"),
        "{}",
        danger.text
    );

    let english = h.user(105).language("en");
    english.send_text("hi");
    assert_eq!(
        english.next_reply().await.labels()[1..3],
        ["✓ Кыргызча", "Русский"]
    );
}

#[tokio::test]
async fn language_can_be_switched_by_command_and_from_the_menu() {
    let h = Harness::start().await;
    let user = at_menu(&h, 106, "Кыргызча").await;
    let choose = user.say("/language").await;
    assert_eq!(
        choose.labels(),
        ["✓ Кыргызча", "Русский", "Ўзбекча", "Артка", "Жашыруу"]
    );
    let menu = user.tap("Русский").await;
    assert!(menu.text.starts_with("Язык изменён."), "{}", menu.text);
    user.press("Язык · Тил");
    assert_eq!(
        user.next_reply().await.labels(),
        ["Кыргызча", "✓ Русский", "Ўзбекча", "Назад", "Скрыть"]
    );
    user.press("Кыргызча");
    assert!(user.next_reply().await.text.starts_with("Тил өзгөртүлдү."));
}

#[tokio::test]
async fn danger_screen_shows_numbers_and_the_configured_center() {
    let h = Harness::start_with(
        |c| {
            c.center.phones = vec!["+996 3222 5-55-55".into()];
            c.center
                .hours
                .insert("ru".into(), "пн–пт, 9:00–18:00".into());
        },
        None,
    )
    .await;
    let user = at_menu(&h, 107, "Русский").await;
    let danger = user.tap("Нужна помощь сейчас").await;
    for number in EMERGENCY {
        assert!(danger.text.contains(number));
    }
    assert!(
        danger
            .text
            .contains("Телефон центра «Ак-Журок»: +996 3222 5-55-55"),
        "{}",
        danger.text
    );
    assert!(danger.text.contains("Часы работы: пн–пт, 9:00–18:00"));
    assert_eq!(
        danger.labels(),
        ["Срочно: связаться со мной", "Главное меню", "Скрыть"]
    );
}

#[tokio::test]
async fn no_center_phone_is_shown_when_none_is_configured() {
    let h = Harness::start().await;
    let user = at_menu(&h, 108, "Русский").await;
    let danger = user.tap("Нужна помощь сейчас").await;
    assert!(!danger.text.contains("Телефон центра"), "{}", danger.text);
    let digits: String = danger.text.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits, "102103112", "only the public numbers");
}

/// Walks every help topic, the safety plan, the shelter and all COVID pages.
async fn walk_every_screen(user: &common::FakeUser, words: &Words) {
    let topics = user.tap(words.get_help).await;
    assert!(
        topics.text.starts_with(words.topics_title),
        "{}",
        topics.text
    );
    let labels = topics.labels();
    assert_eq!(labels.len(), 8, "{labels:?}");
    for (label, opening) in words.topics {
        let screen = user.tap(label).await;
        assert_eq!(screen.method, "editMessageText");
        assert!(screen.text.starts_with(opening), "{label}: {}", screen.text);
        let buttons = screen.labels();
        assert_eq!(buttons[0], words.request_topic, "{label}");
        let back = user
            .tap(
                buttons
                    .iter()
                    .find(|b| *b == words.back || *b == words.menu)
                    .unwrap(),
            )
            .await;
        if !back.text.starts_with(words.topics_title) {
            user.tap(words.get_help).await;
        }
    }
    user.tap(words.menu).await;
    user.press(words.covid);
    let mut message_id = None;
    for page in 1..=6 {
        let screen = user.next_reply().await;
        assert!(
            screen
                .text
                .starts_with(&format!("COVID-19: гигиена · {page}/6")),
            "{}",
            screen.text
        );
        assert_eq!(
            *message_id.get_or_insert(screen.message_id),
            screen.message_id,
            "same message"
        );
        if page < 6 {
            user.press(words.next);
        }
    }
    user.press(words.back);
    assert!(user.next_reply().await.text.contains("5/6"));
    user.press(words.menu);
    assert!(user.next_reply().await.text.starts_with(words.menu_title));
}

struct Words {
    get_help: &'static str,
    topics_title: &'static str,
    topics: [(&'static str, &'static str); 6],
    request_topic: &'static str,
    back: &'static str,
    menu: &'static str,
    menu_title: &'static str,
    covid: &'static str,
    next: &'static str,
}

#[tokio::test]
async fn every_screen_can_be_walked_in_russian() {
    let h = Harness::start().await;
    let user = at_menu(&h, 120, "Русский").await;
    let words = Words {
        get_help: "Получить помощь",
        topics_title: "С чем вам нужна помощь?",
        topics: [
            ("Юридическая помощь", "Юридическая помощь\nЮрист центра"),
            ("Документы и пособия", "Документы и пособия\n"),
            ("Психолог", "Психолог\nПсихолог центра"),
            (
                "Социальная и моральная поддержка",
                "Социальная и моральная поддержка\n",
            ),
            (
                "Убежище (шелтер)",
                "Убежище (шелтер)\nЕсли вам и детям некуда идти",
            ),
            ("План безопасности", "План безопасности\n"),
        ],
        request_topic: "Попросить связаться по этой теме",
        back: "Назад",
        menu: "Главное меню",
        menu_title: "Главное меню",
        covid: "COVID-19: гигиена",
        next: "Дальше →",
    };
    // The safety plan has no request button: it is checked on its own below.
    let mut with_requests = words;
    with_requests.topics[5] = with_requests.topics[4];
    walk_every_screen(&user, &with_requests).await;
    user.tap("Получить помощь").await;
    let plan = user.tap("План безопасности").await;
    for thing in [
        "паспорт",
        "денег",
        "зарядку",
        "лекарства",
        "для детей",
        "номера людей",
        "Даже если ничего из этого нет",
    ] {
        assert!(plan.text.contains(thing), "{thing}: {}", plan.text);
    }
}

#[tokio::test]
async fn every_screen_can_be_walked_in_kyrgyz() {
    let h = Harness::start().await;
    let user = at_menu(&h, 121, "Кыргызча").await;
    let words = Words {
        get_help: "Жардам алуу",
        topics_title: "Кандай жардам керек?",
        topics: [
            ("Юридикалык жардам", "Юридикалык жардам\nБорбордун юристи"),
            (
                "Документтер жана жөлөкпулдар",
                "Документтер жана жөлөкпулдар\n",
            ),
            ("Психолог", "Психолог\nБорбордун психологу"),
            (
                "Социалдык жана моралдык колдоо",
                "Социалдык жана моралдык колдоо\n",
            ),
            (
                "Баш калкалоочу жай (шелтер)",
                "Баш калкалоочу жай (шелтер)\n",
            ),
            (
                "Баш калкалоочу жай (шелтер)",
                "Баш калкалоочу жай (шелтер)\n",
            ),
        ],
        request_topic: "Ушул тема боюнча байланышыңыз",
        back: "Артка",
        menu: "Башкы меню",
        menu_title: "Башкы меню",
        covid: "COVID-19: гигиена",
        next: "Кийинки →",
    };
    walk_every_screen(&user, &words).await;
    user.tap("Жардам алуу").await;
    let plan = user.tap("Коопсуздук планы").await;
    assert!(plan.text.starts_with("Коопсуздук планы"), "{}", plan.text);
    assert!(plan
        .text
        .contains("Булар жок болсо да, борборго келе бериңиз"));
}

#[tokio::test]
async fn shelter_shows_the_stored_state_until_it_is_a_day_old() {
    use ak_jurok::clock::Clock;
    use ak_jurok::crypto::Keys;
    use ak_jurok::domain::shelter::ShelterState;
    use ak_jurok::store::Store;

    let mut h = Harness::prepare(|_| {}, None).await;
    {
        h.config.ensure_data_dir().unwrap();
        let keys = Arc::new(Keys::load_or_create(&h.config.key_file()).unwrap());
        let store = Store::open(&h.config.data_dir, &h.config.keyring_file(), 1, keys).unwrap();
        store
            .set_shelter(
                ShelterState::Full,
                h.clock.now() - chrono::Duration::hours(2),
            )
            .unwrap();
    }
    h.launch();
    let user = at_menu(&h, 122, "Русский").await;
    let shelter = user.tap("Убежище (шелтер)").await;
    assert!(
        shelter
            .text
            .contains("Сейчас мест нет. Оставьте заявку — специалист подскажет"),
        "{}",
        shelter.text
    );
    assert!(shelter.text.contains("12–18 дней"));
    assert!(shelter
        .text
        .contains("Центр пишет вам только через этого бота."));
    h.clock.advance(chrono::Duration::hours(23));
    user.say("/menu").await;
    let stale = user.tap("Убежище (шелтер)").await;
    assert!(
        stale
            .text
            .contains("оставьте заявку: специалист вам ответит"),
        "{}",
        stale.text
    );
    assert!(!stale.text.contains("мест нет"));
}

#[tokio::test]
async fn configured_center_details_appear_and_nothing_else() {
    let h = Harness::start_with(
        |c| {
            c.center.call_from = vec!["+996 3222 7-00-01".into()];
            c.center
                .working_hours
                .insert("ky".into(), "дүйшөмбү–жума, 9:00–17:00".into());
        },
        None,
    )
    .await;
    let user = at_menu(&h, 123, "Кыргызча").await;
    user.tap("Жардам алуу").await;
    let legal = user.tap("Юридикалык жардам").await;
    assert!(
        legal.text.contains("Борбор сизге ушул бот аркылуу гана жазат, ал эми ушул номерлерден гана чалат: +996 3222 7-00-01."),
        "{}",
        legal.text
    );
    assert!(legal
        .text
        .contains("Адистер байланышта: дүйшөмбү–жума, 9:00–17:00"));
    assert!(
        !legal.text.contains("телефону:"),
        "no center phone was configured"
    );
}

#[tokio::test]
async fn restart_mid_dialogue_resumes_where_she_was() {
    let mut h = Harness::start().await;
    let user = at_menu(&h, 110, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    h.restart().await;
    user.send_photo();
    let reply = user.next_reply().await;
    assert!(
        reply.text.starts_with("Бот отвечает только на кнопки"),
        "{}",
        reply.text
    );
    assert!(
        reply
            .text
            .contains("Если вам угрожает опасность прямо сейчас"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn panic_in_a_handler_is_answered_and_the_chat_keeps_working() {
    let panic_on: common::PanicOn = Arc::new(|input| match input {
        Input::Text(t) if t == "boom" => Some(format!("injected: {t}")),
        _ => None,
    });
    let h = Harness::start_with(
        |c| c.center.phones = vec!["+996 3222 5-55-55".into()],
        Some(panic_on),
    )
    .await;
    let user = at_menu(&h, 111, "Русский").await;
    let boom = user.send_text("boom");
    let apology = user.next_reply().await;
    assert!(
        apology.text.starts_with("Извините, что-то пошло не так"),
        "{}",
        apology.text
    );
    // With a woman in danger this may be the only screen she sees: the numbers.
    for number in ["102", "103", "112", "+996 3222 5-55-55"] {
        assert!(apology.text.contains(number), "{number}: {}", apology.text);
    }
    assert!(apology
        .labels()
        .contains(&"Нужна помощь сейчас".to_string()));
    // What she sent is off her screen even though handling it failed.
    assert!(
        h.api
            .wait_for(|calls| calls
                .iter()
                .any(|c| c.method == "deleteMessage" && c.body["message_id"] == boom))
            .await
    );
    // The same chat is served again, twice, so its worker is alive.
    user.send_text("boom");
    assert!(user.next_reply().await.text.starts_with("Извините"));
    user.press("Нужна помощь сейчас");
    assert!(user.next_reply().await.text.contains("102"));
    // The apologies were tracked: Hide removes them with the rest.
    user.tap("Скрыть").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let apologies_left = || {
        h.api
            .chat(111)
            .into_iter()
            .filter(|m| !m.deleted && m.text.as_deref().is_some_and(|t| t.starts_with("Извините")))
            .count()
    };
    while apologies_left() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(apologies_left(), 0);
}

#[tokio::test]
async fn unexpected_inputs_get_a_short_answer_and_the_screen() {
    let h = Harness::start().await;
    let user = at_menu(&h, 112, "Кыргызча").await;
    for send in [
        Box::new(|u: &common::FakeUser| u.send_sticker()) as Box<dyn Fn(&common::FakeUser) -> i64>,
        Box::new(|u| u.send_photo()),
        Box::new(|u| u.send_voice()),
        Box::new(|u| u.send_location()),
        Box::new(|u| u.send_document()),
        Box::new(|u| u.send_contact("+996700123456", Some(112))),
    ] {
        send(&user);
        let reply = user.next_reply().await;
        assert!(
            reply
                .text
                .starts_with("Бот баскычтарга жана буйруктарга гана"),
            "{}",
            reply.text
        );
        assert!(reply.text.contains("Башкы меню"));
        assert_eq!(reply.labels().len(), 9);
    }
    let reply = user.say(&"ы".repeat(10_000)).await;
    assert!(
        reply
            .text
            .starts_with("Бот бул жерде билдирүүлөрдү окубайт"),
        "{}",
        reply.text
    );
    user.send_text("/next");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Мындай буйрук жок"));
    let help = user.say("/help").await;
    assert!(help.text.contains("/language"), "{}", help.text);
}

/// Everything she sends leaves her screen at once — a photo or a voice note
/// is often the disclosure itself — and the answer says the bot removed it.
#[tokio::test]
async fn whatever_she_sends_leaves_her_screen_and_the_answer_says_so() {
    let h = Harness::start().await;
    let user = at_menu(&h, 113, "Русский").await;
    let gone = |id: i64| h.api.chat(113).iter().any(|m| m.id == id && m.deleted);
    for send in [
        Box::new(|u: &common::FakeUser| u.send_sticker()) as Box<dyn Fn(&common::FakeUser) -> i64>,
        Box::new(|u| u.send_photo()),
        Box::new(|u| u.send_voice()),
        Box::new(|u| u.send_document()),
        Box::new(|u| {
            u.send(json!({ "video": { "file_id": "v", "file_unique_id": "v", "width": 1, "height": 1, "duration": 1 } }))
        }),
    ] {
        let sent = send(&user);
        let reply = user.next_reply().await;
        assert!(
            reply.text.contains("сразу удаляет из чата"),
            "{}",
            reply.text
        );
        assert!(common::wait_until(|| gone(sent)).await, "{}", reply.text);
    }
    // Her commands too.
    for command in ["/menu", "/help", "/language", "/start", "/nonsense"] {
        let sent = user.send_text(command);
        user.next_reply().await;
        assert!(common::wait_until(|| gone(sent)).await, "{command}");
    }
}

#[tokio::test]
async fn forged_and_old_buttons_are_answered() {
    let h = Harness::start().await;
    let user = h.user(113).language("ru");
    let first = user.say("/start").await;
    user.tap("✓ Русский").await;
    user.tap("Перейти в меню").await;
    // Forged data on the menu message.
    let menu_id = h
        .api
        .chat(113)
        .iter()
        .rev()
        .find(|m| m.from_bot)
        .unwrap()
        .id;
    user.press_data(menu_id, "1:l:../../etc/passwd");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Эта кнопка устарела"));
    user.press_data(menu_id, "x".repeat(64).as_str());
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Эта кнопка устарела"));
    // An old button still does what its label says.
    let (_, danger_data) = first.buttons[0][0].clone();
    user.press_data(first.message_id, &danger_data);
    assert!(user.next_reply().await.text.contains("102"));
    // Every press was acknowledged, so no spinner is left on her screen.
    let presses = h.api.calls_of("answerCallbackQuery").len();
    assert!(presses >= 5, "{presses}");
}

#[tokio::test]
async fn the_bot_leaves_groups_except_the_staff_chat() {
    let h = Harness::start_with(|c| c.staff_chat = Some(-100777), None).await;
    h.api.group_message(-100555, 9, "hello bot");
    h.api.group_message(-100777, 9, "staff here");
    assert!(
        h.api
            .wait_for(|calls| calls.iter().any(|c| c.method == "leaveChat"))
            .await
    );
    let user = h.user(114);
    user.say("/start").await;
    let left: Vec<_> = h
        .api
        .calls_of("leaveChat")
        .iter()
        .map(|c| c.body["chat_id"].clone())
        .collect();
    assert_eq!(left, [json!(-100555)]);
    assert!(h
        .api
        .calls_of("sendMessage")
        .iter()
        .all(|c| c.body["chat_id"].as_i64() > Some(0)));
}

#[tokio::test]
async fn name_descriptions_and_commands_are_set_per_language() {
    let h = Harness::start().await;
    let user = h.user(115);
    user.say("/start").await;
    for method in [
        "setMyName",
        "setMyDescription",
        "setMyShortDescription",
        "setMyCommands",
    ] {
        let langs: Vec<_> = h
            .api
            .calls_of(method)
            .iter()
            .map(|c| c.body["language_code"].clone())
            .collect();
        assert_eq!(
            langs,
            [
                json!("ky"),
                json!("ru"),
                json!("uz"),
                serde_json::Value::Null
            ],
            "{method}"
        );
    }
    let polled = &h.api.calls_of("getUpdates")[0].body["allowed_updates"];
    let mut kinds: Vec<_> = polled
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["callback_query", "message", "my_chat_member"]);
    let names: Vec<_> = h
        .api
        .calls_of("setMyName")
        .iter()
        .map(|c| c.body["name"].clone())
        .collect();
    assert_eq!(
        names,
        [
            json!("Ден соолук боюнча кеңештер"),
            json!("Советы о здоровье"),
            json!("Соғлиқ бўйича маслаҳатлар"),
            json!("Ден соолук боюнча кеңештер")
        ]
    );
    let commands = &h.api.calls_of("setMyCommands")[1].body["commands"];
    let listed: Vec<_> = commands
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["start", "menu", "language", "help"]);
}

#[tokio::test]
async fn profile_failures_do_not_stop_the_bot() {
    let mut h = Harness::prepare(|_| {}, None).await;
    h.api
        .inject("setMyName", Fault::TooManyRequests { retry_after: 3600 }, 4);
    h.api.inject("setMyDescription", Fault::Blocked, 4);
    h.launch();
    let user = h.user(116);
    user.send_text("/start");
    assert!(user.next_reply().await.text.contains("102"));
    let failed = h.api.calls().iter().filter(|c| c.fault.is_some()).count();
    assert_eq!(failed, 8);
    // Not all of it went through: the next start tries again.
    let before = h.api.calls_of("setMyName").len();
    h.restart().await;
    user.say("/menu").await;
    assert_eq!(h.api.calls_of("setMyName").len(), before + 4);
    // All of it went through: a restart sets none of it again.
    h.restart().await;
    user.say("/menu").await;
    assert_eq!(
        h.api.calls_of("setMyName").len(),
        before + 4,
        "unchanged texts are not set again"
    );
    assert_eq!(h.api.calls_of("setMyDescription").len(), 8);
}

#[tokio::test]
async fn server_errors_blocked_users_and_dropped_connections_are_survived() {
    let h = Harness::start().await;
    let user = at_menu(&h, 117, "Русский").await;
    // A 5xx on her reply (teloxide waits 10 s on those): the apology and the menu.
    h.api.inject("sendMessage", Fault::ServerError, 1);
    let apology = user.say("/menu").await;
    assert!(apology.text.starts_with("Извините"), "{}", apology.text);
    // A 429 on her reply is waited out and the reply still arrives.
    h.api
        .inject("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
    user.send_text("/help");
    assert!(user.next_reply().await.text.contains("/language"));
    // Blocked by another user: nothing breaks for her.
    let blocked = h.user(118);
    h.api.inject("sendMessage", Fault::Blocked, 2);
    blocked.send_text("/start");
    assert!(
        h.api
            .wait_for(|calls| calls
                .iter()
                .filter(|c| c.fault == Some(Fault::Blocked))
                .count()
                == 2)
            .await
    );
    // Polling survives a 429 and a dropped connection.
    h.api
        .inject("getUpdates", Fault::TooManyRequests { retry_after: 1 }, 1);
    h.api.inject("getUpdates", Fault::DropConnection, 1);
    user.send_text("/menu");
    assert!(user.next_reply().await.text.starts_with("Главное меню"));
}

#[tokio::test]
async fn unexpected_input_on_a_guidance_page_shows_that_page_again() {
    let h = Harness::start().await;
    let user = at_menu(&h, 124, "Русский").await;
    user.tap("COVID-19: гигиена").await;
    user.tap("Дальше →").await;
    user.send_photo();
    let reply = user.next_reply().await;
    assert!(
        reply.text.starts_with("Бот отвечает только на кнопки"),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("2/6"), "{}", reply.text);
    let reply = user.say("помогите").await;
    assert!(
        reply.text.starts_with("Бот не читает здесь сообщения"),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("2/6"));
}

#[tokio::test]
async fn in_uzbek_from_telegrams_setting_to_a_request_staff_see_her_language() {
    let h = Harness::start_with(|c| c.staff = vec![common::staff(900, "aigul")], None).await;
    let her = h.user(5_550_777_001).language("uz");
    let first = her.say("Салом").await;
    assert!(
        first.labels().contains(&"✓ Ўзбекча".to_string()),
        "{:?}",
        first.labels()
    );
    let welcome = her.tap("✓ Ўзбекча").await;
    assert!(
        welcome.text.starts_with("Ассалому алайкум!"),
        "{}",
        welcome.text
    );
    let menu = her.tap("Менюга ўтиш").await;
    assert!(menu.text.starts_with("Бош меню."), "{}", menu.text);
    her.tap("Мен билан боғланинг").await;
    her.tap("Юридик ёрдам").await;
    her.tap("Менга бир кун ичида ёрдам керак").await;
    her.tap("Менга қўнғироқ қилинг").await;
    her.say("0700 123 456").await;
    her.tap("Тушдан кейин (12:00–17:00)").await;
    her.tap("Телефонни қўйсин").await;
    her.tap("Ўтказиб юбориш").await;
    let summary = her.tap("Ўтказиб юбориш").await;
    assert!(
        summary.text.starts_with("Текшириб кўринг:"),
        "{}",
        summary.text
    );
    let sent = her.tap("Юбориш").await;
    assert!(
        sent.text.starts_with("Раҳмат, мурожаатингизни олдик."),
        "{}",
        sent.text
    );
    assert!(sent.text.contains("(12:00–17:00)"), "{}", sent.text);
    let card = h.user(900).say("/next").await;
    assert!(card.text.contains("Её язык: Ўзбекча"), "{}", card.text);
}
