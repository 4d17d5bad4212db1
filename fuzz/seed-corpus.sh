#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's own Markdown and data, so the
# fuzzers start from real directives, TOML and BibTeX. Safe to rerun.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/directives" "$corpus/data_loader"

n=0
for file in $(find "$root/book" "$root/examples" "$root/tests/fixtures" -name '*.md' 2>/dev/null); do
    n=$((n + 1))
    cp "$file" "$corpus/directives/seed-md-$n"
done

# The built-in data whole, on its own and on top of itself, then one seed per
# table kind (small inputs mutate better), and the example books' data.
builtin="$root/src/model/builtin.toml"
cp "$builtin" "$corpus/data_loader/seed-builtin"
{ printf '+\n'; cat "$builtin"; } > "$corpus/data_loader/seed-builtin-override"
for table in frameworks dimensions claims papers events; do
    awk -v t="[[$table]]" '
        /^\[\[/ { keep = ($0 == t); if (keep) count++ }
        keep && count <= 3 { print }
    ' "$builtin" > "$corpus/data_loader/seed-$table"
done
# Claims and events name frameworks and works: load them over the built-in data.
for table in claims events; do
    { printf '+\n'; cat "$corpus/data_loader/seed-$table"; } > "$corpus/data_loader/seed-$table-override"
done
n=0
for toml in $(find "$root/examples" -name '*.toml' ! -name book.toml 2>/dev/null); do
    n=$((n + 1))
    bib=$(find "$(dirname "$toml")" -name '*.bib' | head -n 1)
    { cat "$toml"; if [ -n "$bib" ]; then printf '\0'; cat "$bib"; fi; } > "$corpus/data_loader/seed-example-$n"
done
for bib in $(find "$root/examples" -name '*.bib' 2>/dev/null); do
    n=$((n + 1))
    { printf '+\n\0'; cat "$bib"; } > "$corpus/data_loader/seed-bib-$n"
done
echo "seeded: $(ls "$corpus/directives" | wc -l) directives, $(ls "$corpus/data_loader" | wc -l) data_loader"
