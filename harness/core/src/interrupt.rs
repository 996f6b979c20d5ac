//! SIGINT and SIGTERM during `run` and `gate`: noted by the handler, acted on between events.
//!
//! An interrupted gate must leave reports that a reader (or `merge`) can trust, so nothing is
//! done inside the signal handler: it only records which signal came (signal-hook's flag). The
//! supervisor waits for its worker's events in short slices and looks at the flag between
//! them; when it is set, it stops the worker and returns [`ErrorKind::Interrupted`], the gate
//! writes its reports whole (each file replaced atomically, see `gate::Reports`), and the CLI
//! exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as shells expect.
//!
//! [`ErrorKind::Interrupted`]: crate::error::ErrorKind::Interrupted

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use signal_hook::consts::{SIGINT, SIGTERM};

/// The signal received, or 0; registered once per process.
static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Starts noting SIGINT and SIGTERM instead of dying of them. Idempotent.
pub(crate) fn install() -> std::io::Result<()> {
    if RECEIVED.get().is_some() {
        return Ok(());
    }
    let flag = Arc::clone(RECEIVED.get_or_init(|| Arc::new(AtomicUsize::new(0))));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_usize(signal, Arc::clone(&flag), signal as usize)?;
    }
    Ok(())
}

/// The signal that asked this process to stop, if one did.
pub(crate) fn received() -> Option<i32> {
    let signal = RECEIVED.get()?.load(Ordering::SeqCst);
    i32::try_from(signal).ok().filter(|&signal| signal != 0)
}

/// A signal's name, for messages.
pub(crate) fn name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}
