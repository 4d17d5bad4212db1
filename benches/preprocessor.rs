//! Whole-process benchmark of `mdbook-frameworks` against a no-op preprocessor.
//!
//! ```text
//! cargo bench --bench preprocessor
//! ```
//!
//! It first runs `cargo build --release --bin mdbook-frameworks --example
//! noop-preprocessor` (set `BENCH_NO_BUILD=1` to skip that and use what is built),
//! then writes its inputs to `target/bench-preprocessor/`:
//!
//! - `own-book.json`: this repository's book, as mdBook really sends it (captured by
//!   running `mdbook build` with the preprocessor's command replaced by one that
//!   saves its input and stops the build, `support::capture_input`);
//! - `tiny.json`: a one-chapter book with three directives;
//! - `generated-N.json`: N chapters of about 7 KB of prose with 20 directives each
//!   (comparison tables, paper citations with several keys, locators, forms and
//!   affixes, framework facts), plus a references chapter with `{{#bibliography}}`.
//!
//! Each input is written in two forms: with the render cache on (in
//! `target/bench-preprocessor/cache`, filled by the check run, so every timed run
//! is a *rebuild* that finds the book's citations rendered, as on a save under
//! `mdbook serve` that changes no citation) and with `cache = false` (a *first
//! build*: every citation goes through hayagriva). The check run also asserts
//! that both forms give byte-identical output.
//!
//! Four programs are timed per input, in rotation, several times; stdout goes to
//! /dev/null: ours on each form, the no-op on the input, and the no-op on
//! `[context, our output]`. The no-op reads the `[context, book]` JSON, parses
//! the book into mdBook's types and writes it back: the floor any preprocessor
//! pays. Fed our output it shows the floor of echoing a book as large as ours
//! (citation links with hover titles make our output several times the input).
//!
//! How to read the tables: times are medians of wall-clock process time (spawn to
//! exit). `ratio` is our median over the no-op's; the goal is at most 1.5 on books
//! and under 10 ms for a one-chapter book. `per chapter` divides by the chapter
//! count: flat from 100 to 10,000 chapters means linear growth. Max RSS comes from
//! `/usr/bin/time -f %M` (Debian package `time`), one run each on the largest book.
//!
//! Knobs: `BENCH_SIZES=100,1000` (default `100,1000,3000,10000`), `BENCH_RUNS=5`
//! (default 11, and fewer for big books), `BENCH_BINARY=path` to time another
//! build of `mdbook-frameworks` (say, one from before a change). On a shared
//! machine, compare the two columns of one run rather than figures from
//! different runs.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mdbook_frameworks::model::Model;
use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};

#[path = "support.rs"]
mod support;
use support::{capture_input, max_rss_kib, median, ms, ratio};

