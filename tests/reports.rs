//! Anonymous reports through Telegram: /stats (lines and a chart) and /export
//! (a CSV for Excel), small counts hidden, nothing of her in them.

mod common;

use common::{at_menu, she_asks, staff, Harness};

#[tokio::test]
async fn stats_and_export_show_counts_with_small_cells_hidden_and_nothing_of_her() {
    let h = Harness::start_with(
        |c| {
            let mut bolot = staff(902, "bolot");
            bolot.languages = vec!["ky".into()];
            c.staff = vec![staff(900, "aigul"), bolot];
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
    aigul.tap("Готово: поговорили").await;
    aigul.tap("Юридическая консультация").await;
    aigul.tap("Сохранить и закрыть").await;
    let stats = aigul.say("/stats 2026").await;
    assert!(
        stats
            .text
            .starts_with("Обращения за 2026. Считаются заявки, а не люди"),
        "{}",
        stats.text
    );
    for line in [
        "Тема: Юридическая помощь 6, Документы и пособия 0,",
        "Итог: Помогли <5, Отказалась от помощи 0,",
        "Оказанная помощь: Информация 0, Психологическая поддержка 0, Юридическая консультация <5,",
    ] {
        assert!(stats.text.contains(line), "{line}: {}", stats.text);
    }
    // The chart: a PNG that decodes, in the staff member's language.
    let chart = aigul.next_file().await;
    assert_eq!(chart.0, "ak-jurok-2026.png");
    let decoder = png::Decoder::new(chart.1.as_slice());
    let info = decoder.read_info().unwrap().info().clone();
    assert!(info.width > 100 && info.height > 100);
    let photo = h.api.calls_of("sendPhoto").pop().unwrap();
    assert_eq!(photo.body["caption"], "Темы заявок, 2026");
    // The CSV: quarters and the year, UTF-8 with a BOM, `;` between fields.
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
    assert_eq!(cell("2026 Q2", "Юридическая помощь"), "6");
    assert_eq!(cell("2026", "Юридическая помощь"), "6");
    assert_eq!(cell("2026", "Юридическая консультация"), "<5");
    assert_eq!(cell("2026 Q1", "Юридическая помощь"), "0");
    assert!(rows
        .iter()
        .all(|r| r[3] == "<5" || r[3].parse::<u64>().is_ok()));
    assert!(rows
        .iter()
        .all(|r| !["1", "2", "3", "4"].contains(&r[3].as_str())));
    for code in &codes {
        assert!(!text.contains(code.as_str()));
    }
    for personal in ["996700123456", "подсолнух", "муж забрал"] {
        assert!(!text.to_lowercase().contains(personal), "{personal}");
    }
    // In Kyrgyz for a Kyrgyz speaker; and not for anyone who is not staff.
    let bolot = h.user(902);
    let kyrgyz = bolot.say("/stats").await;
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
