//! Measuring helpers shared by the benches (`#[path]`-included by each; not a
//! bench of its own).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The median of `times` (the upper one of an even count).
pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// `a` over `b`.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// `12.3 ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Peak resident memory, in KiB, of `program` reading `input`, run in `dir`
/// (else here), from `/usr/bin/time -f %M` (Debian package `time`).
pub fn max_rss_kib(program: &Path, input: &Path, dir: Option<&Path>) -> Result<u64, String> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return Err("no /usr/bin/time; apt-get install time".into());
    }
    let report = std::env::temp_dir().join(format!("bench-rss-{}", std::process::id()));
    let mut command = Command::new(time);
    command.args(["-f", "%M", "-o"]).arg(&report).arg(program);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let status = command
        .stdin(File::open(input).map_err(|e| e.to_string())?)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&report);
    if !status.success() {
        return Err(format!("failed: {text}"));
    }
    text.trim()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| format!("unexpected output {text:?}"))
}

/// Captures `[context, book]` exactly as mdBook sends it to the preprocessor
/// `name` of the book in `dir`, into `to`: mdBook runs with that preprocessor's
/// command replaced (through an `MDBOOK_`-prefixed variable, which mdBook reads
/// as a config override and splits like a shell line) by one that saves its
/// input and fails, so mdBook stops before rendering; `html` is the build
/// directory it is given, so that `dir`'s own is not touched. Errors: mdBook did
/// not run the command, with its stderr.
pub fn capture_input(dir: &Path, name: &str, to: &Path, html: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_file(to);
    let script = format!(
        "if [ \"$1\" = supports ]; then exit 0; fi; cat > '{}'; exit 1",
        to.display()
    );
    let command = format!("sh -c '{}' capture", script.replace('\'', "'\\''"));
    let output = Command::new("mdbook")
        .current_dir(dir)
        .args(["build", "--dest-dir"])
        .arg(html)
        .env(
            format!("MDBOOK_PREPROCESSOR__{}__COMMAND", name.to_uppercase()),
            command,
        )
        .output()
        .map_err(|e| format!("cannot run mdbook: {e}"))?;
    if to.metadata().is_ok_and(|m| m.len() > 0) {
        Ok(to.to_path_buf())
    } else {
        Err(format!(
            "mdbook did not run the capturing preprocessor: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