fn main() {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| {
            if t.is_relative() {
                manifest_dir.join(t)
            } else {
                t
            }
        })
        .unwrap_or_else(|| manifest_dir.join("target"));
    if std::env::var_os("BENCH_NO_BUILD").is_none() {
        build(&manifest_dir);
    }
    // BENCH_BINARY times another build of ours (e.g. before a change) instead.
    let ours = std::env::var_os("BENCH_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release").join("mdbook-frameworks"));
    let noop = target
        .join("release")
        .join("examples")
        .join("noop-preprocessor");
    for program in [&ours, &noop] {
        assert!(
            program.exists(),
            "{} is missing: run `cargo build --release --bin mdbook-frameworks --example noop-preprocessor`",
            program.display()
        );
    }
    let work = target.join("bench-preprocessor");
    std::fs::create_dir_all(&work).expect("create target/bench-preprocessor");
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1000, 3000, 10_000]);
    let runs_override: Option<usize> = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok());
    let runs_for = |chapters: usize| {
        runs_override.unwrap_or(match chapters {
            0..=1000 => 11,
            1001..=3000 => 7,
            _ => 5,
        })
    };

    println!("# mdbook-frameworks benchmark\n");
    println!("{}\n", machine_description());

    // Inputs.
    let mut inputs: Vec<Input> = Vec::new();
    let own_book = work.join("own-book.json");
    match capture_input(
        &manifest_dir,
        "frameworks",
        &own_book,
        &work.join("own-book-html"),
    ) {
        Ok(path) => inputs.push(Input::measured("own book", path, None)),
        Err(why) => println!("(own book skipped: {why})\n"),
    }
    let model = Model::builtin();
    let generator = Generator::new(model);
    let tiny = work.join("tiny.json");
    std::fs::write(&tiny, generator.tiny_book(&work)).expect("write tiny.json");
    let tiny = Input::measured("tiny (1 chapter, 3 directives)", tiny, Some(0));
    let mut generated = Vec::new();
    for &chapters in &sizes {
        let path = work.join(format!("generated-{chapters}.json"));
        let (json, literal) = generator.book(chapters, &work);
        std::fs::write(&path, json).expect("write generated book");
        let mut input = Input::measured(
            &format!("generated, {chapters} chapters"),
            path,
            Some(literal),
        );
        input.nominal = Some(chapters);
        generated.push((chapters, input));
    }
    inputs.push(tiny);
    inputs.extend(generated.iter().map(|(_, input)| input.clone()));
    for input in &inputs {
        if let Err(why) = check_output(&ours, input) {
            panic!("{}: {why}", input.name);
        }
    }

    // (b) start-up.
    let runs = runs_for(1);
    let supports = time_runs(runs, || {
        run(Command::new(&ours).args(["supports", "html"]), None)
    });
    let tiny_input = inputs.iter().find(|i| i.name.starts_with("tiny")).unwrap();
    let tiny = Timings::measure(&ours, &noop, tiny_input, runs);

    // (a) and (c).
    let mut book_rows = Vec::new();
    for input in inputs.iter().filter(|i| !i.name.starts_with("tiny")) {
        let runs = runs_for(input.nominal.unwrap_or(input.chapters));
        book_rows.push((input.clone(), Timings::measure(&ours, &noop, input, runs)));
    }

    println!("## (a) Books against the no-op preprocessor\n");
    println!(
        "*rebuild*: the render cache holds this book's citations (a save under `mdbook serve` \
         that changes no citation); *citation added*: a rebuild after one more citation of a \
         work the book cites; *first build*: `cache = false`, every citation rendered. \
         *no-op on our output*: the no-op fed the expanded book, an echo as large as our output.\n"
    );
    println!(
        "| input | chapters | directives | input size | runs | no-op | no-op on our output | ours, rebuild | ratio (goal ≤ 1.5) | ours, citation added | ratio | ours, first build | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (input, t) in &book_rows {
        if input.nominal.is_some_and(|n| n != 1000) {
            continue;
        }
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2}× | {} | {:.2}× | {} | {:.2}× |",
            input.name,
            input.chapters,
            input.directives,
            megabytes(input.bytes),
            t.runs(),
            ms(median(&t.noop)),
            ms(median(&t.noop_on_output)),
            ms(median(&t.warm)),
            ratio(median(&t.warm), median(&t.noop)),
            ms(median(&t.edited)),
            ratio(median(&t.edited), median(&t.noop)),
            ms(median(&t.cold)),
            ratio(median(&t.cold), median(&t.noop)),
        );
    }

    println!("\n## (b) Start-up\n");
    println!("| command | runs | median | min | max |");
    println!("|---|---:|---:|---:|---:|");
    for (label, times) in [
        ("mdbook-frameworks supports html", &supports),
        (
            "mdbook-frameworks < tiny.json, rebuild (goal < 10 ms)",
            &tiny.warm,
        ),
        (
            "mdbook-frameworks < tiny.json, citation added",
            &tiny.edited,
        ),
        ("mdbook-frameworks < tiny.json, first build", &tiny.cold),
        ("noop-preprocessor < tiny.json", &tiny.noop),
    ] {
        println!(
            "| {label} | {} | {} | {} | {} |",
            times.len(),
            ms(median(times)),
            ms(*times.iter().min().unwrap()),
            ms(*times.iter().max().unwrap()),
        );
    }

    println!("\n## (c) Growth with the number of chapters\n");
    println!(
        "| chapters | runs | no-op | ours, rebuild | ratio | ours, citation added | ours, first build | ratio | no-op per chapter | rebuild per chapter | first build per chapter |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (input, t) in book_rows.iter().filter(|r| r.0.name.contains("generated")) {
        let (warm, cold, n) = (median(&t.warm), median(&t.cold), median(&t.noop));
        println!(
            "| {} | {} | {} | {} | {:.2}× | {} | {} | {:.2}× | {} | {} | {} |",
            input.nominal.unwrap_or(input.chapters),
            t.runs(),
            ms(n),
            ms(warm),
            ratio(warm, n),
            ms(median(&t.edited)),
            ms(cold),
            ratio(cold, n),
            per_chapter(n, input.chapters),
            per_chapter(warm, input.chapters),
            per_chapter(cold, input.chapters),
        );
    }

    if let Some((_, largest)) = generated.iter().max_by_key(|(c, _)| *c) {
        println!("\n## (d) Peak memory on the largest input\n");
        println!("Input: {} ({}).\n", largest.name, megabytes(largest.bytes));
        println!("| program | max RSS |");
        println!("|---|---:|");
        for (label, program, input) in [
            ("mdbook-frameworks, rebuild", &ours, &largest.path),
            ("mdbook-frameworks, first build", &ours, &largest.cold_path),
            ("noop-preprocessor", &noop, &largest.path),
        ] {
            let rss = max_rss_kib(program, input, None)
                .map(|kib| format!("{:.1} MiB", kib as f64 / 1024.0))
                .unwrap_or_else(|why| format!("n/a ({why})"));
            println!("| {label} | {rss} |");
        }
    }
}

