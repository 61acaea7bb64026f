//! Loads the locales and formats [`Text`] values.
//!
//! Each folder of `locales/` is a language (`ky`, `ru`; a third is a new folder).
//! The folders are compiled into the binary ([`Locales::embedded`]); a folder given
//! in the configuration replaces them entirely ([`Locales::load`]).
//! Everything is validated at start: a parse error, a duplicate id, a message the
//! code needs but a language lacks, or a message only some languages have, fails
//! with the file or folder and the message id.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::i18n::text::{self, Arg, Text};

#[derive(Debug, thiserror::Error)]
pub enum LocaleError {
    #[error("cannot read locales from {path}: {reason}; fix AKJ_LOCALES_DIR or `locales_dir`, or unset it to use the texts built into the binary")]
    Io { path: PathBuf, reason: String },
    #[error("{path}:{line}: Fluent syntax error: {reason}")]
    Parse {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("{path}: message `{id}` is defined twice")]
    Duplicate { path: PathBuf, id: String },
    #[error(
        "locales/{lang}: message `{id}` is missing (other languages have it, or the code needs it)"
    )]
    Missing { lang: String, id: String },
    #[error("locale folder {path} is not a language code like `ky` or `ru`")]
    BadFolder { path: PathBuf },
    #[error("no language folders in {path}")]
    Empty { path: PathBuf },
    #[error("default language `{lang}` has no folder in {path}")]
    NoDefault { lang: String, path: PathBuf },
}

struct Language {
    code: String,
    bundle: FluentBundle<FluentResource>,
    ids: BTreeSet<String>,
    /// The Fluent sources, kept for the locale tests.
    sources: Vec<(PathBuf, String)>,
}

pub struct Locales {
    languages: Vec<Language>,
    default: usize,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_locales.rs"));
}

/// One language's files: (path shown in errors, Fluent source).
type Sources = Vec<(PathBuf, String)>;

impl Locales {
    /// The texts compiled into the binary, validated like any folder.
    pub fn embedded(default_lang: &str) -> Result<Locales, LocaleError> {
        let mut languages: BTreeMap<&str, Sources> = BTreeMap::new();
        for (lang, file, source) in embedded::EMBEDDED {
            languages.entry(lang).or_default().push((
                Path::new("locales").join(lang).join(file),
                source.to_string(),
            ));
        }
        let languages = languages
            .into_iter()
            .map(|(code, sources)| (code.to_string(), sources))
            .collect();
        Locales::from_sources(languages, Path::new("locales"), default_lang)
    }

    /// The language folders in `dir`, instead of the built-in texts.
    pub fn load(dir: &Path, default_lang: &str) -> Result<Locales, LocaleError> {
        let io = |e: std::io::Error| LocaleError::Io {
            path: dir.to_owned(),
            reason: e.to_string(),
        };
        let mut folders: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();
        let mut languages = Vec::new();
        for folder in folders {
            let code = folder
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            languages.push((code, read_folder(&folder)?));
        }
        Locales::from_sources(languages, dir, default_lang)
    }

    fn from_sources(
        sources: Vec<(String, Sources)>,
        dir: &Path,
        default_lang: &str,
    ) -> Result<Locales, LocaleError> {
        let mut languages = Vec::new();
        for (code, files) in sources {
            languages.push(load_language(code, dir, files)?);
        }
        if languages.is_empty() {
            return Err(LocaleError::Empty {
                path: dir.to_owned(),
            });
        }
        check_parity(&languages)?;
        let default = languages
            .iter()
            .position(|l| l.code == default_lang)
            .ok_or_else(|| LocaleError::NoDefault {
                lang: default_lang.to_string(),
                path: dir.to_owned(),
            })?;
        Ok(Locales { languages, default })
    }

    /// Language codes, in folder order.
    pub fn codes(&self) -> Vec<String> {
        self.languages.iter().map(|l| l.code.clone()).collect()
    }

    pub fn default_code(&self) -> &str {
        &self.languages[self.default].code
    }

