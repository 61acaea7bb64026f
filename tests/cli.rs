//! The binary's command line: clear one-line errors, and the demo with piped input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ak_jurok(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ak-jurok"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "AKJ_DATA_DIR",
        "AKJ_KEY_FILE",
        "AKJ_KEYRING",
        "AKJ_STAFF_IDS",
        "AKJ_STAFF_CHAT",
        "AKJ_LOCALES_DIR",
        "AKJ_LOG",
        "RUST_BACKTRACE",
    ] {
        command.env_remove(var);
    }
    command.env("RUST_BACKTRACE", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    // A command that refuses at once may exit before reading its input.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// The demo in Russian with configuration `config`, fed `script`: what it
/// printed (it must end well).
fn demo_in_russian(config: &std::path::Path, script: &str) -> String {
    let out = ak_jurok(
        &["demo", "--lang", "ru", "--config", config.to_str().unwrap()],
        &[],
        script,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fails unless the run failed with exactly one line of error that mentions `what`.
fn assert_one_line_error(output: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(what), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn run_without_token_says_how_to_set_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = ak_jurok(&["run"], &[("AKJ_DATA_DIR", data.to_str().unwrap())], "");
    assert_one_line_error(&out, "TELOXIDE_TOKEN is not set");
}

#[test]
fn malformed_staff_ids_are_named() {
    let out = ak_jurok(
        &["run"],
        &[("TELOXIDE_TOKEN", "1:x"), ("AKJ_STAFF_IDS", "12,ab")],
        "",
    );
    assert_one_line_error(&out, "AKJ_STAFF_IDS");
}

#[test]
fn unreadable_config_is_named() {
    let out = ak_jurok(&["run", "--config", "/nonexistent/ak.toml"], &[], "");
    assert_one_line_error(&out, "/nonexistent/ak.toml");
}

#[test]
fn unwritable_data_directory_is_named() {
    let out = ak_jurok(
        &["run"],
        &[
            ("TELOXIDE_TOKEN", "1:x"),
            ("TELOXIDE_API_URL", "http://127.0.0.1:9"),
            ("AKJ_DATA_DIR", "/dev/null/data"),
        ],
        "",
    );
    assert_one_line_error(&out, "data directory /dev/null/data is not writable");
}

#[test]
fn key_file_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("master.key");
    std::fs::write(&key, [1u8; 32]).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = ak_jurok(
        &[
            "demo",
            "--data-dir",
            dir.path().join("data").to_str().unwrap(),
        ],
        &[("AKJ_KEY_FILE", key.to_str().unwrap())],
        "",
    );
    assert_one_line_error(&out, "chmod 600");
}

#[test]
fn demo_walks_the_conversation_from_piped_input() {
    // Russian preselected: 3 = Русский, then "to the menu", then "I am in danger".
    let out = ak_jurok(&["demo", "--lang", "ru"], &[], "3\n1\n1\n:sticker\n/menu\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Азыр коркунучта болсоңуз") && stdout.contains("Если вам сейчас угрожает")
    );
    assert!(stdout.contains("[3] ✓ Русский"), "{stdout}");
    assert!(stdout.contains("«Ак-Журок»"));
    assert!(stdout.contains("Если вам угрожает опасность прямо сейчас"));
    assert!(stdout.contains("Бот отвечает только на кнопки"));
    assert!(stdout.trim_end().ends_with("(end of input)"), "{stdout}");
}

#[test]
fn demo_walks_the_help_topics_safety_plan_covid_and_shelter_in_kyrgyz() {
    // ky preselected: 2 = ✓ Кыргызча, 1 = to the menu, 2 = get help, 1 = legal,
    // 2 = back, 6 = safety plan, 2 = menu, 4 = COVID, 1 = next, 2 = next,
    // 3 = menu, 3 = shelter.
    let script = "2\n1\n2\n1\n2\n6\n2\n4\n1\n2\n3\n3\n";
    let out = ak_jurok(&["demo", "--lang", "ky"], &[], script);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for screen in [
        "Кандай жардам керек?",
        "Борбордун юристи",
        "Коопсуздук планы",
        "COVID-19: гигиена · 1/6",
        "COVID-19: гигиена · 3/6",
        "12–18 күнгө",
        "орун бар-жогун билүү үчүн",
        "Борбор сизге ушул бот аркылуу гана жазат.",
    ] {
        assert!(stdout.contains(screen), "{screen} missing from:\n{stdout}");
    }
}

#[test]
fn demo_sends_a_request_through_the_whole_wizard() {
    // 3 = Русский, 1 = menu, 5 = contact me, 1 = legal, 2 = within a day,
    // 1 = call me, the number, 3 = evening, 2 = wrong number, a code word,
    // a description, 1 = send, 1 = my request.
    let script = "3\n1\n5\n1\n2\n1\n0700 123 456\n3\n2\nсирень\nОписание\n1\n1\n";
    let out = ak_jurok(&["demo", "--lang", "ru"], &[], script);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Телефон: +996700123456"), "{stdout}");
    assert!(stdout.contains("(the bot deletes your message from the chat)"));
    // The banner lists every staff command, from the command table.
    for command in [
        "/queue",
        "/card",
        "/language",
        "/claims",
        "/assign",
        "/reopen",
    ] {
        assert!(
            stdout.lines().next().unwrap().contains(command),
            "{command}"
        );
    }
    assert!(
        stdout.contains("Спасибо, мы получили вашу заявку."),
        "{stdout}"
    );
    assert!(stdout.contains("Номер для звонка: +996 ••• ••• 456."));
    assert!(stdout.contains("Вы первая в очереди."));
}

#[tokio::test]
async fn run_serves_through_the_configured_api_and_stops_cleanly_on_sigterm() {
    let api = fake_bot_api::FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ak-jurok"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TELOXIDE_TOKEN", "42:TEST")
        .env("TELOXIDE_API_URL", api.url())
        .env("AKJ_DATA_DIR", dir.path().join("data"))
        .env("AKJ_KEY_FILE", dir.path().join("master.key"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let user = api.user(5_550_301_777).language("ru");
    user.send_text("/start");
    assert!(user.next_reply().await.text.contains("102"));
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().collect::<Vec<_>>()[4..6],
        ["0", "0"],
        "no core dumps: {core}"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "did not stop");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("event=\"stopped\""), "{stderr}");
    // What works but should not be left so, a line each.
    for warned in [
        "event=\"master_key_created\"",
        "event=\"no_staff\"",
        "event=\"no_staff_chat\"",
        "event=\"no_backups\"",
    ] {
        assert!(stderr.contains(warned), "{warned}: {stderr}");
    }
    assert!(!stderr.contains("5550301777"), "no id in the log: {stderr}");
    // Everything it wrote is its own user's only.
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![dir.path().to_path_buf()];
    let mut seen = 0;
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap().path();
            let mode = std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{} is mode {mode:o}", entry.display());
            seen += 1;
            if entry.is_dir() {
                stack.push(entry);
            }
        }
    }
    assert!(seen > 5, "the database, key and keyring were checked");
}