/// Wall-clock times of one input's five runs, taken in rotation.
struct Timings {
    warm: Vec<Duration>,
    cold: Vec<Duration>,
    edited: Vec<Duration>,
    noop: Vec<Duration>,
    noop_on_output: Vec<Duration>,
}

impl Timings {
    fn measure(ours: &Path, noop: &Path, input: &Input, runs: usize) -> Timings {
        let reset = || reset_edit_cache(input);
        let mut times = compare(
            &[
                (ours, &input.path, None),
                (ours, &input.cold_path, None),
                (ours, &input.edited_path, Some(&reset)),
                (noop, &input.path, None),
                (noop, &input.expanded_path, None),
            ],
            runs,
        )
        .into_iter();
        let mut next = || times.next().expect("one column per program");
        Timings {
            warm: next(),
            cold: next(),
            edited: next(),
            noop: next(),
            noop_on_output: next(),
        }
    }

    fn runs(&self) -> usize {
        self.warm.len()
    }
}

/// One benchmark input, with what its output must look like.
#[derive(Clone)]
struct Input {
    name: String,
    /// The book with the render cache in `target/bench-preprocessor/cache`, warmed
    /// by the check run: a rebuild whose citations did not change.
    path: PathBuf,
    /// The same book with `cache = false`: every citation rendered, as in a first build.
    cold_path: PathBuf,
    /// `[context, our output]`: the no-op on it echoes a book as large as ours.
    expanded_path: PathBuf,
    /// The book with one more citation (of a work it cites, at a new page), with
    /// its own cache directory, reset to the book's before each run: a save under
    /// `mdbook serve` that adds a citation.
    edited_path: PathBuf,
    /// The same with `cache = false`, to check the cached output against.
    edited_cold_path: PathBuf,
    cache_dir: PathBuf,
    edit_cache_dir: PathBuf,
    chapters: usize,
    /// For generated books: the number of generated chapters (without the
    /// references chapter).
    nominal: Option<usize>,
    directives: usize,
    bytes: u64,
    /// For generated books: how many `{{#` the output must still hold (the ones
    /// written inside code or escaped); `None` for the real book.
    literal_directives: Option<usize>,
}

