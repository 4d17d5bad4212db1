#!/usr/bin/env bash
# Regenerates apa.csl, ieee.csl, chicago-author-date.csl and locales-en-US.xml
# in this folder from the styles and locales archived in the hayagriva 0.10.1
# crate (what mdbook-frameworks renders with). Builds a scratch Cargo project
# outside the repository (CSL_DUMP_DIR, default /tmp/csl-dump), pinned by the
# repository's Cargo.lock; needs only crates.io (or an offline cargo cache).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${CSL_DUMP_DIR:-/tmp/csl-dump}
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<'TOML'
[package]
name = "csl-dump"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
hayagriva = { version = "=0.10.1", default-features = false, features = ["archive"] }
citationberg = "=0.7.0"
quick-xml = { version = "0.38", features = ["serialize"] }
serde = "1"

[workspace]
TOML
cp "$here/dump-hayagriva-styles.rs" "$work/src/main.rs"
[ -f "$work/Cargo.lock" ] || cp "$repo/Cargo.lock" "$work/Cargo.lock"
cd "$work"
CARGO_TARGET_DIR="$work/target" cargo build --release ${CARGO_OFFLINE:+--offline}
"$work/target/release/csl-dump" dump "$here" apa ieee chicago-author-date --locale en-US