#[test]
fn malformed_staff_chat_api_url_and_log_level_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let out = ak_jurok(
        &["run"],
        &[("TELOXIDE_TOKEN", "1:x"), ("AKJ_STAFF_CHAT", "staff")],
        "",
    );
    assert_one_line_error(&out, "AKJ_STAFF_CHAT");
    let out = ak_jurok(
        &["run"],
        &[
            ("TELOXIDE_TOKEN", "1:x"),
            ("TELOXIDE_API_URL", "localhost:8081"),
        ],
        "",
    );
    assert_one_line_error(&out, "TELOXIDE_API_URL");
    let out = ak_jurok(
        &["run"],
        &[
            ("TELOXIDE_TOKEN", "1:x"),
            ("AKJ_LOG", "loud"),
            ("AKJ_DATA_DIR", data),
        ],
        "",
    );
    assert_one_line_error(&out, "log level \"loud\"");
}

/// A data folder with one waiting request, made through the library.
fn data_with_a_request(dir: &std::path::Path) -> String {
    data_with_a_request_at(dir, chrono::Utc::now())
}

/// A data folder with one request, sent at `now`; its code.
fn data_with_a_request_at(dir: &std::path::Path, now: chrono::DateTime<chrono::Utc>) -> String {
    use ak_jurok::conversation::Dialogue;
    use ak_jurok::domain::request::{ContactMethod, SafeTime, Submission, Topic, Urgency};
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(dir.join("data"))
        .unwrap();
    let keys = std::sync::Arc::new(
        ak_jurok::crypto::Keys::load_or_create(&dir.join("master.key")).unwrap(),
    );
    let store = ak_jurok::store::Store::open(
        &dir.join("data"),
        &dir.join("ak-jurok.keyring"),
        1,
        keys.clone(),
    )
    .unwrap();
    let submission = Submission {
        topic: Topic::Legal,
        urgency: Urgency::CanWait,
        contact: ContactMethod::Call,
        safe_time: SafeTime::Any,
        if_other: None,
        phone: ak_jurok::domain::phone::Phone::parse("0700 123 456").ok(),
        phone_not_own: false,
        code_word: None,
        description: None,
    };
    let who = keys.pseudonym(1);
    store
        .enqueue(
            &who,
            1,
            &submission,
            &Dialogue::first_contact("ru".into(), now),
            &mut Default::default(),
            now,
        )
        .unwrap()
        .code
        .to_string()
}