impl Input {
    fn measured(name: &str, path: PathBuf, literal_directives: Option<usize>) -> Input {
        let text = std::fs::read_to_string(&path).expect("read input");
        let (_, book): (serde_json::Value, Book) =
            serde_json::from_str(&text).expect("input is [context, book]");
        let mut chapters = 0;
        let mut directives = 0;
        for item in book.iter() {
            if let BookItem::Chapter(chapter) = item {
                chapters += 1;
                directives += chapter.content.matches("{{#").count();
            }
        }
        let (context, book_json): (serde_json::Value, serde_json::Value) =
            serde_json::from_str(&text).expect("input is [context, book]");
        let write_variant = |suffix: &str, book: &serde_json::Value, cache: serde_json::Value| {
            let mut context = context.clone();
            context["config"]["preprocessor"]["frameworks"]["cache"] = cache;
            let variant = path.with_extension(suffix);
            let json = serde_json::to_string(&(&context, book)).expect("serialise");
            std::fs::write(&variant, json).expect("write input variant");
            variant
        };
        let work = path.parent().expect("inputs are in a directory");
        let cache_dir = work.join("cache");
        let edit_cache_dir = work.join("cache-edit");
        let cold_path = write_variant("cold.json", &book_json, false.into());
        let warm_path = write_variant("warm.json", &book_json, cache_dir.to_string_lossy().into());
        let edited = with_added_citation(&book_json);
        let edited_path = write_variant(
            "edited.warm.json",
            &edited,
            edit_cache_dir.to_string_lossy().into(),
        );
        let edited_cold_path = write_variant("edited.cold.json", &edited, false.into());
        let expanded_path = path.with_extension("expanded.json");
        Input {
            name: name.to_owned(),
            bytes: text.len() as u64,
            path: warm_path,
            cold_path,
            edited_path,
            edited_cold_path,
            cache_dir,
            edit_cache_dir,
            expanded_path,
            chapters,
            nominal: None,
            directives: directives - literal_directives.unwrap_or(0),
            literal_directives,
        }
    }
}

/// The book with `{{#paper-citation KEY page=99999}}` added to its middle chapter,
/// KEY being the first work the book cites.
fn with_added_citation(book: &serde_json::Value) -> serde_json::Value {
    fn contents<'a>(items: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        for item in items.as_array().into_iter().flatten() {
            if let Some(chapter) = item.get("Chapter") {
                if chapter["path"].is_string() {
                    out.push(chapter["content"].as_str().unwrap_or_default());
                }
                contents(&chapter["sub_items"], out);
            }
        }
    }
    fn append_to_nth(items: &mut serde_json::Value, n: &mut usize, text: &str) -> bool {
        for item in items.as_array_mut().into_iter().flatten() {
            if let Some(chapter) = item.get_mut("Chapter") {
                if chapter["path"].is_string() {
                    if *n == 0 {
                        let content = chapter["content"].as_str().unwrap_or_default();
                        chapter["content"] = format!("{content}{text}").into();
                        return true;
                    }
                    *n -= 1;
                }
                if append_to_nth(&mut chapter["sub_items"], n, text) {
                    return true;
                }
            }
        }
        false
    }
    let mut texts = Vec::new();
    contents(&book["items"], &mut texts);
    let key = texts
        .iter()
        .find_map(|text| {
            let at = text.find("{{#paper-citation ")? + "{{#paper-citation ".len();
            let rest = &text[at..];
            let end = rest.find(|c: char| c.is_whitespace() || c == ',' || c == '}')?;
            Some(rest[..end].to_owned())
        })
        .expect("the book cites a work");
    let mut middle = texts.len() / 2;
    let mut book = book.clone();
    let added = format!("\n\nAdded {{{{#paper-citation {key} page=99999}}}}.\n");
    assert!(append_to_nth(&mut book["items"], &mut middle, &added));
    book
}

/// Makes the edit cache a copy of the book's cache.
fn reset_edit_cache(input: &Input) {
    let _ = std::fs::remove_dir_all(&input.edit_cache_dir);
    std::fs::create_dir_all(&input.edit_cache_dir).expect("create the edit cache");
    for entry in std::fs::read_dir(&input.cache_dir).expect("the cache was filled") {
        let entry = entry.expect("read the cache");
        std::fs::copy(entry.path(), input.edit_cache_dir.join(entry.file_name()))
            .expect("copy the cache");
    }
}

