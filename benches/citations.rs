//! Citations at book scale: the whole `mdbook build`, and the preprocessor
//! against mdbook-bib's CSL backend, side by side in one run.
//!
//! ```text
//! cargo bench --bench citations
//! ```
//!
//! It builds the release binary (`BENCH_NO_BUILD=1` skips that), then writes to
//! `target/bench-citations/` books of `BENCH_CHAPTERS` chapters (default
//! 1,000), each with about 4 KB of prose and 16 citations of the built-in works,
//! and a references chapter:
//!
//! - `ours/`: `{{#paper-citation KEY}}` with mdbook-frameworks (APA), its render
//!   cache warmed by a first build, so a timed build is a *rebuild*;
//! - `ours-first/`: the same with `cache = false`, a *first build*;
//! - `plain/`: the same chapters with no preprocessor, the directives left as
//!   text: what mdBook alone costs for a book this size;
//! - `bib/`: the same citations as `{{#cite KEY}}` for mdbook-bib 0.5.3 with its
//!   CSL backend and APA, the same works as a `.bib` file (our `bibtex` export);
//! - `noop/`: `plain` through the no-op preprocessor (`benches/noop_preprocessor.rs`):
//!   what handing the book to any preprocessor and back costs;
//! - `expanded/`: `plain` with each chapter file replaced by what we return for
//!   it, built with no preprocessor: what mdBook spends rendering our output.
//!
//! Books are built into memory (`/dev/shm`) where the machine has it, so that
//! writing to disk adds no noise; `BENCH_BUILD_DIR` names another place.
//!
//! Measured, as medians of `BENCH_RUNS` runs (default 5) taken in rotation:
//!
//! 1. the whole `mdbook build` of `ours`, `ours-first` and `plain` (goal: ours at
//!    most 1.15 × plain), and of `noop` and `expanded`, which split what ours
//!    adds into the protocol, mdBook's rendering of our output, and the rest;
//! 2. the preprocessor alone on the `[context, book]` JSON that mdBook sends it
//!    (captured once per book): ours on a rebuild and a first build, and
//!    mdbook-bib, which has no cache (goals: mdbook-bib at least 40 × our first
//!    build and 60 × our rebuild);
//! 3. peak memory (`/usr/bin/time -f %M`, Debian package `time`) of our first
//!    build and rebuild on a 10,000-chapter book (`BENCH_MEMORY_CHAPTERS`).
//!
//! mdbook-bib is looked up as `BENCH_MDBOOK_BIB`, then on PATH; install it with
//! `cargo install mdbook-bib --version 0.5.3 --locked`. Without it, part 2
//! prints our figures alone. Figures vary by a factor of two on a shared
//! machine: compare the columns of one run.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mdbook_frameworks::model::Model;

/// Citations per chapter, as the issue's goal is stated.
const CITATIONS_PER_CHAPTER: usize = 16;