#[test]
fn a_missing_keyring_is_refused_in_one_line_and_recovered_offline() {
    let dir = tempfile::tempdir().unwrap();
    let code = data_with_a_request(dir.path());
    let ring = dir.path().join("ak-jurok.keyring");
    std::fs::remove_file(&ring).unwrap();
    std::fs::remove_file(dir.path().join("ak-jurok.keyring.wrap")).unwrap();
    let data = dir.path().join("data");
    let key = dir.path().join("master.key");
    let env = [
        ("TELOXIDE_TOKEN", "1:x"),
        ("AKJ_DATA_DIR", data.to_str().unwrap()),
        ("AKJ_KEY_FILE", key.to_str().unwrap()),
    ];
    let out = ak_jurok(&["run"], &env, "");
    assert_one_line_error(&out, "is missing");
    assert_one_line_error(&out, "AKJ_KEYRING");
    assert_one_line_error(&out, "ak-jurok recover-keyring --confirm");
    // `check` sees what `run` refuses.
    let out = ak_jurok(&["check"], &env, "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stdout.contains("is missing, but the database has data sealed under it"),
        "{stdout}"
    );
    let out = ak_jurok(&["recover-keyring"], &env, "");
    assert_one_line_error(&out, "--confirm");
    let out = ak_jurok(&["recover-keyring", "--confirm"], &env, "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "1 open request(s) closed as data lost (tell staff: {code})"
        )),
        "{stdout}"
    );
    // The database and the new ring agree: it opens, and the request is closed.
    let keys = std::sync::Arc::new(ak_jurok::crypto::Keys::load_or_create(&key).unwrap());
    let store = ak_jurok::store::Store::open(&data, &ring, 1, keys).unwrap();
    assert_eq!(store.queue_len(), 0);
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 0);
}

#[test]
fn a_keyring_inside_the_data_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let inside = data.join("ak-jurok.keyring");
    let out = ak_jurok(
        &["run"],
        &[
            ("TELOXIDE_TOKEN", "1:x"),
            ("AKJ_DATA_DIR", data.to_str().unwrap()),
            ("AKJ_KEYRING", inside.to_str().unwrap()),
        ],
        "",
    );
    assert_one_line_error(&out, "keyring (AKJ_KEYRING)");
    assert_one_line_error(&out, "is inside the data directory");
}

#[test]
fn the_binary_runs_from_any_folder_with_its_texts_built_in() {
    let elsewhere = tempfile::tempdir().unwrap();
    let run_in = |dir: &std::path::Path, env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ak-jurok"));
        command
            .args(["demo", "--lang", "ru"])
            .current_dir(dir)
            .env_remove("AKJ_LOCALES_DIR")
            .env_remove("AKJ_DATA_DIR")
            .env_remove("AKJ_KEY_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"1\n").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run_in(elsewhere.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("102"), "{stdout}");
    assert!(stdout.contains("Русский"), "{stdout}");
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "the demo leaves nothing in the folder it was started from"
    );
    // A configured folder replaces the built-in texts, and is checked.
    let missing = elsewhere.path().join("no-such-locales");
    let out = run_in(
        elsewhere.path(),
        &[("AKJ_LOCALES_DIR", missing.to_str().unwrap())],
    );
    assert_one_line_error(&out, "AKJ_LOCALES_DIR");
}

#[test]
fn the_demo_refuses_a_live_data_folder_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    data_with_a_request(dir.path());
    let data = dir.path().join("data");
    let key = dir.path().join("master.key");
    let env = [("AKJ_KEY_FILE", key.to_str().unwrap())];
    let data_arg = data.to_str().unwrap();
    let out = ak_jurok(&["demo", "--data-dir", data_arg], &env, "1\n");
    assert_one_line_error(&out, "holds a bot's data");
    assert_one_line_error(&out, "--i-know-this-is-live");
    let out = ak_jurok(
        &["demo", "--data-dir", data_arg, "--i-know-this-is-live"],
        &env,
        "1\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("102"));
}

#[test]
fn the_audit_log_is_read_offline_and_refused_while_a_bot_holds_the_database() {
    let dir = tempfile::tempdir().unwrap();
    data_with_a_request(dir.path());
    let data = dir.path().join("data");
    let env = [("AKJ_DATA_DIR", data.to_str().unwrap())];
    let out = ak_jurok(&["audit", "--since", "2026-01-01"], &env, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing audited yet: said so, rather than nothing at all.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "audit: no entries since 2026-01-01\n"
    );
    // This process holds the database, as a running bot would.
    let keys = std::sync::Arc::new(
        ak_jurok::crypto::Keys::load_or_create(&dir.path().join("master.key")).unwrap(),
    );
    let _held =
        ak_jurok::store::Store::open(&data, &dir.path().join("ak-jurok.keyring"), 1, keys).unwrap();
    let out = ak_jurok(&["audit"], &env, "");
    assert_one_line_error(&out, "in use by another ak-jurok process; stop it first");
}