fn build(manifest_dir: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the release binaries (BENCH_NO_BUILD=1 skips this)...");
    let status = Command::new(cargo)
        .current_dir(manifest_dir)
        .args([
            "build",
            "--release",
            "--quiet",
            "--bin",
            "mdbook-frameworks",
            "--example",
            "noop-preprocessor",
        ])
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build failed");
}

/// Runs our preprocessor without the cache, then twice with it (filling it, then
/// reading it), checks the three outputs are the same book with every directive
/// expanded, checks that adding a citation gives with the cache what it gives
/// without, and writes `[context, output]` for the no-op to echo.
fn check_output(ours: &Path, input: &Input) -> Result<(), String> {
    let run_once = |path: &Path| -> Result<Vec<u8>, String> {
        let output = Command::new(ours)
            .stdin(File::open(path).map_err(|e| e.to_string())?)
            .output()
            .map_err(|e| e.to_string())?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!("failed: {stderr}"));
        }
        if input.literal_directives.is_some() && !stderr.is_empty() {
            return Err(format!("unexpected diagnostics: {stderr}"));
        }
        Ok(output.stdout)
    };
    let cold = run_once(&input.cold_path)?;
    let filling = run_once(&input.path)?;
    let warm = run_once(&input.path)?;
    if cold != filling || cold != warm {
        return Err("the render cache changed the output".into());
    }
    reset_edit_cache(input);
    let edited = run_once(&input.edited_path)?;
    if edited != run_once(&input.edited_cold_path)? {
        return Err("a rebuild after adding a citation differs from a first build".into());
    }
    if !String::from_utf8_lossy(&edited).contains("99999") {
        return Err("the added citation is not in the output".into());
    }
    let book: Book =
        serde_json::from_slice(&warm).map_err(|e| format!("output is not a book: {e}"))?;
    let chapters = book
        .iter()
        .filter(|i| matches!(i, BookItem::Chapter(_)))
        .count();
    if chapters != input.chapters {
        return Err(format!("{chapters} chapters out, {} in", input.chapters));
    }
    if let Some(expected) = input.literal_directives {
        let left: usize = book
            .iter()
            .filter_map(|i| match i {
                BookItem::Chapter(c) => Some(c.content.matches("{{#").count()),
                _ => None,
            })
            .sum();
        if left != expected {
            return Err(format!(
                "{left} `{{{{#` left in the output, expected {expected}"
            ));
        }
    }
    let text = std::fs::read_to_string(&input.cold_path).map_err(|e| e.to_string())?;
    let (context, _): (serde_json::Value, serde::de::IgnoredAny) =
        serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let expanded = serde_json::to_string(&(context, book)).map_err(|e| e.to_string())?;
    std::fs::write(&input.expanded_path, expanded).map_err(|e| e.to_string())
}

/// A program, its stdin, and what to do (untimed) before each run.
type Timed<'a> = (&'a Path, &'a Path, Option<&'a dyn Fn()>);

/// Times `runs` runs of each (program, input, setup) triple, rotating which goes
/// first so that changes in the machine's load hit every column alike. The setup,
/// if any, runs untimed before each run.
fn compare(programs: &[Timed<'_>], runs: usize) -> Vec<Vec<Duration>> {
    let mut times = vec![Vec::with_capacity(runs); programs.len()];
    for i in 0..runs {
        for k in 0..programs.len() {
            let j = (i + k) % programs.len();
            let (program, input, setup) = programs[j];
            if let Some(setup) = setup {
                setup();
            }
            times[j].push(run(&mut Command::new(program), Some(input)));
        }
    }
    times
}

fn time_runs(runs: usize, mut f: impl FnMut() -> Duration) -> Vec<Duration> {
    (0..runs).map(|_| f()).collect()
}

/// Spawn to exit, with `input` as stdin and output discarded.
fn run(command: &mut Command, input: Option<&Path>) -> Duration {
    let stdin = match input {
        Some(path) => Stdio::from(File::open(path).expect("open input")),
        None => Stdio::null(),
    };
    let start = Instant::now();
    let status = command
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn");
    let elapsed = start.elapsed();
    assert!(status.success(), "{command:?} failed");
    elapsed
}

fn per_chapter(d: Duration, chapters: usize) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6 / chapters.max(1) as f64)
}

