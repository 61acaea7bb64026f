//! The texts: same ids in every language, every message formats, plurals follow
//! CLDR (Kyrgyz one/other; Russian one/few/many/other), Telegram's limits hold.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ak_jurok::i18n::Locales;
use fluent_bundle::{FluentArgs, FluentValue};
use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};

fn locales() -> Locales {
    Locales::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("locales"),
        "ky",
    )
    .unwrap()
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn required(lang: &str) -> BTreeSet<&'static str> {
    match lang {
        "ky" => ["one", "other"].into(),
        "ru" => ["one", "few", "many", "other"].into(),
        "uz" => ["one", "other"].into(),
        other => panic!("add the CLDR plural categories of {other} here"),
    }
}

/// Variables and plural selects of a pattern, recursively.
fn walk<'s>(
    pattern: &Pattern<&'s str>,
    vars: &mut BTreeSet<&'s str>,
    selects: &mut Vec<BTreeSet<String>>,
) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            walk_expression(expression, vars, selects);
        }
    }
}

fn walk_expression<'s>(
    expression: &Expression<&'s str>,
    vars: &mut BTreeSet<&'s str>,
    selects: &mut Vec<BTreeSet<String>>,
) {
    match expression {
        Expression::Select { selector, variants } => {
            walk_inline(selector, vars, selects);
            let keys: BTreeSet<String> = variants
                .iter()
                .filter_map(|v| match &v.key {
                    VariantKey::Identifier { name } => Some(name.to_string()),
                    VariantKey::NumberLiteral { .. } => None,
                })
                .collect();
            if keys.iter().any(|k| CATEGORIES.contains(&k.as_str())) {
                selects.push(keys);
            }
            for variant in variants {
                walk(&variant.value, vars, selects);
            }
        }
        Expression::Inline(inline) => walk_inline(inline, vars, selects),
    }
}

fn walk_inline<'s>(
    inline: &InlineExpression<&'s str>,
    vars: &mut BTreeSet<&'s str>,
    selects: &mut Vec<BTreeSet<String>>,
) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name);
        }
        InlineExpression::Placeable { expression } => walk_expression(expression, vars, selects),
        _ => {}
    }
}

#[test]
fn every_language_has_exactly_the_same_message_ids() {
    let locales = locales();
    assert_eq!(locales.codes(), ["ky", "ru", "uz"]);
    let ky = locales.ids("ky");
    assert!(ky.len() >= ak_jurok::i18n::text::ALL.len());
    assert_eq!(ky, locales.ids("ru"));
    assert_eq!(ky, locales.ids("uz"));
}

#[test]
fn every_message_formats_within_telegram_limits_with_sample_arguments() {
    let locales = locales();
    for lang in locales.codes() {
        for (file, source) in locales.sources(&lang) {
            let resource = fluent_syntax::parser::parse(source.as_str()).unwrap();
            for entry in &resource.body {
                let Entry::Message(message) = entry else {
                    continue;
                };
                let id = message.id.name;
                let mut vars = BTreeSet::new();
                let mut selects = Vec::new();
                if let Some(value) = &message.value {
                    walk(value, &mut vars, &mut selects);
                }
                for sample in [FluentValue::from(3), FluentValue::from("+996 555 000 000")] {
                    let mut args = FluentArgs::new();
                    for var in &vars {
                        args.set(*var, sample.clone());
                    }
                    let text = locales
                        .try_format(&lang, id, &args)
                        .unwrap_or_else(|e| panic!("{}: {id}: {e:?}", file.display()));
                    assert!(!text.trim().is_empty(), "{lang}/{id} is empty");
                    assert!(
                        text.chars().count() <= 4096,
                        "{lang}/{id} is over 4096 characters"
                    );
                    let is_label = [
                        "menu-",
                        "button-",
                        "language-name",
                        "language-current",
                        "cmd-",
                    ]
                    .iter()
                    .any(|p| id.starts_with(p))
                        && id != "menu-title";
                    if is_label {
                        assert!(
                            text.chars().count() <= 64,
                            "{lang}/{id} label over 64: {text}"
                        );
                    }
                    assert!(
                        !text.contains('\u{2068}') && !text.contains('\u{2069}'),
                        "isolation marks in {lang}/{id}"
                    );
                }
            }
        }
    }
}

#[test]
fn plural_selects_cover_the_cldr_categories_of_each_language() {
    let locales = locales();
    for lang in locales.codes() {
        let mut found = 0;
        for (file, source) in locales.sources(&lang) {
            let resource = fluent_syntax::parser::parse(source.as_str()).unwrap();
            for entry in &resource.body {
                let Entry::Message(message) = entry else {
                    continue;
                };
                let mut selects = Vec::new();
                if let Some(value) = &message.value {
                    walk(value, &mut BTreeSet::new(), &mut selects);
                }
                for keys in selects {
                    found += 1;
                    let keys: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
                    assert_eq!(
                        keys,
                        required(&lang),
                        "{}: {}",
                        file.display(),
                        message.id.name
                    );
                }
            }
        }
        assert!(found > 0, "{lang} shows at least one counted number");
    }
}