#[test]
fn a_data_folder_of_another_user_is_refused_in_one_line_naming_its_owner() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    data_with_a_request(dir.path());
    let data = dir.path().join("data");
    let env = [("AKJ_DATA_DIR", data.to_str().unwrap())];
    // (Only root can give a folder away; elsewhere the rule's unit test stands.)
    let nobody = 65_534;
    if std::os::unix::fs::chown(&data, Some(nobody), None).is_err() {
        return;
    }
    assert_eq!(std::fs::metadata(&data).unwrap().uid(), nobody);
    let before = walk(&data);
    for command in [&["audit"][..], &["stats", "--year", "2026"], &["purge"]] {
        let out = ak_jurok(command, &env, "");
        assert_one_line_error(&out, "belongs to");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&data.display().to_string()), "{stderr}");
        assert!(stderr.contains("uid 65534"), "{stderr}");
    }
    // Nothing was made there by the refused commands.
    assert_eq!(walk(&data), before);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(walk(&path));
        }
        all.push(path);
    }
    all
}

#[test]
fn the_unit_is_valid_and_exposes_little() {
    let unit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/ak-jurok.service");
    // (Only where systemd's tools are installed; the .ci image has them.)
    let Ok(verify) = Command::new("systemd-analyze")
        .args(["verify", unit.to_str().unwrap()])
        .output()
    else {
        return;
    };
    // The binary is not installed here; anything else is a mistake in the unit.
    let complaints: Vec<String> = String::from_utf8_lossy(&verify.stderr)
        .lines()
        .filter(|l| !l.contains("is not executable"))
        .map(str::to_string)
        .collect();
    assert!(complaints.is_empty(), "{complaints:?}");
    // systemd's own score: 3 or better (0 safest, 10 exposed; 7.9 before).
    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=yes", "--threshold=30"])
        .arg(&unit)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&security.stdout);
    assert!(security.status.success(), "{report}");
    assert!(report.contains("Overall exposure level"), "{report}");
}

#[test]
fn the_admin_wrapper_runs_a_command_as_the_service_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    // A stand-in for systemd-run that prints what it was asked, one per line.
    let fake = dir.path().join("systemd-run");
    std::fs::write(&fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let wrapper = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/ak-jurok-admin");
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = Command::new("sh")
        .arg(&wrapper)
        .args(["audit", "--since", "2026-04-01"])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        args,
        [
            "--quiet",
            "--pipe",
            "--wait",
            "--collect",
            "--property=User=akjurok",
            "--property=Group=akjurok",
            "--property=UMask=0077",
            "--property=LoadCredentialEncrypted=master-key:/etc/ak-jurok/master-key.cred",
            "--property=EnvironmentFile=-/etc/ak-jurok/token.env",
            "/usr/local/bin/ak-jurok",
            "audit",
            "--since",
            "2026-04-01",
            "--config",
            "/etc/ak-jurok/ak-jurok.toml",
        ]
    );
    // Without a command: how to use it, and a failure.
    let out = Command::new("sh")
        .arg(&wrapper)
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: ak-jurok-admin"));
}

#[test]
fn the_operator_suspends_and_resumes_a_staff_member_offline_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    data_with_a_request(dir.path());
    let data = dir.path().join("data");
    let config = dir.path().join("bot.toml");
    std::fs::write(
        &config,
        "[[staff]]\nid = 5550001\nhandle = \"aigul\"\nsupervisor = true\n",
    )
    .unwrap();
    let env = [("AKJ_DATA_DIR", data.to_str().unwrap())];
    let staff = |action: &str, handle: &str| {
        ak_jurok(
            &[
                "staff",
                action,
                handle,
                "--config",
                config.to_str().unwrap(),
            ],
            &env,
            "",
        )
    };
    let out = staff("suspend", "aigul");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("aigul is suspended"));
    assert_one_line_error(&staff("suspend", "nobody"), "no staff member nobody");
    let opened = |data: &std::path::Path| {
        let keys = std::sync::Arc::new(
            ak_jurok::crypto::Keys::load_or_create(&dir.path().join("master.key")).unwrap(),
        );
        ak_jurok::store::Store::open(data, &dir.path().join("ak-jurok.keyring"), 1, keys).unwrap()
    };
    {
        let store = opened(&data);
        assert!(store.is_suspended("aigul"), "the bot reads it at start");
        // While a bot holds the database, the command is refused.
        assert_one_line_error(
            &staff("resume", "aigul"),
            "in use by another ak-jurok process",
        );
    }
    let out = staff("resume", "aigul");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!opened(&data).is_suspended("aigul"));
    let audit = ak_jurok(&["audit"], &env, "");
    let audit = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.contains("operator suspended:aigul"), "{audit}");
    assert!(audit.contains("operator resumed:aigul"), "{audit}");
}