#[path = "support.rs"]
mod support;
use support::{capture_input, max_rss_kib, median, ms, ratio};

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_relative() { manifest.join(t) } else { t })
        .unwrap_or_else(|| manifest.join("target"));
    if std::env::var_os("BENCH_NO_BUILD").is_none() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--release", "--bin", "mdbook-frameworks"])
            .args(["--example", "noop-preprocessor"])
            .current_dir(&manifest)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --release failed");
    }
    let ours = target.join("release/mdbook-frameworks");
    assert!(ours.exists(), "{} is missing", ours.display());
    let noop = target.join("release/examples/noop-preprocessor");
    assert!(noop.exists(), "{} is missing", noop.display());
    let env_number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let chapters = env_number("BENCH_CHAPTERS", 1000);
    let runs = env_number("BENCH_RUNS", 5);
    let memory_chapters = env_number("BENCH_MEMORY_CHAPTERS", 10_000);
    let work = target.join("bench-citations");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();

    let keys: Vec<String> = Model::builtin()
        .works()
        .iter()
        .map(|w| w.key().to_owned())
        .collect();
    let bibtex = mdbook_frameworks::cite::to_bibtex(Model::builtin().works());
    let ours_dir = write_book(
        &work,
        "ours",
        chapters,
        &keys,
        Flavour::Ours { cache: true },
        &ours,
        &bibtex,
    );
    let first_dir = write_book(
        &work,
        "ours-first",
        chapters,
        &keys,
        Flavour::Ours { cache: false },
        &ours,
        &bibtex,
    );
    let plain_dir = write_book(
        &work,
        "plain",
        chapters,
        &keys,
        Flavour::Plain,
        &ours,
        &bibtex,
    );
    let bib_dir = write_book(&work, "bib", chapters, &keys, Flavour::Bib, &ours, &bibtex);
    let noop_dir = write_book(
        &work,
        "noop",
        chapters,
        &keys,
        Flavour::Noop,
        &noop,
        &bibtex,
    );

    println!("# Citations at book scale\n");
    println!(
        "{chapters} chapters, {CITATIONS_PER_CHAPTER} citations each, {runs} runs in rotation, medians.\n"
    );

    // Warm our render cache, and check that each book builds.
    for dir in [&ours_dir, &first_dir, &plain_dir, &noop_dir] {
        mdbook_build(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    // Where the whole build's time goes: the book as we hand it back to mdBook,
    // written out as its sources and built with no preprocessor at all.
    let ours_json = capture(&ours_dir, "frameworks", &work.join("ours.json"));
    let expanded_dir = write_expanded(&ours, &ours_json, &ours_dir, &plain_dir, &work);

    // 1. The whole build.
    let books = [&ours_dir, &first_dir, &plain_dir, &noop_dir, &expanded_dir];
    let builds = rotate(runs, &books, |dir| {
        timed(|| mdbook_build(dir).expect("mdbook build"))
    });
    if std::env::var_os("BENCH_BUILD_DIR").is_none()
        && let Some(root) = build_root()
    {
        // Ours, in memory: free it.
        let _ = std::fs::remove_dir_all(root);
    }
    let (warm, cold, plain) = (median(&builds[0]), median(&builds[1]), median(&builds[2]));
    let (noop_build, expanded) = (median(&builds[3]), median(&builds[4]));
    println!("## 1. The whole `mdbook build`\n");
    println!("| book | median | ratio to plain (goal ≤ 1.15) |");
    println!("|---|---:|---:|");
    println!(
        "| plain (directives left as text) | {} | 1.00× |",
        ms(plain)
    );
    println!(
        "| ours, rebuild | {} | {:.2}× |",
        ms(warm),
        ratio(warm, plain)
    );
    println!(
        "| ours, first build | {} | {:.2}× |",
        ms(cold),
        ratio(cold, plain)
    );
    println!(
        "| plain with a no-op preprocessor (the protocol's floor) | {} | {:.2}× |",
        ms(noop_build),
        ratio(noop_build, plain)
    );
    println!(
        "| our expanded Markdown as the sources, no preprocessor (mdBook rendering what we write) | {} | {:.2}× |",
        ms(expanded),
        ratio(expanded, plain)
    );

    // 2. The preprocessor alone.
    let first_json = capture(&first_dir, "frameworks", &work.join("ours-first.json"));
    println!("\n## 2. The preprocessor alone, on the JSON mdBook sends it\n");
    let bib = mdbook_bib();
    let bib_json = bib
        .as_ref()
        .map(|_| capture(&bib_dir, "bib", &work.join("bib.json")));
    let mut programs: Vec<(PathBuf, PathBuf, PathBuf)> = vec![
        (ours.clone(), ours_json.clone(), ours_dir.clone()),
        (ours.clone(), first_json.clone(), first_dir.clone()),
    ];
    if let (Some(bib), Some(json)) = (&bib, &bib_json) {
        programs.push((bib.clone(), json.clone(), bib_dir.clone()));
    }
    let entries: Vec<&(PathBuf, PathBuf, PathBuf)> = programs.iter().collect();
    let times = rotate(runs, &entries, |(program, json, dir)| {
        timed(|| preprocess(program, json, dir))
    });
    let (pre_warm, pre_cold) = (median(&times[0]), median(&times[1]));
    println!("| program | median | mdbook-bib ÷ this |");
    println!("|---|---:|---:|");
    match times.get(2).map(|t| median(t)) {
        Some(bib_time) => {
            println!(
                "| mdbook-frameworks, rebuild | {} | {:.1}× (goal ≥ 60) |",
                ms(pre_warm),
                ratio(bib_time, pre_warm)
            );
            println!(
                "| mdbook-frameworks, first build | {} | {:.1}× (goal ≥ 40) |",
                ms(pre_cold),
                ratio(bib_time, pre_cold)
            );
            println!(
                "| mdbook-bib 0.5.3, CSL backend, APA | {} | 1.0× |",
                ms(bib_time)
            );
        }
        None => {
            println!(
                "| mdbook-frameworks, rebuild | {} | (no mdbook-bib) |",
                ms(pre_warm)
            );
            println!(
                "| mdbook-frameworks, first build | {} | (no mdbook-bib) |",
                ms(pre_cold)
            );
            println!(
                "\nmdbook-bib was not found: set BENCH_MDBOOK_BIB or install it with \
                 `cargo install mdbook-bib --version 0.5.3 --locked`."
            );
        }
    }

    // 3. Peak memory on a large book.
    println!("\n## 3. Peak memory, {memory_chapters} chapters\n");
    let big = write_book(
        &work,
        "big",
        memory_chapters,
        &keys,
        Flavour::Ours { cache: true },
        &ours,
        &bibtex,
    );
    let big_first = write_book(
        &work,
        "big-first",
        memory_chapters,
        &keys,
        Flavour::Ours { cache: false },
        &ours,
        &bibtex,
    );
    let big_json = capture(&big, "frameworks", &work.join("big.json"));
    let big_first_json = capture(&big_first, "frameworks", &work.join("big-first.json"));
    // The capture ran mdBook with our preprocessor replaced, so warm the cache now.
    preprocess(&ours, &big_json, &big);
    println!("| run | max RSS |");
    println!("|---|---:|");
    for (label, json, dir) in [
        ("mdbook-frameworks, rebuild", &big_json, &big),
        (
            "mdbook-frameworks, first build",
            &big_first_json,
            &big_first,
        ),
    ] {
        let rss = max_rss_kib(&ours, json, Some(dir))
            .map(|kib| format!("{:.0} MiB", kib as f64 / 1024.0))
            .unwrap_or_else(|why| format!("n/a ({why})"));
        println!("| {label} | {rss} |");
    }
}

#[derive(Clone, Copy)]
enum Flavour {
    Ours {
        cache: bool,
    },
    Plain,
    /// The plain book through the no-op preprocessor (given as `ours`).
    Noop,
    Bib,
}

/// Writes a book with `chapters` chapters; returns its directory.
fn write_book(
    work: &Path,
    name: &str,
    chapters: usize,
    keys: &[String],
    flavour: Flavour,
    ours: &Path,
    bibtex: &str,
) -> PathBuf {
    let dir = work.join(name);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let preprocessor = match flavour {
        Flavour::Ours { cache } => format!(
            "[preprocessor.frameworks]\ncommand = \"{}\"\nbefore = [\"links\"]\nrenderers = [\"html\"]\ncache = {}\n",
            ours.display(),
            if cache { "\"cache\"" } else { "false" }
        ),
        Flavour::Plain => String::new(),
        Flavour::Noop => format!(
            "[preprocessor.noop]\ncommand = \"{}\"\nrenderers = [\"html\"]\n",
            ours.display()
        ),
        Flavour::Bib => {
            std::fs::write(src.join("refs.bib"), bibtex).unwrap();
            "[preprocessor.bib]\nbibliography = \"refs.bib\"\nbackend = \"csl\"\ncsl-style = \"apa\"\nrender-bib = \"cited\"\nrenderers = [\"html\"]\n".to_owned()
        }
    };
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"Bench\"\nlanguage = \"en\"\n\n[output.html.search]\nenable = false\n\n{preprocessor}"
        ),
    )
    .unwrap();
    let mut summary = String::from("# Summary\n\n");
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for chapter in 0..chapters {
        summary.push_str(&format!("- [Chapter {chapter}](c{chapter}.md)\n"));
        let mut text = format!("# Chapter {chapter}\n\n");
        for citation in 0..CITATIONS_PER_CHAPTER {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let key = &keys[(rng as usize) % keys.len()];
            text.push_str(PROSE[citation % PROSE.len()]);
            let cite = match flavour {
                Flavour::Bib => format!("{{{{#cite {key}}}}}"),
                _ => format!("{{{{#paper-citation {key}}}}}"),
            };
            text.push_str(&format!(" {cite}.\n\n"));
        }
        std::fs::write(src.join(format!("c{chapter}.md")), text).unwrap();
    }
    summary.push_str("- [References](refs.md)\n");
    let references = match flavour {
        // mdbook-bib adds its own bibliography chapter.
        Flavour::Bib => "# References\n",
        _ => "# References\n\n{{#bibliography}}\n",
    };
    std::fs::write(src.join("refs.md"), references).unwrap();
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();
    dir
}