fn megabytes(bytes: u64) -> String {
    if bytes < 1 << 20 {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
    }
}

fn machine_description() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("Machine: {cores} cores, {cpu}; load average at start: {load}.")
}

/// Deterministic generator of realistic chapters from the built-in model's ids.
struct Generator {
    papers: Vec<String>,
    frameworks: Vec<String>,
    dimensions: Vec<String>,
    has_tensorflow: bool,
}

/// A small xorshift generator: the same book on every run and machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `count` distinct items (or all of them when there are fewer).
    fn distinct<'a>(&mut self, items: &'a [String], count: usize) -> Vec<&'a str> {
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < count.min(items.len()) {
            let item = self.pick(items).as_str();
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }
}

const WORDS: &[&str] = &[
    "graph",
    "tensor",
    "kernel",
    "gradient",
    "operator",
    "runtime",
    "compiler",
    "session",
    "eager",
    "execution",
    "device",
    "accelerator",
    "memory",
    "layout",
    "batch",
    "model",
    "layer",
    "optimizer",
    "checkpoint",
    "dispatcher",
    "backend",
    "frontend",
    "interpreter",
    "trace",
    "program",
    "dataflow",
    "scheduler",
    "placement",
    "shape",
    "type",
    "abstraction",
    "library",
    "researcher",
    "engineer",
    "deployment",
    "serving",
    "mobile",
    "cluster",
    "parameter",
    "server",
    "worker",
    "replica",
    "collective",
    "throughput",
    "latency",
    "overhead",
    "design",
    "interface",
    "extension",
    "ecosystem",
];

const VERBS: &[&str] = &[
    "records",
    "executes",
    "compiles",
    "differentiates",
    "schedules",
    "partitions",
    "serialises",
    "optimises",
    "exposes",
    "hides",
    "fuses",
    "dispatches",
    "caches",
    "replays",
    "distributes",
];

impl Generator {
    fn new(model: &Model) -> Generator {
        Generator {
            papers: model.works().iter().map(|w| w.key().to_owned()).collect(),
            frameworks: model.frameworks().iter().map(|f| f.id.clone()).collect(),
            dimensions: model.dimensions().iter().map(|d| d.id.clone()).collect(),
            has_tensorflow: model.framework("tensorflow").is_some(),
        }
    }

    fn sentence(&self, rng: &mut Rng, out: &mut String) {
        let words = 8 + rng.below(12);
        for i in 0..words {
            let word = if i % 4 == 2 {
                *rng.pick(VERBS)
            } else {
                *rng.pick(WORDS)
            };
            if i == 0 {
                let mut chars = word.chars();
                let first = chars.next().unwrap().to_ascii_uppercase();
                out.push(first);
                out.push_str(chars.as_str());
            } else {
                out.push(' ');
                match rng.below(20) {
                    0 => write!(out, "*{word}*").unwrap(),
                    1 => write!(out, "`{word}()`").unwrap(),
                    2 => write!(out, "[{word}](https://example.org/{word})").unwrap(),
                    _ => out.push_str(word),
                }
            }
        }
        out.push('.');
    }

    /// A paragraph of 3 to 6 sentences; `inline` directives go between sentences.
    fn paragraph(&self, rng: &mut Rng, inline: &[String], out: &mut String) {
        let sentences = 3 + rng.below(4);
        let mut inline = inline.iter();
        for i in 0..sentences {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(rng, out);
            if let Some(directive) = inline.next() {
                out.pop();
                write!(out, " {directive}.").unwrap();
            }
        }
        for directive in inline {
            write!(out, " See also {directive}.").unwrap();
        }
        out.push_str("\n\n");
    }

