//! Anonymous reports through Telegram: /stats (lines and a chart) and /export
//! (a CSV for Excel), for supervisors only, completed quarters and years only,
//! counts rounded to 5 and small ones hidden, nothing of her in them.

mod common;

use common::{at_menu, she_asks, staff, supervisor, Harness};

#[tokio::test]
async fn stats_and_export_show_counts_with_small_cells_hidden_and_nothing_of_her() {
    let h = Harness::start_with(
        |c| {
            let mut bolot = supervisor(902, "bolot");
            bolot.languages = vec!["ky".into()];
            c.staff = vec![supervisor(900, "aigul"), bolot, staff(903, "asel")];
        },
        None,
    )
    .await;
    // Six requests about legal help; one of them closed with the outcome form.
    let mut codes = Vec::new();
    for id in 0..6 {
        codes.push(she_asks(&h, 700 + id).await);
    }
    let aigul = h.user(900);
    aigul.say("/next").await;
    // The form opens with the help she asked for marked: Done, Save.
    aigul.tap("Готово: поговорили").await;
    aigul.tap("Сохранить и закрыть").await;
    // 6 April: the first quarter is over, the second is not.
    let first = aigul.say("/stats 2026").await;
    assert!(
        first.text.starts_with("Обращения за 2026 Q1."),
        "{}",
        first.text
    );
    assert!(
        first.text.contains("Тема: Юридическая помощь 0,"),
        "{}",
        first.text
    );
    aigul.next_file().await;
    assert_eq!(
        aigul.say("/stats 2027").await.text,
        "За 2027 год ещё нет завершённого квартала. Числа публикуются только за прошедшие кварталы и годы, чтобы ни одно из них не менялось."
    );
    // Not for staff who are not supervisors.
    let asel = h.user(903);
    let only = "Эта команда — только для руководителей. Все ваши команды: /help";
    assert_eq!(asel.say("/stats").await.text, only);
    assert_eq!(asel.say("/export").await.text, only);
    // 2 July: the second quarter is over.
    h.clock.advance(chrono::Duration::days(87));
    let stats = aigul.say("/stats 2026").await;
    assert!(
        stats
            .text
            .starts_with("Обращения за 2026 Q2. Считаются заявки, а не люди"),
        "{}",
        stats.text
    );
    for line in [
        "Тема: Юридическая помощь 5, Документы и пособия 0,",
        "Итог: Поговорили <5, О другом человеке 0, Отказалась от помощи 0, Не сказала ни слова 0, Не настоящая заявка 0, Не удалось связаться 0,",
        "От заявки до первой попытки связаться: меньше часа <5,",
        "Оказанная помощь: Информация 0, Психологическая поддержка 0, Юридическая консультация <5,",
    ] {
        assert!(stats.text.contains(line), "{line}: {}", stats.text);
    }
    let protected = h.api.calls_of("sendMessage").pop().unwrap();
    assert_eq!(
        protected.body["protect_content"], true,
        "{}",
        protected.body
    );
    // The chart: a PNG that decodes, in the staff member's language.
    let chart = aigul.next_file().await;
    assert_eq!(chart.0, "ak-jurok-2026-Q2.png");
    let decoder = png::Decoder::new(chart.1.as_slice());
    let info = decoder.read_info().unwrap().info().clone();
    assert!(info.width > 100 && info.height > 100);
    let photo = h.api.calls_of("sendPhoto").pop().unwrap();
    assert_eq!(photo.body["caption"], "Темы заявок, 2026 Q2");
    assert_eq!(photo.body["protect_content"], true);
    // The CSV: the completed quarters, and the year once it is over; UTF-8
    // with a BOM, `;` between fields.
    h.clock.advance(chrono::Duration::days(184));
    aigul.send_text("/export 2026");
    let (name, bytes) = aigul.next_file().await;
    assert_eq!(name, "ak-jurok-2026.csv");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["Период", "Показатель", "Категория", "Число"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let cell = |period: &str, category: &str| {
        rows.iter()
            .find(|r| r[0] == period && r[2] == category)
            .map(|r| r[3].clone())
            .unwrap()
    };
    let document = h.api.calls_of("sendDocument").pop().unwrap();
    assert_eq!(document.body["protect_content"], true);
    assert_eq!(cell("2026 Q2", "Юридическая помощь"), "5");
    assert_eq!(cell("2026", "Юридическая помощь"), "5");
    // One consultation in Q2: "<5" there, and the year, which would give it
    // away beside the other quarters, is hidden.
    assert_eq!(cell("2026 Q2", "Юридическая консультация"), "<5");
    assert_eq!(cell("2026", "Юридическая консультация"), "…");
    assert_eq!(cell("2026 Q1", "Юридическая помощь"), "0");
    assert!(rows
        .iter()
        .all(|r| r[3] == "<5" || r[3] == "…" || r[3].parse::<u64>().is_ok_and(|n| n % 5 == 0)));
    for code in &codes {
        assert!(!text.contains(code.as_str()));
    }
    for personal in ["996700123456", "подсолнух", "муж забрал"] {
        assert!(!text.to_lowercase().contains(personal), "{personal}");
    }
    // In Kyrgyz for a Kyrgyz speaker; and not for anyone who is not staff.
    let bolot = h.user(902);
    let kyrgyz = bolot.say("/stats 2026").await;
    assert!(
        kyrgyz.text.starts_with("2026 боюнча өтүнүчтөр."),
        "{}",
        kyrgyz.text
    );
    let stranger = at_menu(&h, 799, "Русский").await;
    let answer = stranger.say("/stats").await;
    assert!(!answer.text.contains("Обращения"), "{}", answer.text);
    assert_eq!(
        aigul.say("/stats 20x6").await.text,
        "Напишите год, например: /stats 2026 или /export 2026"
    );
}

/// The built-in locales copied to `dir`, with the label of the center's own
/// category `disability` added in every language.
fn locales_with_a_category(dir: &std::path::Path) {
    let built_in = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for lang in ["ky", "ru", "uz"] {
        let to = dir.join(lang);
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(built_in.join(lang)).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
        }
        let label = match lang {
            "ky" => "Майыптыгы бар",
            "ru" => "С инвалидностью",
            _ => "Ногиронлиги бор",
        };
        let outcome = to.join("outcome.ftl");
        let mut text = std::fs::read_to_string(&outcome).unwrap();
        text.push_str(&format!("outcome-center-disability = {label}\n"));
        std::fs::write(outcome, text).unwrap();
    }
}

