//! The configuration's tests: loading, the environment, validation.

use super::*;

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn the_note_after_erase_stays_at_least_a_minute() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    fs::write(&file, "erase_note_seconds = 10\n").unwrap();
    let config = Config::load(Some(&file), env_of(&[])).unwrap();
    assert_eq!(config.erase_note_seconds, 60);
    fs::write(&file, "erase_note_seconds = 90\n").unwrap();
    let config = Config::load(Some(&file), env_of(&[])).unwrap();
    assert_eq!(config.erase_note_seconds, 90);
}

#[test]
fn a_webhook_url_must_be_one_telegram_posts_to() {
    let with = |url: &str| {
        Config {
            webhook_url: Some(url.into()),
            ..Config::default()
        }
        .webhook()
    };
    assert!(Config::default().webhook().unwrap().is_none());
    for fine in [
        "https://bot.example.org/hook",
        "https://bot.example.org:8443/hook",
        "https://bot.example.org:88/",
        "https://bot.example.org:80/x",
    ] {
        assert!(with(fine).unwrap().is_some(), "{fine}");
    }
    for bad in [
        "http://bot.example.org/hook",
        "https://bot.example.org:8080/hook",
        "https://bot.example.org:444/",
        "bot.example.org/hook",
        "ftp://bot.example.org/hook",
    ] {
        assert!(
            matches!(with(bad), Err(ConfigError::WebhookUrl(_))),
            "{bad}"
        );
    }
}

#[test]
fn environment_overrides_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    fs::write(
        &file,
        "data_dir = \"/from/file\"\nstaff_ids = [1]\n[center]\nphones = [\"+996 3222 00000\"]\n",
    )
    .unwrap();
    let config = Config::load(
        Some(&file),
        env_of(&[
            ("AKJ_DATA_DIR", "/from/env"),
            ("AKJ_STAFF_IDS", " 5, 6 ,7"),
            ("AKJ_STAFF_CHAT", "-100123"),
            ("TELOXIDE_TOKEN", "123:abc"),
        ]),
    )
    .unwrap();
    assert_eq!(config.data_dir, PathBuf::from("/from/env"));
    assert_eq!(config.staff_ids, vec![5, 6, 7]);
    assert_eq!(config.staff_chat, Some(-100123));
    assert_eq!(config.token().unwrap().expose(), "123:abc");
    assert_eq!(config.center.phones, vec!["+996 3222 00000"]);
    assert!(!format!("{config:?}").contains("123:abc"));
}

#[test]
fn malformed_staff_ids_name_the_variable() {
    let err = Config::load(None, env_of(&[("AKJ_STAFF_IDS", "12,abc")])).unwrap_err();
    assert!(matches!(err, ConfigError::StaffIds { .. }));
    assert!(err.to_string().starts_with("AKJ_STAFF_IDS"));
}

#[test]
fn missing_token_is_a_clear_error() {
    let config = Config::load(None, env_of(&[])).unwrap();
    assert!(config
        .token()
        .unwrap_err()
        .to_string()
        .contains("TELOXIDE_TOKEN"));
}

#[test]
fn unknown_setting_in_file_is_reported_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    fs::write(&file, "data_dri = \"x\"\n").unwrap();
    let err = Config::load(Some(&file), env_of(&[])).unwrap_err();
    assert!(err.to_string().contains("c.toml"), "{err}");
}

#[test]
fn the_example_configuration_loads_with_and_without_its_commented_parts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ak-jurok.example.toml");
    let config = Config::load(Some(&path), env_of(&[])).unwrap();
    assert_eq!(
        config.center.name_in("ru"),
        None,
        "the name comes from the locales"
    );
    assert_eq!(config.request_grace_days, 7);
    // Every commented setting, uncommented, is valid too.
    let text = fs::read_to_string(&path).unwrap();
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest.starts_with('[') => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.toml");
    fs::write(&full, uncommented).unwrap();
    let config = Config::load(Some(&full), env_of(&[])).unwrap();
    assert_eq!(config.staff_chat, Some(-1001234567890));
    assert!(config.center.schedule.is_some());
    assert_eq!(config.center.hours.len(), 2);
    assert!(config.center.name_in("ky").is_some());
    // A setting appended at the end is not read silently into a table.
    let appended = dir.path().join("appended.toml");
    fs::write(&appended, format!("{text}\ndefault_language = \"ru\"\n")).unwrap();
    let error = Config::load(Some(&appended), env_of(&[]))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unknown setting `default_language`"),
        "{error}"
    );
}

