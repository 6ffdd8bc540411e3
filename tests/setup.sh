# What the test runners outside `cargo test` share (tests/interop/run.sh, tests/browser/run.sh),
# sourced from the repository's root: a folder for the tools they install, the npm packages of
# their package.json, and qc built with its examples.

# The absolute path of a tools folder, made if missing: `cache="$(tools_folder DIR)"`.
tools_folder() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

# Installs the npm packages of MANIFEST (pinned) into DIR unless DIR has them already, as
# installed from that manifest, with PACKAGE among them.
npm_packages() {
  local manifest="$1" dir="$2" package="$3"
  if ! cmp -s "$manifest" "$dir/package.json" || [ ! -d "$dir/node_modules/$package" ]; then
    echo "installing the npm packages of $manifest into $dir"
    mkdir -p "$dir"
    cp "$manifest" "$dir/package.json"
    (cd "$dir" && npm install --silent --no-audit --no-fund)
  fi
}

# Builds qc and its examples (debug) and sets `build` (their folder), `qc`, and `work`, a
# temporary folder removed on exit; `passed` and `failed` count the runner's checks.
build_qc() {
  cargo build --quiet --bins --examples
  build="${CARGO_TARGET_DIR:-target}/debug"
  qc="$build/qc"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  passed=0
  failed=0
}