#[tokio::test]
async fn the_centers_own_categories_are_on_the_form_and_in_the_figures_by_their_tag() {
    let locales = tempfile::tempdir().unwrap();
    locales_with_a_category(locales.path());
    let dir = locales.path().to_path_buf();
    let mut h = Harness::start_with(
        move |c| {
            c.staff = vec![supervisor(900, "aigul")];
            c.locales_dir = Some(dir);
            c.outcome.categories = vec!["disability".into()];
        },
        None,
    )
    .await;
    she_asks(&h, 700).await;
    let aigul = h.user(900);
    aigul.say("/next").await;
    aigul.tap("Готово: поговорили").await;
    let more = aigul.tap("Отметки и о ней →").await;
    assert!(more.text.contains("Категории центра: —"), "{}", more.text);
    let marked = aigul.tap("С инвалидностью").await;
    assert!(
        marked.text.contains("Категории центра: С инвалидностью"),
        "{}",
        marked.text
    );
    aigul.tap("Сохранить и закрыть").await;
    h.clock.advance(chrono::Duration::days(87));
    let stats = aigul.say("/stats 2026").await;
    assert!(
        stats.text.contains("Категории центра: С инвалидностью <5"),
        "{}",
        stats.text
    );
    h.stop().await;
    let store = h.open_store();
    assert_eq!(store.counter("stats/2026-04/center/disability").unwrap(), 1);
}