#[test]
fn the_data_folder_is_made_private_and_an_open_one_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().join("a/data"),
        ..Config::default()
    };
    config.ensure_data_dir().unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&config.data_dir), 0o700);
    fs::set_permissions(&config.data_dir, fs::Permissions::from_mode(0o755)).unwrap();
    let message = config.ensure_data_dir().err().unwrap().to_string();
    assert!(message.contains("chmod 700"), "{message}");
    assert!(message.contains("a/data"), "{message}");
}

#[test]
fn staff_come_from_the_file_and_the_environment_with_unique_handles() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ak-jurok.toml");
    fs::write(
        &file,
        "[[staff]]\nid = 11\nhandle = \"aigul\"\nname = \"Aigul\"\nlanguages = [\"ky\"]\non_call = true\n",
    )
    .unwrap();
    let config = Config::load(Some(&file), env_of(&[("AKJ_STAFF_IDS", "11,22")])).unwrap();
    let staff = config.staff_members().unwrap();
    let handles: Vec<&str> = staff.iter().map(|m| m.handle.as_str()).collect();
    assert_eq!(handles, ["aigul", "staff2"]);
    assert!(staff[0].on_call && !staff[1].on_call);
    fs::write(
        &file,
        "[[staff]]\nid = 11\nhandle = \"a\"\n[[staff]]\nid = 4242424242\nhandle = \"a\"\n",
    )
    .unwrap();
    let message = Config::load(Some(&file), env_of(&[]))
        .err()
        .unwrap()
        .to_string();
    assert!(
        message.contains("entry 2: handle is used twice"),
        "{message}"
    );
    assert!(!message.contains("4242424242"), "{message}");
}

#[test]
fn relative_paths_in_a_file_are_taken_from_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ak-jurok.toml");
    fs::write(
        &file,
        "data_dir = \"state/data\"\nkey_file = \"k.key\"\nlocales_dir = \"/abs/locales\"\n",
    )
    .unwrap();
    let config = Config::load(Some(&file), env_of(&[])).unwrap();
    assert_eq!(config.data_dir, dir.path().join("state/data"));
    assert_eq!(config.key_file(), dir.path().join("k.key"));
    assert_eq!(config.keyring_file(), dir.path().join("ak-jurok.keyring"));
    assert_eq!(config.locales_dir, Some(PathBuf::from("/abs/locales")));
    // The environment is taken as given.
    let config = Config::load(Some(&file), env_of(&[("AKJ_DATA_DIR", "rel")])).unwrap();
    assert_eq!(config.data_dir, PathBuf::from("rel"));
    // Without a file, the texts are the built-in ones.
    assert_eq!(Config::load(None, env_of(&[])).unwrap().locales_dir, None);
}

#[test]
fn default_key_file_sits_beside_the_data_directory() {
    let config = Config::load(None, env_of(&[("AKJ_DATA_DIR", "/srv/akj/data")])).unwrap();
    assert_eq!(config.key_file(), PathBuf::from("/srv/akj/ak-jurok.key"));
    assert_eq!(
        config.keyring_file(),
        PathBuf::from("/srv/akj/ak-jurok.keyring")
    );
    let moved = Config::load(
        None,
        env_of(&[("AKJ_KEY_FILE", "/keys/k"), ("AKJ_KEYRING", "/ring/r")]),
    )
    .unwrap();
    assert_eq!(moved.keyring_file(), PathBuf::from("/ring/r"));
}

#[test]
fn a_mistake_in_the_file_names_its_line_and_setting_never_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    let error = |text: &str| {
        fs::write(&file, text).unwrap();
        Config::load(Some(&file), env_of(&[]))
            .unwrap_err()
            .to_string()
    };
    let typed =
        error("log_level = \"info\"\n\n[[staff]]\nid = \"7341905286\"\nhandle = \"aigul\"\n");
    assert!(
        typed.contains("line 4, `staff[0].id`: wrong type (expected u64)"),
        "{typed}"
    );
    assert!(!typed.contains("7341905286"), "{typed}");
    let chat = error("staff_chat = \"-1007341905286\"\n");
    assert!(chat.contains("line 1, `staff_chat`: wrong type"), "{chat}");
    assert!(!chat.contains("1007341905286"), "{chat}");
    let typo = error("defualt_language = \"ru\"\n");
    assert!(
        typo.contains("unknown setting `defualt_language`; did you mean `default_language`?"),
        "{typo}"
    );
    assert!(!typo.contains("api_url"), "not every name: {typo}");
    let broken = error("log_level = \"info\n");
    assert!(broken.contains("line 1: not valid TOML"), "{broken}");
}