    /// Chapter `index`'s Markdown: a few KB of prose with 20 directives, one
    /// directive shown as code, and every tenth chapter an escaped one. Returns the
    /// text and how many `{{#` must survive expansion.
    fn chapter(&self, index: usize) -> (String, usize) {
        let mut rng = Rng::new(index as u64 + 1);
        let key = |rng: &mut Rng| rng.pick(&self.papers).clone();
        let mut citations = vec![
            format!("{{{{#paper-citation {}}}}}", key(&mut rng)),
            format!(
                "{{{{#paper-citation {}}}}}",
                rng.distinct(&self.papers, 2).join(",")
            ),
            format!(
                "{{{{#paper-citation {}}}}}",
                rng.distinct(&self.papers, 3).join(",")
            ),
            format!(
                "{{{{#paper-citation {} page={}}}}}",
                key(&mut rng),
                1 + rng.below(30)
            ),
            format!(
                "{{{{#paper-citation {} section={}}}}}",
                key(&mut rng),
                1 + rng.below(8)
            ),
            format!(
                "{{{{#paper-citation {} chapter={}}}}}",
                key(&mut rng),
                1 + rng.below(12)
            ),
            format!("{{{{#paper-citation {} form=narrative}}}}", key(&mut rng)),
            format!("{{{{#paper-citation {} form=year}}}}", key(&mut rng)),
            format!("{{{{#paper-citation {} form=author}}}}", key(&mut rng)),
            format!(
                "{{{{#paper-citation {} form=narrative page={}--{}}}}}",
                key(&mut rng),
                3,
                4 + rng.below(10)
            ),
            format!(
                "{{{{#paper-citation {} prefix=\"see\" suffix=\"for the details\"}}}}",
                key(&mut rng)
            ),
            format!(
                "{{{{#paper-citation {} prefix=\"e.g.\"}}}}",
                rng.distinct(&self.papers, 2).join(",")
            ),
        ];
        let framework = |rng: &mut Rng| rng.pick(&self.frameworks).clone();
        let mut facts = vec![
            format!("{{{{#framework-fact {} name}}}}", framework(&mut rng)),
            format!(
                "{{{{#framework-fact {} first-release cite}}}}",
                framework(&mut rng)
            ),
            format!("{{{{#framework-fact {} license}}}}", framework(&mut rng)),
            format!(
                "{{{{#framework-fact {} organisation cite}}}}",
                framework(&mut rng)
            ),
            format!("{{{{#framework-fact {} languages}}}}", framework(&mut rng)),
            format!(
                "{{{{#framework-fact {} status cite}}}}",
                framework(&mut rng)
            ),
        ];
        let first_table = format!(
            "{{{{#comparison-table frameworks={} dimensions={}}}}}",
            rng.distinct(&self.frameworks, 2).join(","),
            rng.distinct(&self.dimensions, 3).join(",")
        );
        let second_table = match index % 3 {
            0 if self.has_tensorflow => format!(
                "{{{{#comparison-table frameworks=tensorflow@1,tensorflow@2 dimensions={}}}}}",
                rng.distinct(&self.dimensions, 2).join(",")
            ),
            1 => format!(
                "{{{{#comparison-table frameworks={} dimensions={} transpose}}}}",
                rng.distinct(&self.frameworks, 3).join(","),
                rng.distinct(&self.dimensions, 2).join(",")
            ),
            _ => format!(
                "{{{{#comparison-table dimensions={}}}}}",
                rng.distinct(&self.dimensions, 2).join(",")
            ),
        };

        let mut out = String::with_capacity(6000);
        let title = rng.pick(WORDS);
        writeln!(out, "# Chapter {index}: the {title} in practice\n").unwrap();
        let take = |list: &mut Vec<String>, n: usize| -> Vec<String> {
            list.drain(..n.min(list.len())).collect()
        };
        let intro = take(&mut citations, 3);
        self.paragraph(&mut rng, &intro, &mut out);
        let more = take(&mut facts, 2);
        self.paragraph(&mut rng, &more, &mut out);
        writeln!(
            out,
            "## How the {} is {}\n",
            rng.pick(WORDS),
            rng.pick(VERBS)
        )
        .unwrap();
        let cited = take(&mut citations, 3);
        self.paragraph(&mut rng, &cited, &mut out);
        writeln!(out, "{first_table}\n").unwrap();
        self.paragraph(&mut rng, &[], &mut out);
        for fact in take(&mut facts, 4) {
            let mut item = String::new();
            self.sentence(&mut rng, &mut item);
            writeln!(out, "- {item} {fact}").unwrap();
        }
        out.push('\n');
        writeln!(
            out,
            "```python\nimport torch\n\ndef step(model, batch):\n    loss = model(batch).sum()\n    loss.backward()\n    return loss\n```\n"
        )
        .unwrap();
        let cited = take(&mut citations, 3);
        self.paragraph(&mut rng, &cited, &mut out);
        writeln!(out, "## Comparison\n").unwrap();
        self.paragraph(&mut rng, &[], &mut out);
        writeln!(out, "{second_table}\n").unwrap();
        let quoted = take(&mut citations, 1);
        out.push_str("> ");
        self.paragraph(&mut rng, &quoted, &mut out);
        let rest = take(&mut citations, usize::MAX);
        self.paragraph(&mut rng, &rest, &mut out);
        let mut literal = 1;
        writeln!(
            out,
            "Authors write `{{{{#paper-citation {}}}}}` to cite a work.\n",
            self.papers[0]
        )
        .unwrap();
        if index.is_multiple_of(10) {
            literal += 1;
            writeln!(
                out,
                "The escaped form \\{{{{#paper-citation {}}}}} shows a directive as text.\n",
                self.papers[0]
            )
            .unwrap();
        }
        (out, literal)
    }