#[test]
fn the_demo_is_a_training_room_with_several_women_time_that_moves_and_suspension_enforced() {
    // Two configured staff and a supervisor; every window open all day.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ak-jurok.toml");
    std::fs::write(
        &config,
        "[contact_windows]\nany = \"00:00-23:59\"\n\
         [[staff]]\nid = 5\nhandle = \"aigul\"\nname = \"Айгуль\"\n\
         [[staff]]\nid = 6\nhandle = \"nurjan\"\nname = \"Нуржан\"\n\
         [[staff]]\nid = 7\nhandle = \"gulnara\"\nname = \"Гульнара\"\nsupervisor = true\n",
    )
    .unwrap();
    // Woman 1 asks to be written to here, any time; woman 2 only opens the
    // bot. Aigul writes to woman 1; half an hour passes; woman 1 sees the
    // knock. Gulnara suspends Nurjan, whose desk then does nothing.
    let script = "3\n1\n5\n1\n2\n2\n4\n1\n1\n\
                  :her 0\n:her x\n:her 100\n:her 2\n\
                  :staff aigul\n/next\n2\n1\nЗдравствуйте, это специалист центра.\n\
                  :wait 30m\n\
                  :her 1\n\
                  :supervisor gulnara\n/suspend nurjan\n\
                  :staff nurjan\n/queue\n";
    let stdout = demo_in_russian(&config, script);
    // A woman's number out of range, or not a number: said how, nothing else.
    assert_eq!(
        stdout
            .matches("(:her 2 speaks as a second woman; 1 to 99)")
            .count(),
        3,
        "{stdout}"
    );
    // A second woman starts at the beginning, in a chat of her own.
    let second = stdout
        .split("(you are her again — woman 2)")
        .nth(1)
        .unwrap();
    assert!(second.contains("Выберите язык"), "{stdout}");
    // The letter waits; half an hour on, the knock has reached her.
    // A ready-words button prints what a tap would copy, in her language.
    assert!(
        stdout
            .contains("(copied — paste it after Write to her, edit, send): Если пойдёте в убежище"),
        "{stdout}"
    );
    let waited = stdout.split("> :wait 30m").nth(1).unwrap();
    let (during, after) = waited.split_once("30 minutes later").unwrap();
    assert!(
        during.contains("(to woman 1)") && during.contains("Совет дня"),
        "{waited}"
    );
    // Back as woman 1: her screen as it was left, the knock's Open there.
    let back = after.split("(you are her again — woman 1)").nth(1).unwrap();
    assert!(
        back.contains("Открыть") || back.contains("COVID-19"),
        "{back}"
    );
    // A suspended member's desk does nothing, in the demo as in Telegram.
    assert!(stdout.contains("nurjan is suspended"), "{stdout}");
    let last = stdout.rsplit("> /queue").next().unwrap();
    assert!(
        !last.contains("Күтүп жатат") && !last.contains("Ждут"),
        "{last}"
    );
}

#[test]
fn the_demos_wait_runs_the_danger_re_alerts_at_their_minutes() {
    // A second woman asks for help now, by phone; nobody takes it.
    let script = ":her 2\n3\n1\n1\n1\n1\n0700 123 456\n1\n:wait 25m\n";
    let out = ak_jurok(&["demo", "--lang", "ru"], &[], script);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let waited = stdout.split("> :wait 25m").nth(1).unwrap();
    // The staff chat speaks the default language, Kyrgyz.
    let ten = waited.find("10 мүнөттөн бери күтүп жатат").expect(waited);
    let twenty = waited.find("20 мүнөттөн бери күтүп жатат").expect(waited);
    assert!(ten < twenty, "{waited}");
    assert!(waited.contains("(25 minutes later: it is "), "{waited}");
}

#[test]
fn the_demo_walks_a_request_from_her_side_to_the_staff_desk_and_back() {
    // Her request (as above), then a staff member takes and closes it, then she
    // looks at My request again (6). A demo staff member reads the default
    // language, Kyrgyz.
    // She can be called any time (4), which this configuration makes the whole
    // day, so the demo's real clock never finds her window closed; Done (1)
    // opens the outcome form, Save (18) closes it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ak-jurok.toml");
    std::fs::write(&config, "[contact_windows]\nany = \"00:00-23:59\"\n").unwrap();
    let script = "3\n1\n5\n1\n2\n1\n0700 123 456\n4\n2\nсирень\nОписание\n1\n\
                  :staff aigul\n/queue\n/next\n1\n18\n:her\n/menu\n6\n";
    let stdout = demo_in_russian(&config, script);
    assert!(
        stdout.contains("(you are now staff member aigul)"),
        "{stdout}"
    );
    assert!(stdout.contains("(to the staff chat)"), "{stdout}");
    assert!(stdout.contains("Күтүп жатат: 1."), "{stdout}");
    assert!(stdout.contains("Шарттуу сөз: сирень"), "{stdout}");
    assert!(stdout.contains("жабылды. Рахмат."), "{stdout}");
    assert!(stdout.contains("(you are her again — woman 1)"), "{stdout}");
    assert!(stdout.contains("Заявка закрыта."), "{stdout}");
}

