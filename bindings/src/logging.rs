//! Forwards the core's `tracing` output to a log sink the shell implements (Logcat,
//! os_log). The core never logs personal data, so what arrives here is safe to keep.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// Severity of a log record. A release build of the library emits `Info` and above
/// only (Debug and Trace are compiled out to keep the phone's library small); debug
/// builds emit every level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// One log line from the core.
#[derive(Debug, Clone, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    /// The Rust module that logged it, e.g. `layanan_device::store`.
    pub target: String,
    /// The message followed by its fields (`key=value`).
    pub message: String,
}

/// Receives the core's log records. Called from background threads.
#[uniffi::export(with_foreign)]
pub trait LogSink: Send + Sync {
    fn log(&self, record: LogRecord);
}

struct Sink {
    sink: Arc<dyn LogSink>,
    max: LogLevel,
}

fn current() -> &'static RwLock<Option<Sink>> {
    static SINK: OnceLock<RwLock<Option<Sink>>> = OnceLock::new();
    SINK.get_or_init(|| RwLock::new(None))
}

fn level_of(level: &Level) -> LogLevel {
    match *level {
        Level::ERROR => LogLevel::Error,
        Level::WARN => LogLevel::Warn,
        Level::INFO => LogLevel::Info,
        Level::DEBUG => LogLevel::Debug,
        Level::TRACE => LogLevel::Trace,
    }
}

/// Sends the core's logs at `max_level` and above to `sink`. Call once at start-up;
/// a later call replaces the sink and level.
#[uniffi::export]
pub fn init_logging(sink: Arc<dyn LogSink>, max_level: LogLevel) {
    if let Ok(mut slot) = current().write() {
        *slot = Some(Sink {
            sink,
            max: max_level,
        });
    }
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(ForwardLayer);
        // Fails only if the host process already set a global subscriber (e.g. a Rust
        // host embedding this library); its subscriber then keeps the logs.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

struct ForwardLayer;

impl<S: Subscriber> Layer<S> for ForwardLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let Ok(guard) = current().read() else {
            return;
        };
        let Some(sink) = guard.as_ref() else {
            return;
        };
        let level = level_of(event.metadata().level());
        if level > sink.max {
            return;
        }
        let mut visitor = MessageVisitor::default();
        event.record(&mut visitor);
        sink.sink.log(LogRecord {
            level,
            target: event.metadata().target().to_owned(),
            message: visitor.finish(),
        });
    }
}

#[derive(Default)]
struct MessageVisitor {
    message: String,
    fields: String,
}

impl MessageVisitor {
    fn finish(self) -> String {
        if self.fields.is_empty() {
            self.message
        } else if self.message.is_empty() {
            self.fields
        } else {
            format!("{} {}", self.message, self.fields)
        }
    }
}

impl Visit for MessageVisitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            if !self.fields.is_empty() {
                self.fields.push(' ');
            }
            let _ = write!(self.fields, "{}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            if !self.fields.is_empty() {
                self.fields.push(' ');
            }
            let _ = write!(self.fields, "{}={value}", field.name());
        }
    }
}