    fn context(&self, root: &Path) -> serde_json::Value {
        serde_json::json!({
            "root": root,
            "config": {
                "book": {"title": "Generated", "authors": [], "src": "src", "language": "en"},
                "build": {"build-dir": "book", "create-missing": false, "use-default-preprocessors": true},
                "preprocessor": {"frameworks": {"command": "mdbook-frameworks", "before": ["links"]}},
            },
            "renderer": "html",
            "mdbook_version": "0.5.4",
        })
    }

    /// `chapters` chapters in parts of 50 (a part's first chapter holds the other 49),
    /// then a references chapter. Returns the `[context, book]` JSON and how many
    /// `{{#` must survive expansion.
    fn book(&self, chapters: usize, work: &Path) -> (String, usize) {
        let mut items: Vec<BookItem> = Vec::new();
        let mut literal = 0;
        let mut index = 0;
        while index < chapters {
            let part = index / 50 + 1;
            let mut head: Option<Chapter> = None;
            let mut position = 0;
            while index < chapters && index / 50 + 1 == part {
                let (content, left) = self.chapter(index);
                literal += left;
                let name = format!("Chapter {index}");
                let path = format!("part-{part:03}/chapter-{index:05}.md");
                match &mut head {
                    None => {
                        let mut chapter = Chapter::new(&name, content, path, Vec::new());
                        chapter.number = Some(SectionNumber::new(vec![part as u32]));
                        head = Some(chapter);
                    }
                    Some(head) => {
                        position += 1;
                        let mut chapter =
                            Chapter::new(&name, content, path, vec![head.name.clone()]);
                        chapter.number = Some(SectionNumber::new(vec![part as u32, position]));
                        head.sub_items.push(BookItem::Chapter(chapter));
                    }
                }
                index += 1;
            }
            items.push(BookItem::Chapter(head.expect("a part has a chapter")));
        }
        items.push(BookItem::Separator);
        items.push(BookItem::Chapter(Chapter::new(
            "References",
            "# References\n\n{{#bibliography}}\n".to_owned(),
            "references.md",
            Vec::new(),
        )));
        let book = Book::new_with_items(items);
        let json = serde_json::to_string(&(
            self.context(&work.join(format!("generated-{chapters}"))),
            &book,
        ))
        .expect("serialise book");
        (json, literal)
    }

    /// One chapter, three directives: a citation, a fact and the bibliography.
    fn tiny_book(&self, work: &Path) -> String {
        let content = format!(
            "# Tiny\n\nA citation {{{{#paper-citation {}}}}} and a fact: {{{{#framework-fact {} name}}}}.\n\n## References\n\n{{{{#bibliography}}}}\n",
            self.papers[0], self.frameworks[0]
        );
        let book = Book::new_with_items(vec![BookItem::Chapter(Chapter::new(
            "Tiny",
            content,
            "tiny.md",
            Vec::new(),
        ))]);
        serde_json::to_string(&(self.context(&work.join("tiny")), &book)).expect("serialise book")
    }
}