#[test]
fn stats_are_read_offline_without_the_keyring_as_text_csv_and_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    // Sent last year: only a year that is over is published whole.
    let last_year = chrono::Datelike::year(&chrono::Utc::now()) - 1;
    let sent = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, last_year, 5, 4, 10, 0, 0).unwrap();
    data_with_a_request_at(dir.path(), sent);
    // A restored backup may come without its keyring: the figures need none.
    std::fs::remove_file(dir.path().join("ak-jurok.keyring")).unwrap();
    let data = dir.path().join("data");
    let (csv, png) = (dir.path().join("figures.csv"), dir.path().join("chart.png"));
    let year = last_year.to_string();
    let out = ak_jurok(
        &[
            "stats",
            "--year",
            &year,
            "--lang",
            "ru",
            "--csv",
            csv.to_str().unwrap(),
            "--png",
            png.to_str().unwrap(),
        ],
        &[("AKJ_DATA_DIR", data.to_str().unwrap())],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Тема: Юридическая помощь <5,"),
        "one request is too few to show: {stdout}"
    );
    let csv = std::fs::read(csv).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    // The year beside a quarter of 1: hidden, or it would give the quarter away.
    assert!(String::from_utf8_lossy(&csv).contains(&format!("{year};Тема;Юридическая помощь;…")));
    assert!(
        String::from_utf8_lossy(&csv).contains(&format!("{year} Q2;Тема;Юридическая помощь;<5"))
    );
    assert!(std::fs::read(png).unwrap().starts_with(b"\x89PNG"));
    // This year's figures: only its completed quarters, never a moving one.
    let this_year = (last_year + 1).to_string();
    let out = ak_jurok(
        &["stats", "--year", &this_year, "--lang", "ru"],
        &[("AKJ_DATA_DIR", data.to_str().unwrap())],
        "",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains(&format!("Обращения за {this_year}.")),
        "{stdout}"
    );
    let out = ak_jurok(
        &["stats", "--year", &year, "--lang", "xx"],
        &[("AKJ_DATA_DIR", data.to_str().unwrap())],
        "",
    );
    assert_one_line_error(&out, "no language");
}

#[test]
fn keygen_makes_a_private_key_and_never_overwrites_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("new.key");
    let out = ak_jurok(&["keygen", key.to_str().unwrap()], &[], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made = std::fs::read(&key).unwrap();
    assert_eq!(made.len(), 32);
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let out = ak_jurok(&["keygen", key.to_str().unwrap()], &[], "");
    assert_one_line_error(&out, "is never overwritten");
    assert_eq!(std::fs::read(&key).unwrap(), made);
}

