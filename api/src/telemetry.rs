//! Logging setup: text or JSON lines on stderr, filtered by `RUST_LOG` (default `info`). Colours only for a person at
//! a terminal: a log file or a collector gets plain text.

use crate::config::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colours(std::io::stderr().is_terminal(), std::env::var_os("NO_COLOR").is_some()));
    // A second init (e.g. in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
    };
}

/// Whether log lines carry ANSI colours: only on a terminal, and not when `NO_COLOR` is set (no-color.org).
fn colours(terminal: bool, no_color: bool) -> bool {
    terminal && !no_color
}

#[cfg(test)]
mod tests {
    use super::colours;

    #[test]
    fn colours_only_for_a_terminal_without_no_color() {
        assert!(colours(true, false));
        assert!(!colours(false, false), "a log file gets plain text");
        assert!(!colours(true, true));
    }
}