#[test]
fn a_setting_below_a_language_table_an_unknown_language_or_log_level_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    let languages: Vec<String> = ["ky", "ru", "uz"].map(String::from).to_vec();
    let validated = |text: &str| {
        fs::write(&file, text).unwrap();
        Config::load(Some(&file), env_of(&[]))
            .unwrap()
            .validate(&languages)
            .map_err(|e| e.to_string())
    };
    assert_eq!(validated("default_language = \"ru\"\n"), Ok(()));
    // Appended below a table, it is read as a language of that table.
    let below = validated("[center.name]\nru = \"Ak-Jurok\"\ndefault_language = \"ru\"\n");
    let below = below.unwrap_err();
    assert!(
        below.contains("[center.name] has `default_language`, which is not a language the bot has (ky, ru, uz)"),
        "{below}"
    );
    let english = validated("default_language = \"en\"\n").unwrap_err();
    assert!(english.contains("default_language is `en`"), "{english}");
    let verbose = validated("log_level = \"verbose\"\n").unwrap_err();
    assert!(verbose.contains("log_level is `verbose`"), "{verbose}");
    // The backups' settings.
    let never = validated("backup_every_hours = 0\n").unwrap_err();
    assert!(never.starts_with("backup_every_hours is 0"), "{never}");
    let none_kept = validated("backup_keep = 0\n").unwrap_err();
    assert!(none_kept.starts_with("backup_keep is 0"), "{none_kept}");
    let inside = validated("data_dir = \"data\"\nbackup_dir = \"data/db/backups\"\n").unwrap_err();
    assert!(
        inside.starts_with("backup_dir is the data folder"),
        "{inside}"
    );
    let same = validated("data_dir = \"data\"\nbackup_dir = \"data\"\n").unwrap_err();
    assert!(same.starts_with("backup_dir is the data folder"), "{same}");
    assert_eq!(
        validated("data_dir = \"data\"\nbackup_dir = \"backups\"\n"),
        Ok(())
    );
}

#[test]
fn the_master_key_systemd_decrypted_for_the_service_is_used_unless_one_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("credentials");
    fs::create_dir_all(&credentials).unwrap();
    let with = |key_file: Option<&str>| {
        let mut config = Config {
            data_dir: dir.path().join("data"),
            key_file: key_file.map(PathBuf::from),
            ..Config::default()
        };
        config.credentials_dir = Some(credentials.clone());
        config.key_file()
    };
    // No credential yet: the default beside the data folder.
    assert_eq!(with(None), dir.path().join("ak-jurok.key"));
    fs::write(credentials.join("master-key"), [7u8; 32]).unwrap();
    assert_eq!(with(None), credentials.join("master-key"));
    assert_eq!(with(Some("/elsewhere/k")), PathBuf::from("/elsewhere/k"));
    // Read from the environment systemd sets.
    let dir_text: &'static str = Box::leak(credentials.display().to_string().into_boxed_str());
    let pairs: &'static [(&'static str, &'static str)] =
        Box::leak(vec![("CREDENTIALS_DIRECTORY", dir_text)].into_boxed_slice());
    let loaded = Config::load(None, env_of(pairs)).unwrap();
    assert_eq!(loaded.credentials_dir, Some(credentials.clone()));
}

#[test]
fn a_category_of_the_centers_own_needs_a_tag_and_its_words_in_every_language() {
    let languages = vec!["ky".to_string(), "ru".to_string(), "uz".to_string()];
    let locales = crate::i18n::Locales::embedded("ky").unwrap();
    let with = |tags: &[&str]| {
        let mut config = Config::default();
        config.outcome.categories = tags.iter().map(|t| t.to_string()).collect();
        config
    };
    for (tags, says) in [
        (&["Disability"][..], "entry 1 is not a tag"),
        (&["a", "a"][..], "`a` is listed twice"),
        (
            &["a", "b", "c", "d", "e", "f", "g", "h", "i"][..],
            "9 listed; the form has room for 8",
        ),
    ] {
        let error = with(tags).validate(&languages).unwrap_err().to_string();
        assert!(error.contains(says), "{error}");
        assert!(error.starts_with("[outcome] categories: "), "{error}");
    }
    // Well formed, but the built-in texts have no words for it: none is invented.
    let config = with(&["disability"]);
    config.validate(&languages).unwrap();
    let error = config
        .outcome
        .validate_labels(&locales)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`disability` has no label in ky")
            && error.contains("outcome-center-disability"),
        "{error}"
    );
    with(&[]).outcome.validate_labels(&locales).unwrap();
}