    /// The first language without message `id`, if any.
    pub fn lacks(&self, id: text::MsgId) -> Option<&str> {
        self.languages
            .iter()
            .find(|l| l.bundle.get_message(id.0).is_none())
            .map(|l| l.code.as_str())
    }

    pub fn has(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// The language the bot has for a Telegram `language_code` such as `ru-RU`.
    pub fn match_code(&self, telegram_code: Option<&str>) -> Option<String> {
        let primary = telegram_code?
            .split(['-', '_'])
            .next()?
            .to_ascii_lowercase();
        self.has(&primary).then_some(primary)
    }

    /// Formats `text` (and the lines that follow it) in its own language if it
    /// names one, else in `lang`.
    pub fn format(&self, lang: &str, text: &Text) -> String {
        let mut out = self.format_one(lang, text);
        for line in &text.follow {
            out.push('\n');
            out.push_str(&self.format(lang, line));
        }
        out
    }

    fn format_one(&self, lang: &str, text: &Text) -> String {
        let code = text.lang.as_deref().unwrap_or(lang);
        let language = self
            .languages
            .iter()
            .find(|l| l.code == code)
            .unwrap_or(&self.languages[self.default]);
        let mut args = FluentArgs::new();
        for (name, value) in &text.args {
            match value {
                Arg::Str(s) => args.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => args.set(*name, FluentValue::from(*n)),
                Arg::Msg(id) => {
                    let inner = self.format_one(code, &Text::new(*id));
                    args.set(*name, FluentValue::from(inner))
                }
                Arg::MsgIn(id, other) => {
                    let inner = self.format_one(other, &Text::new(*id));
                    args.set(*name, FluentValue::from(inner))
                }
                Arg::List(ids) if ids.is_empty() => args.set(*name, FluentValue::from("—")),
                Arg::List(ids) => {
                    let labels: Vec<String> = ids
                        .iter()
                        .map(|id| self.format_one(code, &Text::new(*id)))
                        .collect();
                    args.set(*name, FluentValue::from(labels.join(", ")))
                }
            }
        }
        let Some(pattern) = language
            .bundle
            .get_message(text.id.0)
            .and_then(|m| m.value())
        else {
            tracing::error!(event = "missing_message", id = text.id.0, lang = code);
            return text.id.0.to_string();
        };
        let mut errors = Vec::new();
        let out = language
            .bundle
            .format_pattern(pattern, Some(&args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(event = "format_error", id = text.id.0, lang = code);
        }
        out.into_owned()
    }

    /// Formats a message by id with raw arguments, reporting Fluent errors (tests).
    pub fn try_format(
        &self,
        lang: &str,
        id: &str,
        args: &FluentArgs,
    ) -> Result<String, Vec<String>> {
        let language = self
            .languages
            .iter()
            .find(|l| l.code == lang)
            .ok_or_else(|| vec![format!("no language {lang}")])?;
        let pattern = language
            .bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(|| vec![format!("no message {id}")])?;
        let mut errors = Vec::new();
        let out = language
            .bundle
            .format_pattern(pattern, Some(args), &mut errors);
        if errors.is_empty() {
            Ok(out.into_owned())
        } else {
            Err(errors.iter().map(|e| e.to_string()).collect())
        }
    }

    /// Message ids of one language.
    pub fn ids(&self, lang: &str) -> BTreeSet<String> {
        self.languages
            .iter()
            .find(|l| l.code == lang)
            .map(|l| l.ids.clone())
            .unwrap_or_default()
    }

    /// The Fluent sources of one language, for checks over the message syntax.
    pub fn sources(&self, lang: &str) -> Vec<(PathBuf, String)> {
        self.languages
            .iter()
            .find(|l| l.code == lang)
            .map(|l| l.sources.clone())
            .unwrap_or_default()
    }
}

fn read_folder(folder: &Path) -> Result<Sources, LocaleError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |e: std::io::Error| LocaleError::Io {
            path,
            reason: e.to_string(),
        }
    };
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(io(folder))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let source = fs::read_to_string(&file).map_err(io(&file))?;
            Ok((file, source))
        })
        .collect()
}