/// Every byte of the files under `dir`.
fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(all_bytes(&path));
        } else {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

#[test]
fn a_backup_carries_only_live_rows_never_the_keys_and_purge_runs_offline() {
    let dir = tempfile::tempdir().unwrap();
    let code = data_with_a_request(dir.path());
    let data = dir.path().join("data");
    let key = dir.path().join("master.key");
    let ring = dir.path().join("ak-jurok.keyring");
    let keys = std::sync::Arc::new(ak_jurok::crypto::Keys::load_or_create(&key).unwrap());
    // Her request is erased: sled's files may still hold the old rows.
    {
        let store = ak_jurok::store::Store::open(&data, &ring, 1, keys.clone()).unwrap();
        store
            .erase(&keys.pseudonym(1), false, chrono::Utc::now())
            .unwrap();
    }
    let needle = format!("\"code\":\"{code}\"");
    let held_before = all_bytes(&data)
        .windows(needle.len())
        .any(|w| w == needle.as_bytes());
    let env = [
        ("AKJ_DATA_DIR", data.to_str().unwrap()),
        ("AKJ_KEY_FILE", key.to_str().unwrap()),
    ];
    let copy = dir.path().join("backup");
    let out = ak_jurok(&["backup", copy.to_str().unwrap()], &env, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copied = all_bytes(&copy);
    assert!(
        !copied.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "an erased row travelled (it was in the live files: {held_before})"
    );
    assert!(!copy.join("ak-jurok.keyring").exists() && !copy.join("master.key").exists());
    // The copy is a database the bot opens (with the key and keyring kept
    // apart) — here with a copy of the ring, since opening it moves the ring
    // on, and the live folder would then be the older one.
    let ring_copy = dir.path().join("ring-copy.keyring");
    std::fs::copy(&ring, &ring_copy).unwrap();
    std::fs::copy(
        dir.path().join("ak-jurok.keyring.wrap"),
        dir.path().join("ring-copy.keyring.wrap"),
    )
    .unwrap();
    let restored = ak_jurok::store::Store::open(&copy, &ring_copy, 1, keys.clone());
    assert!(restored.is_ok(), "{:?}", restored.err());
    drop(restored);
    // Not into a folder that holds something; not while a bot holds the data.
    let out = ak_jurok(&["backup", copy.to_str().unwrap()], &env, "");
    assert_one_line_error(&out, "is not empty");
    // A folder that cannot be made: the error names its absolute path.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let nested = file.join("backup");
    let out = ak_jurok(&["backup", nested.to_str().unwrap()], &env, "");
    assert_one_line_error(&out, &nested.display().to_string());
    let held = ak_jurok::store::Store::open(&data, &ring, 1, keys).unwrap();
    let out = ak_jurok(
        &["backup", dir.path().join("other").to_str().unwrap()],
        &env,
        "",
    );
    // … and says how to ask the running bot instead.
    assert_one_line_error(&out, "ask it for a backup instead");
    assert_one_line_error(&out, "systemctl kill -s USR1 ak-jurok");
    drop(held);
    let out = ak_jurok(&["purge"], &env, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("purge: "));
}

#[test]
fn check_looks_at_everything_a_start_needs_one_line_each_and_fails_on_errors() {
    use std::os::unix::fs::PermissionsExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let api = runtime.block_on(fake_bot_api::FakeBotApi::start());
    api.never_started(5_550_000_901);
    let dir = tempfile::tempdir().unwrap();
    data_with_a_request(dir.path());
    let (data, key, ring) = (
        dir.path().join("data"),
        dir.path().join("master.key"),
        dir.path().join("ak-jurok.keyring"),
    );
    let url = api.url();
    let env = [
        ("TELOXIDE_TOKEN", "123456:SECRET-TOKEN"),
        ("TELOXIDE_API_URL", url.as_str()),
        ("AKJ_DATA_DIR", data.to_str().unwrap()),
        ("AKJ_KEY_FILE", key.to_str().unwrap()),
        ("AKJ_KEYRING", ring.to_str().unwrap()),
        ("AKJ_STAFF_IDS", "5550000900,5550000901"),
    ];
    let out = ak_jurok(&["check"], &env, "");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        format!("✓ master key {}", key.display()),
        format!("✓ keyring {} and its .wrap", ring.display()),
        format!("✓ data folder {}", data.display()),
        "✓ database: 1 request(s); queue, codes and counters agree".to_string(),
        "✓ token: the Bot API answers as @fake_bot".to_string(),
        "! staff member staff2 has not written to the bot yet: ask them to send /start".to_string(),
        "! nobody is on call".to_string(),
        "! no staff chat (staff_chat)".to_string(),
    ] {
        assert!(stdout.contains(&line), "{line}\n{stdout}");
    }
    assert!(!stdout.contains("staff member staff1"), "{stdout}");
    assert!(
        !stdout.contains("SECRET-TOKEN") && !stdout.contains("5550000901"),
        "{stdout}"
    );
    assert!(stdout.contains("✓ updates by long polling"), "{stdout}");
    // The staff chat: a group the bot is in, one it cannot see, a private chat.
    api.group(-100_555);
    for (chat, said) in [
        ("-100555", "✓ staff chat: a group the bot is in"),
        ("-100556", "✗ staff chat: the bot cannot see it"),
        ("5550000900", "✗ staff_chat is not a group"),
    ] {
        let mut with_chat = env.to_vec();
        with_chat.push(("AKJ_STAFF_CHAT", chat));
        let out = ak_jurok(&["check"], &with_chat, "");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(stdout.contains(said), "{said}\n{stdout}");
        assert!(!stdout.contains(chat), "the chat id is not shown: {stdout}");
    }
    // A refused token is told apart from a network that does not reach Telegram.
    api.inject("getMe", fake_bot_api::Fault::Unauthorized, 1);
    let out = ak_jurok(&["check"], &env, "");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.contains("✗ token: Telegram refused it"), "{stdout}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut unreachable = env.to_vec();
    unreachable.retain(|(k, _)| *k != "TELOXIDE_API_URL");
    unreachable.push(("TELOXIDE_API_URL", nowhere.as_str()));
    let out = ak_jurok(&["check"], &unreachable, "");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        stdout.contains("✗ token: the Bot API cannot be reached (network)"),
        "{stdout}"
    );
    // The rules `run` applies: a setting appended below a language table, a log
    // level the log does not know.
    let file = dir.path().join("bot.toml");
    for (text, said) in [
        (
            "[center.name]\nru = \"Ак-Журок\"\ndefault_language = \"ru\"\n",
            "✗ [center.name] has `default_language`",
        ),
        ("log_level = \"verbose\"\n", "✗ log_level is `verbose`"),
        (
            "metrics = \"0.0.0.0:9090\"\n",
            "✗ metrics on 0.0.0.0:9090: not a loopback address",
        ),
    ] {
        std::fs::write(&file, text).unwrap();
        let out = ak_jurok(&["check", "--config", file.to_str().unwrap()], &env, "");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(!out.status.success(), "{stdout}");
        assert!(stdout.contains(said), "{said}\n{stdout}");
    }
    // Webhook settings: a URL Telegram refuses is an error; a taken address
    // and one open beyond this machine are warnings.
    let out = ak_jurok(
        &["check", "--webhook", "http://bot.example.org/h"],
        &env,
        "",
    );
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("✗ the webhook URL") && l.contains("https")),
        "{stdout}"
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = ak_jurok(
        &[
            "check",
            "--webhook",
            "https://bot.example.org/h",
            "--listen",
            &addr,
        ],
        &env,
        "",
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("✓ webhook https://bot.example.org/h, forwarded by the reverse proxy to")
            && stdout.contains(&format!("! {addr} is taken")),
        "{stdout}"
    );
    let out = ak_jurok(
        &[
            "check",
            "--webhook",
            "https://bot.example.org/h",
            "--listen",
            "0.0.0.0:0",
        ],
        &env,
        "",
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.contains("reachable beyond this machine"), "{stdout}");
    // A webhook set elsewhere while the bot would poll: said, not an error.
    runtime.block_on(async {
        use teloxide::prelude::*;
        let bot = Bot::new("123456:SECRET-TOKEN").set_api_url(url.parse().unwrap());
        bot.set_webhook("https://old.example.org/x".parse().unwrap())
            .await
            .unwrap();
    });
    let out = ak_jurok(&["check"], &env, "");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "! Telegram posts updates to the webhook https://old.example.org/x: a start in long polling mode removes it"
        ),
        "{stdout}"
    );
    // A key others can read: one line says what to fix, and the check fails.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = ak_jurok(&["check"], &env, "");
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("✗ ") && l.contains("chmod 600")),
        "{stdout}"
    );
    drop(runtime);
}

