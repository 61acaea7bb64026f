//! A restored backup cannot bring back what she cancelled (security review
//! S4, T9): a database older than its keyring is refused at start; a restore
//! takes it, and holds every request open in it until a supervisor releases
//! it, with a warning on its card.

mod common;

use common::{she_asks, staff, supervisor, Harness};

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_backup_from_before_she_cancelled_is_refused_then_restored_with_her_request_held() {
    let mut h = Harness::start_with(
        |c| c.staff = vec![staff(900, "aigul"), supervisor(901, "boss")],
        None,
    )
    .await;
    let code = she_asks(&h, 5_550_600_001).await;
    h.stop().await;
    let backup = h.dir.path().join("backup");
    ak_jurok::store::Store::backup(&h.config.data_dir, &backup).unwrap();
    // After the backup she cancels: it may have become unsafe.
    h.launch();
    let her = h.user(5_550_600_001);
    her.say("/menu").await;
    her.tap("Моя заявка").await;
    her.tap("Отменить заявку").await;
    her.tap("Да, отменить").await;
    h.stop().await;
    // The data folder is replaced by the backup, by hand: the bot refuses it.
    let db = h.config.data_dir.join("db");
    std::fs::rename(&db, h.dir.path().join("db.newer")).unwrap();
    copy_dir(&backup.join("db"), &db);
    h.launch();
    let refused = h.stopped_by_itself().await.expect("it stopped");
    let error = refused.expect_err("an older database").to_string();
    assert!(error.contains("older than its keyring"), "{error}");
    assert!(error.contains("ak-jurok restore"), "{error}");
    // The restore takes it, and holds what was open then.
    let keys =
        std::sync::Arc::new(ak_jurok::crypto::Keys::load_or_create(&h.config.key_file()).unwrap());
    let report = ak_jurok::store::Store::restore(
        &h.config.data_dir,
        &h.config.keyring_file(),
        keys,
        None,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(report.held.len(), 1);
    assert_eq!(report.held[0], code.as_str());
    assert!(
        report.backup_at.is_some(),
        "the backup says when it was made"
    );
    h.launch();
    let (aigul, boss) = (h.user(900), h.user(901));
    // Not offered, not taken, until a supervisor releases it.
    let next = aigul.say("/next").await;
    assert!(!next.text.contains(&code), "{}", next.text);
    let take = aigul.say(&format!("/take {code}")).await;
    assert!(
        take.text
            .starts_with(&format!("Заявку {code} вернули из резервной копии")),
        "{}",
        take.text
    );
    let released = boss.say(&format!("/reopen {code}")).await;
    assert_eq!(
        released.text,
        format!(
            "Заявка {code} снова в очереди. На её карточке написано, что она из резервной копии."
        )
    );
    // Taken now, its card warns first.
    let card = aigul.say(&format!("/take {code}")).await;
    let warning = card.text.lines().nth(2).unwrap_or_default();
    assert!(
        warning.starts_with("Из резервной копии от "),
        "first after the code: {}",
        card.text
    );
    assert!(card.text.contains("Сначала спросите"), "{}", card.text);
    h.stop().await;
}
