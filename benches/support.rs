//! Measuring helpers shared by the benches (`#[path]`-included by each; not a
//! bench of its own).

use std::fs::File;
use std::path::Path;
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