#[test]
fn screens_renders_every_screen_and_every_message_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("all.html");
    let out = ak_jurok(&["screens", "--out", file.to_str().unwrap()], &[], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&file).unwrap();
    let (screens, messages) = html.split_once("<h1>Every message</h1>").unwrap();
    // A column per language.
    for lang in ["ky", "ru", "uz"] {
        assert!(screens.contains(&format!("<th>{lang}</th>")), "{lang}");
    }
    // Her screens, reached by her buttons and typing, each text with its id.
    for id in [
        "first-contact",
        "welcome",
        "menu-title",
        "danger-now",
        "language-choose",
        "help-topics",
        "category-legal",
        "category-psychological",
        "safety-plan",
        "shelter-about",
        "shelter-available",
        "shelter-few",
        "shelter-full",
        "shelter-unknown-no-phone",
        "covid-1",
        "covid-6",
        "wizard-topic",
        "wizard-urgency",
        "wizard-contact",
        "wizard-phone",
        "wizard-safe-time",
        "wizard-if-other",
        "wizard-code-word",
        "wizard-description",
        "wizard-summary",
        "wizard-change",
        "my-request-none",
        "erase-confirm",
        "unexpected-media",
        "free-text",
        "stale-button",
        "unknown-command",
        "wizard-phone-not-a-number",
        "wizard-description-too-long",
    ] {
        assert!(
            screens.contains(&format!("<code>{id}</code>")),
            "no screen shows {id}"
        );
    }
    // Every message of every folder, with no formatting error.
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/ru");
    let mut count = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in source.lines() {
            if let Some((id, _)) = line.split_once(" =") {
                if !id.starts_with('#') && !id.starts_with(' ') && !id.is_empty() {
                    assert!(
                        messages.contains(&format!("<h2><code>{id}</code></h2>")),
                        "{id} missing"
                    );
                    count += 1;
                }
            }
        }
    }
    assert!(count > 300, "{count}");
    assert!(!html.contains("(error"), "a message failed to format");
    // One language alone.
    let out = ak_jurok(&["screens", "--lang", "uz"], &[], "");
    let alone = String::from_utf8_lossy(&out.stdout);
    assert!(alone.contains("<th>uz</th>") && !alone.contains("<th>ru</th>"));
    assert!(alone.contains("Ҳозир ёрдам керак"));
}

#[test]
fn the_demo_lets_a_supervisor_try_the_supervisor_tools() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key = dir.path().join("master.key");
    let env = [
        ("AKJ_DATA_DIR", data.to_str().unwrap()),
        ("AKJ_KEY_FILE", key.to_str().unwrap()),
    ];
    let out = ak_jurok(
        &["demo"],
        &env,
        ":staff aigul\n/claims\n:supervisor boss\n/claims\n/audit K7QX\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Staff: refused by name; the supervisor: answered.
    assert!(
        stdout.contains("Бул буйрук жетекчилер үчүн гана."),
        "{stdout}"
    );
    assert!(stdout.contains("(you are now supervisor boss)"), "{stdout}");
    assert!(
        stdout.contains("Азыр эч кимде алынган өтүнүч жок."),
        "{stdout}"
    );
    assert!(stdout.contains("K7QX өтүнүчү жок"), "{stdout}");
}
