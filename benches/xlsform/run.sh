#!/usr/bin/env bash
# XLSForm speed, side by side: `qc compile --emit xlsform` from the `.q` source, and pyxform
# converting the same XLSForm to an XForm (the whole `xls2xform` process, as a user runs it,
# without ODK Validate), for the bundled instrument and a generated 3,000-question one.
# Needs Python 3 (pyxform is installed into target/interop); CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${RUNS:-5}"
cache="${QC_INTEROP_CACHE:-target/interop}"
mkdir -p "$cache"
if [ ! -x "$cache/venv/bin/xls2xform" ]; then
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet --disable-pip-version-check "pyxform==4.5.0"
fi
cargo build --quiet --release --examples
build="${CARGO_TARGET_DIR:-target}/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The bundled instrument is compiled where it is, with the modules it imports beside it.
"$build/examples/generate" "$work/generated-3000.q" 3000
declare -A source=([bundled]=questionnaires/crime-prevention.q [generated-3000]="$work/generated-3000.q")

# The mean wall time of a command over $runs runs, in milliseconds. A run that fails stops the
# benchmark with its output: a failure is not a figure.
mean_ms() {
  local start end log="$work/run.log"
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do
    "$@" >"$log" 2>&1 || { echo "failed: $*" >&2; cat "$log" >&2; exit 1; }
  done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000000 ))
}

printf '%-22s %18s %22s\n' instrument "qc .q → xlsx (ms)" "pyxform xlsx → xml (ms)"
for name in bundled generated-3000; do
  "$build/qc" compile --emit xlsform "${source[$name]}" -o "$work/$name.xlsx" 2>"$work/first.log" ||
    { cat "$work/first.log" >&2; exit 1; }
  qc_ms=$(mean_ms "$build/qc" compile --emit xlsform "${source[$name]}" -o "$work/$name.xlsx")
  py_ms=$(mean_ms "$cache/venv/bin/xls2xform" --skip_validate "$work/$name.xlsx" "$work/$name.xml")
  [ -s "$work/$name.xml" ] || { echo "pyxform wrote no XForm for $name" >&2; exit 1; }
  printf '%-22s %18s %22s\n' "$name" "$qc_ms" "$py_ms"
done