fn load_language(code: String, dir: &Path, files: Sources) -> Result<Language, LocaleError> {
    let langid: LanguageIdentifier = code.parse().map_err(|_| LocaleError::BadFolder {
        path: dir.join(&code),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Isolation marks would leak into Telegram texts and callback data.
    bundle.set_use_isolating(false);
    let mut ids = BTreeSet::new();
    let mut sources = Vec::new();
    for (file, source) in files {
        let resource = FluentResource::try_new(source.clone()).map_err(|(_, errors)| {
            let first = &errors[0];
            LocaleError::Parse {
                path: file.clone(),
                line: source[..first.pos.start.min(source.len())]
                    .matches('\n')
                    .count()
                    + 1,
                reason: first.kind.to_string(),
            }
        })?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                if !ids.insert(m.id.name.to_string()) {
                    return Err(LocaleError::Duplicate {
                        path: file.clone(),
                        id: m.id.name.to_string(),
                    });
                }
            }
        }
        if let Err(errors) = bundle.add_resource(resource) {
            return Err(LocaleError::Parse {
                path: file.clone(),
                line: 0,
                reason: format!("{:?}", errors.first()),
            });
        }
        sources.push((file, source));
    }
    for id in text::ALL {
        if !ids.contains(id.0) {
            return Err(LocaleError::Missing {
                lang: code,
                id: id.0.to_string(),
            });
        }
    }
    Ok(Language {
        code,
        bundle,
        ids,
        sources,
    })
}

fn check_parity(languages: &[Language]) -> Result<(), LocaleError> {
    let all: BTreeSet<&String> = languages.iter().flat_map(|l| &l.ids).collect();
    let mut missing = BTreeMap::new();
    for language in languages {
        if let Some(id) = all.iter().find(|id| !language.ids.contains(**id)) {
            missing.insert(language.code.clone(), (*id).clone());
        }
    }
    match missing.into_iter().next() {
        Some((lang, id)) => Err(LocaleError::Missing { lang, id }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, lang: &str, file: &str, body: &str) {
        fs::create_dir_all(dir.join(lang)).unwrap();
        fs::write(dir.join(lang).join(file), body).unwrap();
    }

    fn all_required(extra: &str) -> String {
        let mut s: String = text::ALL
            .iter()
            .map(|id| format!("{} = x\n", id.0))
            .collect();
        s.push_str(extra);
        s
    }

    #[test]
    fn parse_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ky", "a.ftl", &all_required("broken = { $\n"));
        let err = Locales::load(dir.path(), "ky").err().unwrap();
        let msg = err.to_string();
        assert!(msg.contains("a.ftl:"), "{msg}");
    }

    #[test]
    fn duplicate_id_names_file_and_id() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ky", "a.ftl", &all_required(""));
        write(dir.path(), "ky", "b.ftl", "welcome = again\n");
        let msg = Locales::load(dir.path(), "ky").err().unwrap().to_string();
        assert!(msg.contains("b.ftl") && msg.contains("`welcome`"), "{msg}");
    }

    #[test]
    fn message_missing_in_one_language_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ky", "a.ftl", &all_required("only-here = x\n"));
        write(dir.path(), "ru", "a.ftl", &all_required(""));
        let msg = Locales::load(dir.path(), "ky").err().unwrap().to_string();
        assert!(
            msg.contains("locales/ru") && msg.contains("only-here"),
            "{msg}"
        );
    }

    #[test]
    fn message_needed_by_the_code_is_required() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ky", "a.ftl", "welcome = x\n");
        let msg = Locales::load(dir.path(), "ky").err().unwrap().to_string();
        assert!(msg.contains("is missing"), "{msg}");
    }

    #[test]
    fn telegram_language_codes_match_primary_subtag() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ky", "a.ftl", &all_required(""));
        write(dir.path(), "ru", "a.ftl", &all_required(""));
        let locales = Locales::load(dir.path(), "ky").unwrap();
        assert_eq!(locales.match_code(Some("ru-RU")).as_deref(), Some("ru"));
        assert_eq!(locales.match_code(Some("ky")).as_deref(), Some("ky"));
        assert_eq!(locales.match_code(Some("en")), None);
        assert_eq!(locales.match_code(None), None);
    }
}