/// A copy of the `plain` book whose chapter files hold what our preprocessor
/// returns for `json` (run in `dir`): mdBook's cost of rendering our output.
fn write_expanded(ours: &Path, json: &Path, dir: &Path, plain: &Path, work: &Path) -> PathBuf {
    let output = Command::new(ours)
        .current_dir(dir)
        .stdin(File::open(json).unwrap())
        .output()
        .expect("the preprocessor runs");
    assert!(output.status.success(), "expanding {}", json.display());
    let book: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expanded = work.join("expanded");
    let src = expanded.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::copy(plain.join("book.toml"), expanded.join("book.toml")).unwrap();
    std::fs::copy(plain.join("src/SUMMARY.md"), src.join("SUMMARY.md")).unwrap();
    let items = book["items"].as_array().expect("items");
    for item in items {
        let chapter = &item["Chapter"];
        if let (Some(path), Some(content)) = (chapter["path"].as_str(), chapter["content"].as_str())
        {
            std::fs::write(src.join(path), content).unwrap();
        }
    }
    expanded
}

const PROSE: &[&str] = &[
    "Dataflow systems describe a computation as a graph whose nodes are operations and whose edges carry tensors between them, and the runtime decides where and when each operation runs",
    "An imperative framework runs each operation as the host language reaches it, so the program's control flow is the model's control flow and a debugger sees ordinary values",
    "Reverse-mode differentiation records the operations of the forward pass and replays them backwards, accumulating the gradient of one scalar output with respect to every input",
    "Parameter servers hold the model's variables on dedicated tasks, while all-reduce sums gradients among peers without a central holder of the state",
];

