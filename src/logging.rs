//! Logging through `tracing`, with the `log` records of teloxide and other crates
//! bridged in.
//!
//! Our own events carry event kinds and ticket codes only; a line with a code
//! is stamped to the minute, and no line about something she did (sent,
//! wrote, cancelled) names her code. Other crates' messages
//! can hold whole updates (teloxide logs an update it cannot parse, with ids and
//! text), request URLs with the token, or error bodies, so their text is never
//! written: only their level and target.

use std::fmt;

use tracing::{Event, Level, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::fmt::format::{DefaultFields, Format, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("log level {0:?} is not one of error, warn, info, debug, trace (set AKJ_LOG or `log_level`)")]
    Level(String),
    #[error("logging was already set up")]
    AlreadySet,
}

/// Our crate's target prefix; everything else is third-party.
const OURS: &str = "ak_jurok";

struct Redacting {
    inner: Format<tracing_subscriber::fmt::format::Full, ()>,
}

impl<S, N> FormatEvent<S, N> for Redacting
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        if meta.target().starts_with(OURS) {
            // A line that names a ticket code is stamped to the minute: the
            // log is no timeline of a request (her requests' codes are never
            // on a line about something she did).
            let time = if meta.fields().field("code").is_some() {
                "%Y-%m-%dT%H:%MZ"
            } else {
                "%Y-%m-%dT%H:%M:%S%.6fZ"
            };
            write!(writer, "{} ", chrono::Utc::now().format(time))?;
            return self.inner.format_event(ctx, writer, event);
        }
        writeln!(
            writer,
            "{} {:>5} {}: (message of another crate withheld)",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ"),
            meta.level(),
            meta.target()
        )
    }
}

/// Our events at `level`; other crates' never below warn (at debug they would
/// fill the journal with lines whose text is withheld anyway).
fn filter_for(level: Level) -> String {
    let ours = level.to_string().to_lowercase();
    let others = if level == Level::ERROR {
        "error"
    } else {
        "warn"
    };
    format!("{others},{OURS}={ours}")
}

/// Sets up logging to stderr at `level`.
pub fn init(level: &str) -> Result<(), LoggingError> {
    init_with_writer(level, std::io::stderr)
}

/// Sets up logging to `writer` (tests capture logs this way).
pub fn init_with_writer<W>(level: &str, writer: W) -> Result<(), LoggingError>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let parsed: Level = level
        .parse()
        .map_err(|_| LoggingError::Level(level.to_string()))?;
    let filter = EnvFilter::new(filter_for(parsed));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .fmt_fields(DefaultFields::new())
        .event_format(Redacting {
            inner: Format::default().without_time().with_ansi(false),
        })
        .finish();
    tracing::subscriber::set_global_default(subscriber).map_err(|_| LoggingError::AlreadySet)?;
    tracing_log::LogTracer::init().map_err(|_| LoggingError::AlreadySet)?;
    install_panic_hook();
    Ok(())
}

/// A panic's message could hold anything the panicking code had; log only where.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(event = "panic", %location);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_crates_stay_at_warn_when_ours_say_more() {
        assert_eq!(filter_for(Level::DEBUG), "warn,ak_jurok=debug");
        assert_eq!(filter_for(Level::INFO), "warn,ak_jurok=info");
        assert_eq!(filter_for(Level::ERROR), "error,ak_jurok=error");
    }
}