fn hours(lang: &str, n: i64) -> String {
    let mut args = FluentArgs::new();
    args.set("hours", n);
    args.set("days", 30);
    args.set("grace", 7);
    locales()
        .try_format(lang, "welcome-privacy", &args)
        .unwrap()
}

#[test]
fn russian_hours_take_the_right_form() {
    for (n, form) in [
        (1, "1 час."),
        (2, "2 часа."),
        (5, "5 часов."),
        (11, "11 часов."),
        (21, "21 час."),
        (22, "22 часа."),
        (25, "25 часов."),
    ] {
        let text = hours("ru", n);
        assert!(
            text.contains(&format!("забывает через {form}")),
            "{n}: {text}"
        );
    }
}

#[test]
fn kyrgyz_hours_keep_one_form() {
    for n in [1, 2, 5, 11, 21, 22, 25] {
        let text = hours("ky", n);
        assert!(
            text.contains(&format!("жоопторду {n} сааттан кийин")),
            "{n}: {text}"
        );
    }
}

#[test]
fn every_screen_fits_telegram_limits_in_every_language() {
    use ak_jurok::config::Center;
    use ak_jurok::conversation::{self, Dialogue, Screen};
    use ak_jurok::domain::phone::Phone;
    use ak_jurok::domain::request::Topic;
    use ak_jurok::domain::request::{
        ContactMethod, RequestView, SafeTime, Submission, Urgency, ViewState,
    };
    use ak_jurok::ui::render::Rendered;
    use chrono::{TimeZone, Utc};

    let locales = locales();
    let mut center = Center {
        phones: vec!["+996 (3222) 5-55-55".into(), "+996 700 123 456".into()],
        call_from: vec!["+996 3222 5-55-56".into()],
        schedule: Some(
            toml::from_str("days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nopens = \"09:00\"\ncloses = \"18:00\"\n")
                .unwrap(),
        ),
        ..Center::default()
    };
    for lang in locales.codes() {
        center
            .hours
            .insert(lang.clone(), "Дүйшөмбү–жума, 9:00–18:00".into());
        center
            .working_hours
            .insert(lang.clone(), "9:00–18:00".into());
    }
    let languages = locales.codes();
    let views: Vec<Option<RequestView>> = std::iter::once(None)
        .chain(
            [
                ViewState::Waiting { ahead: 0 },
                ViewState::Waiting { ahead: 21 },
                ViewState::Claimed,
                ViewState::Closed,
                ViewState::Cancelled,
            ]
            .into_iter()
            .map(|state| {
                Some(RequestView {
                    code: "K7Q3".into(),
                    state,
                    topic: Topic::Other,
                    urgency: Urgency::DangerNow,
                    contact: ContactMethod::Call,
                    safe_time: SafeTime::Afternoon,
                    phone_masked: Some("+996 ••• ••• 456".into()),
                    if_other: None,
                    code_word: Some("подсолнух".into()),
                    description: None,
                })
            }),
        )
        .collect();
    let mut checked = 0;
    let mut check = |lang: &str, what: &str, shown: Rendered| {
        assert!(shown.text.chars().count() <= 4096, "{lang} {what}");
        assert!(!shown.text.contains('{'), "{lang} {what}: {}", shown.text);
        for button in shown.keyboard.iter().flatten() {
            checked += 1;
            assert!(button.data.len() <= 64, "{lang} {what}: {}", button.data);
            assert!(
                button.label.chars().count() <= 64,
                "{lang} {what}: {}",
                button.label
            );
            assert!(
                !button.label.contains('{'),
                "{lang} {what}: {}",
                button.label
            );
            assert!(
                ak_jurok::ui::button_data::decode(&button.data).is_some(),
                "{}",
                button.data
            );
        }
    };
    // Wednesday 10:00 in Osh (open), Wednesday 20:00 (tomorrow), Saturday (Monday).
    let moments = [
        Utc.with_ymd_and_hms(2026, 4, 8, 4, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 4, 8, 14, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 4, 11, 6, 0, 0).unwrap(),
    ];
    for lang in &languages {
        for moment in moments {
            for view in &views {
                let ctx = ctx_at(&center, &languages, moment, view.clone());
                for screen in conversation::every_screen() {
                    let drafts = if screen == Screen::Wizard {
                        conversation::sample_drafts()
                    } else {
                        vec![Default::default()]
                    };
                    for draft in drafts {
                        let dialogue = Dialogue {
                            lang: lang.clone(),
                            screen,
                            updated_at: ctx.now,
                            draft: Some(draft),
                        };
                        let reply = conversation::render(&dialogue, &ctx);
                        check(
                            lang,
                            &format!("{screen:?}"),
                            ak_jurok::ui::render::render(&locales, &center, lang, &reply),
                        );
                    }
                }
                for (urgency, contact) in [
                    (Urgency::DangerNow, ContactMethod::Call),
                    (Urgency::CanWait, ContactMethod::Telegram),
                ] {
                    let submission = Submission {
                        topic: Topic::Shelter,
                        urgency,
                        contact,
                        safe_time: SafeTime::Any,
                        if_other: None,
                        phone: Phone::parse("+79161234567").ok(),
                        phone_not_own: false,
                        code_word: None,
                        description: None,
                    };
                    for ahead in [0, 1, 3, 11, 25] {
                        let [reply] = conversation::answer(
                            &conversation::Event::Queued {
                                code: "K7Q3".into(),
                                ahead,
                                submission: submission.clone(),
                                replaced: ahead == 3,
                                reachable: ahead == 1,
                                answered_in: match ahead {
                                    11 => vec!["ru".into()],
                                    25 => vec!["ky".into(), "ru".into()],
                                    _ => Vec::new(),
                                },
                            },
                            &ctx,
                        )
                        .try_into()
                        .unwrap();
                        check(
                            lang,
                            "sent",
                            ak_jurok::ui::render::render(&locales, &center, lang, &reply),
                        );
                    }
                }
                check(
                    lang,
                    "apology",
                    ak_jurok::ui::render::render(
                        &locales,
                        &center,
                        lang,
                        &conversation::apology(lang, &ctx),
                    ),
                );
                check(
                    lang,
                    "already",
                    ak_jurok::ui::render::render(
                        &locales,
                        &center,
                        lang,
                        &conversation::answer(&conversation::Event::NotQueued, &ctx)[0],
                    ),
                );
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}

/// The core's context at `now`, for rendering outside a running bot.
fn ctx_at<'a>(
    center: &'a ak_jurok::config::Center,
    languages: &'a [String],
    now: chrono::DateTime<chrono::Utc>,
    my_request: Option<ak_jurok::domain::request::RequestView>,
) -> ak_jurok::conversation::Ctx<'a> {
    ak_jurok::conversation::Ctx {
        my_request,
        ..ak_jurok::conversation::Ctx::defaults(now, center, languages, "ky", &WINDOWS)
    }
}

static WINDOWS: std::sync::LazyLock<ak_jurok::domain::schedule::ContactWindows> =
    std::sync::LazyLock::new(Default::default);

#[test]
fn the_confirmation_tells_when_the_center_opens_in_her_language() {
    use ak_jurok::config::Center;
    use ak_jurok::conversation;
    use ak_jurok::domain::request::Topic;
    use ak_jurok::domain::request::{ContactMethod, SafeTime, Submission, Urgency};
    use chrono::{TimeZone, Utc};

    let locales = locales();
    let center = Center {
        schedule: Some(toml::from_str("days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nopens = \"09:00\"\ncloses = \"18:00\"\n").unwrap()),
        ..Center::default()
    };
    let languages = locales.codes();
    let submission = Submission {
        topic: Topic::Legal,
        urgency: Urgency::CanWait,
        contact: ContactMethod::Telegram,
        safe_time: SafeTime::Any,
        if_other: None,
        phone: None,
        phone_not_own: false,
        code_word: None,
        description: None,
    };
    let text = |lang: &str, now, safe_time| {
        let ctx = ctx_at(&center, &languages, now, None);
        ak_jurok::ui::render::render(
            &locales,
            &center,
            lang,
            &conversation::answer(
                &conversation::Event::Queued {
                    code: "K7Q3".into(),
                    ahead: 2,
                    submission: Submission {
                        safe_time,
                        ..submission.clone()
                    },
                    replaced: false,
                    reachable: false,
                    answered_in: Vec::new(),
                },
                &ctx,
            )[0],
        )
        .text
    };
    // Saturday noon in Osh is 06:00 UTC: Monday, from the opening or from
    // her window, whichever is later — and only a try.
    let saturday = Utc.with_ymd_and_hms(2026, 4, 11, 6, 0, 0).unwrap();
    let ru = text("ru", saturday, SafeTime::Any);
    assert!(
        ru.contains("Специалист постарается связаться с вами в понедельник с 09:00, в выбранное вами время (8:00–21:00)."),
        "{ru}"
    );
    assert!(ru.contains("звоните 102 или 112"), "{ru}");
    assert!(ru.contains("Перед вами 2 заявки."), "{ru}");
    let evening = text("ru", saturday, SafeTime::Evening);
    assert!(
        evening.contains("в понедельник с 17:00, в выбранное вами время (17:00–21:00)"),
        "{evening}"
    );
    let ky = text("ky", saturday, SafeTime::Any);
    assert!(ky.contains("(8:00–21:00)"), "{ky}");
    assert!(ky.contains("Эң эрте — дүйшөмбү күнү, саат 09:00."), "{ky}");
    // Wednesday 10:00 in Osh: now, if her window is open; else from its start.
    let wednesday = Utc.with_ymd_and_hms(2026, 4, 8, 4, 0, 0).unwrap();
    let open = text("ru", wednesday, SafeTime::Morning);
    assert!(
        open.contains("постарается связаться с вами сегодня, в выбранное вами время (8:00–12:00)"),
        "{open}"
    );
    assert!(
        !open.contains("102"),
        "no emergency line for a request that can wait, in hours"
    );
    let later = text("ru", wednesday, SafeTime::Afternoon);
    assert!(
        later.contains("сегодня с 12:00, в выбранное вами время (12:00–17:00)"),
        "{later}"
    );
    // Evening, but the center closes at 18:00: from 17:00 today.
    let evening = text("ky", wednesday, SafeTime::Evening);
    assert!(
        evening.contains("Эң эрте — бүгүн, саат 17:00."),
        "{evening}"
    );
    // Every expectation, in every language and at every hour of a week, names
    // her window, and never promises ("will try").
    for lang in locales.codes() {
        for hour in (0..7 * 24).step_by(5) {
            let now = saturday + chrono::Duration::hours(hour);
            for time in SafeTime::ALL {
                let (from, to) = WINDOWS.of(time).shown();
                let said = text(lang.as_str(), now, time);
                assert!(
                    said.contains(&format!("({from}–{to})")),
                    "{lang} {now} {time:?}: {said}"
                );
            }
        }
    }
}

#[test]
fn the_built_in_texts_are_the_locale_folders() {
    let built_in = Locales::embedded("ky").unwrap();
    let folder = Locales::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("locales"),
        "ky",
    )
    .unwrap();
    assert_eq!(built_in.codes(), folder.codes());
    for lang in folder.codes() {
        assert_eq!(built_in.ids(&lang), folder.ids(&lang), "{lang}");
        let texts =
            |l: &Locales| -> Vec<String> { l.sources(&lang).into_iter().map(|(_, s)| s).collect() };
        assert_eq!(texts(&built_in), texts(&folder), "{lang}");
    }
}

