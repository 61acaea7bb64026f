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
    assert_eq!(locales.codes(), ["ky", "ru"]);
    let ky = locales.ids("ky");
    assert!(ky.len() >= ak_jurok::text::ALL.len());
    assert_eq!(ky, locales.ids("ru"));
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
        assert!(text.contains(&format!("через {form}")), "{n}: {text}");
    }
}

#[test]
fn kyrgyz_hours_keep_one_form() {
    for n in [1, 2, 5, 11, 21, 22, 25] {
        let text = hours("ky", n);
        assert!(
            text.contains(&format!("бот {n} сааттан кийин")),
            "{n}: {text}"
        );
    }
}

#[test]
fn every_screen_fits_telegram_limits_in_every_language() {
    use ak_jurok::config::Center;
    use ak_jurok::conversation::{self, Ctx, Dialogue};
    use chrono::{Duration, Utc};

    let locales = locales();
    let mut center = Center {
        phones: vec!["+996 (3222) 5-55-55".into(), "+996 700 123 456".into()],
        call_from: vec!["+996 3222 5-55-56".into()],
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
    let ctx = Ctx {
        now: Utc::now(),
        center: &center,
        languages: &languages,
        default_language: "ky",
        language_hint: None,
        draft_ttl: Duration::hours(6),
        shelter: None,
    };
    let mut buttons = 0;
    for lang in &languages {
        for screen in conversation::every_screen() {
            let dialogue = Dialogue {
                lang: lang.clone(),
                screen,
                updated_at: ctx.now,
            };
            let reply = conversation::render(&dialogue, &ctx);
            let shown = ak_jurok::render::render(&locales, &center, lang, &reply);
            assert!(shown.text.chars().count() <= 4096, "{lang} {screen:?}");
            assert!(
                !shown.text.contains("{"),
                "{lang} {screen:?}: {}",
                shown.text
            );
            for button in shown.keyboard.iter().flatten() {
                buttons += 1;
                assert!(
                    button.data.len() <= 64,
                    "{lang} {screen:?}: {}",
                    button.data
                );
                assert!(
                    button.label.chars().count() <= 64,
                    "{lang} {screen:?}: {}",
                    button.label
                );
                assert!(
                    ak_jurok::callback::decode(&button.data).is_some(),
                    "{}",
                    button.data
                );
            }
        }
    }
    assert!(buttons > 50, "{buttons}");
}
