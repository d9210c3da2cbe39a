//! The panic guard around calls into third-party decoders (quick-xml, flate2, zip):
//! a panic inside one becomes a typed error that names the decoder and where in its source
//! it panicked. racegap's own code runs outside the guard, so a bug in it is never turned
//! into a quiet "file skipped".

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs a guarded call.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last guarded panic on this thread happened (`file:line`), when the hook
    /// is installed.
    static LAST_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}
static HOOK: Once = Once::new();

/// A panic caught inside a third-party decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoderPanic {
    /// The crate that panicked, as named at the guarded call.
    pub decoder: &'static str,
    /// Its panic message.
    pub message: String,
    /// `file:line` of the panic in the decoder's source; "unknown" without the hook.
    pub at: String,
}

/// Runs `f`, a call into `decoder`'s code, turning a panic inside it into `DecoderPanic`.
pub fn third_party<T>(decoder: &'static str, f: impl FnOnce() -> T) -> Result<T, DecoderPanic> {
    let was = GUARDED.with(|g| g.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    r.map_err(|payload| DecoderPanic {
        decoder,
        message: panic_message(payload.as_ref())
            .unwrap_or_else(|| "a panic without a message".into()),
        at: LAST_AT
            .with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "unknown".into()),
    })
}

/// The text a panic was raised with (`panic!("...")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

/// Installs (once) a panic hook that keeps guarded panics off stderr, recording where they
/// happened for the file's error instead; every other panic prints as before.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", crate_relative(l.file()), l.line()));
                LAST_AT.with(|l| *l.borrow_mut() = at);
            } else {
                default(info);
            }
        }));
    });
}

/// A source path from the cargo registry shortened to the crate folder on:
/// `.../registry/src/index.crates.io-x/fitparser-0.11.0/src/de/parser.rs` becomes
/// `fitparser-0.11.0/src/de/parser.rs`. Other paths are kept.
fn crate_relative(file: &str) -> &str {
    let unix = file.replace('\\', "/");
    match unix.find("/registry/src/") {
        Some(i) => {
            let after_index = i + "/registry/src/".len();
            match file[after_index..].find(['/', '\\']) {
                Some(j) => &file[after_index + j + 1..],
                None => file,
            }
        }
        None => file,
    }
}

/// Whether this thread is inside a guarded call (for a test's own panic hook).
pub fn in_guarded_call() -> bool {
    GUARDED.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_becomes_an_error_naming_the_decoder() {
        install_panic_hook();
        let r: Result<(), _> = third_party("somecrate", || panic!("index out of range"));
        let e = r.unwrap_err();
        assert_eq!(e.decoder, "somecrate");
        assert_eq!(e.message, "index out of range");
        assert!(e.at.starts_with("src/guard.rs:"), "{}", e.at);
        assert!(!in_guarded_call());
    }

    #[test]
    fn registry_paths_are_shortened_to_the_crate() {
        assert_eq!(
            crate_relative(
                "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/fitparser-0.11.0/src/de/parser.rs"
            ),
            "fitparser-0.11.0/src/de/parser.rs"
        );
        assert_eq!(crate_relative("src/guard.rs"), "src/guard.rs");
        assert_eq!(
            crate_relative("/rustc/abc/library/core/src/num.rs"),
            "/rustc/abc/library/core/src/num.rs"
        );
    }

    #[test]
    fn a_value_passes_through_and_nested_guards_restore_the_flag() {
        assert_eq!(third_party("a", || 7), Ok(7));
        let inner = third_party("a", || {
            let _ = third_party("b", || panic!("inner"));
            in_guarded_call()
        });
        assert_eq!(inner, Ok(true));
        assert!(!in_guarded_call());
    }

    #[test]
    fn a_panic_outside_the_guard_is_not_caught() {
        install_panic_hook();
        let r = std::panic::catch_unwind(|| {
            let _ = third_party("a", || 1);
            panic!("own code");
        });
        assert!(r.is_err());
    }
}