/// The safety sentences a native review found wrong, as they were fixed: each
/// must not silently come back (`../shared/reviews/language.md`, U-E1, U-E2,
/// K-E1, U-E5, K-E2, U-E6, and the apology with the numbers).
#[test]
fn the_reviewed_safety_sentences_stay_fixed() {
    let locales = locales();
    let say = |lang: &str, id: &str| {
        let mut args = FluentArgs::new();
        args.set("center", "Ак-Жүрөк");
        locales.try_format(lang, id, &args).unwrap()
    };
    for (lang, id, must, must_not) in [
        // "Women who are dangerous at home" → women in danger at home.
        (
            "uz",
            "shelter-who",
            "уйида хавф остида бўлган",
            "уйда хавфли",
        ),
        ("ky", "shelter-who", "үйүндө коркунуч бар", "коопсуз эмес"),
        // "The number went astray" was not Uzbek.
        (
            "uz",
            "if-other-wrong-number",
            "Рақамни адашиб терибман",
            "адашибди",
        ),
        // "Could not make the call" → called several times and could not reach her.
        (
            "ky",
            "my-request-unreachable",
            "чалды, бирок",
            "чала алган жок",
        ),
        (
            "uz",
            "my-request-unreachable",
            "қўнғироқ қилди, лекин",
            "қила олмади",
        ),
        // "Violence is not an ordinary thing" → violence is not acceptable.
        ("ky", "covid-6", "зомбулукка жол берилбейт", "кадимки"),
        (
            "uz",
            "covid-6",
            "зўравонликка йўл қўйиб бўлмайди",
            "оддий ҳол",
        ),
        ("ru", "covid-6", "насилие — это ненормально", "обычн"),
        // The danger button is spelled in Uzbek, not Kyrgyz.
        ("uz", "button-danger", "Ҳозир ёрдам керак", "керек"),
    ] {
        let text = say(lang, id);
        assert!(text.contains(must), "{lang}/{id}: {text}");
        assert!(!text.contains(must_not), "{lang}/{id}: {text}");
    }
    for lang in ["ky", "ru", "uz"] {
        let apology = say(lang, "apology");
        for number in ["102", "103", "112"] {
            assert!(apology.contains(number), "{lang}/apology: {apology}");
        }
        // What her chat list shows, by name, not "a neutral name".
        let hide = say(lang, "welcome-hide-erase");
        assert!(hide.contains(&say(lang, "bot-name")), "{lang}: {hide}");
    }
}