/// [`capture_input`] for a bench book, which must succeed.
fn capture(dir: &Path, name: &str, to: &Path) -> PathBuf {
    capture_input(dir, name, to, &dir.join("capture-html"))
        .unwrap_or_else(|why| panic!("capturing {}: {why}", dir.display()))
}

fn mdbook_bib() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BENCH_MDBOOK_BIB") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("mdbook-bib"))
        .find(|candidate| candidate.is_file())
}

/// Where `mdbook build` writes each book: `BENCH_BUILD_DIR`, else a directory
/// in `/dev/shm` (memory) where there is one, else each book's own `book/`.
/// Each build writes about 30 MB of HTML; on this machine's disk five builds
/// of the plain book took 2.34–3.10 s, in memory 2.10–2.54 s. Every book is
/// written the same way.
fn build_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BENCH_BUILD_DIR") {
        return Some(PathBuf::from(dir));
    }
    let shm = Path::new("/dev/shm");
    shm.is_dir().then(|| shm.join("mdbook-frameworks-bench"))
}

fn mdbook_build(dir: &Path) -> Result<(), String> {
    let mut command = Command::new("mdbook");
    command.arg("build").current_dir(dir);
    if let (Some(root), Some(name)) = (build_root(), dir.file_name()) {
        command.env("MDBOOK_BUILD__BUILD_DIR", root.join(name));
    }
    let output = command.output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Runs a preprocessor on a captured JSON, in the book's directory as mdBook does.
fn preprocess(program: &Path, json: &Path, dir: &Path) {
    let status = Command::new(program)
        .current_dir(dir)
        .stdin(File::open(json).unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the preprocessor runs");
    assert!(
        status.success(),
        "{} failed on {}",
        program.display(),
        json.display()
    );
}

/// `runs` rounds over `items`, each round starting one further, so that no item
/// always runs first or last; one list of times per item.
fn rotate<T>(
    runs: usize,
    items: &[T],
    mut measure: impl FnMut(&T) -> Duration,
) -> Vec<Vec<Duration>> {
    let mut times = vec![Vec::with_capacity(runs); items.len()];
    for round in 0..runs {
        for k in 0..items.len() {
            let i = (round + k) % items.len();
            times[i].push(measure(&items[i]));
        }
    }
    times
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}
