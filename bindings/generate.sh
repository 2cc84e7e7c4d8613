#!/usr/bin/env bash
# Builds liblayanan and generates its Kotlin and Swift bindings into the places the
# Android library module and the LayananKit Swift package read them from.
#
#   bindings/generate.sh            # debug build (tests)
#   bindings/generate.sh --release  # release build (apps)
#
# Prints the folder holding liblayanan.so on its last line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

profile=debug
cargo_flags=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  cargo_flags+=(--release)
fi
target_dir="${CARGO_TARGET_DIR:-$root/target}"

cargo build -q -p layanan-ffi "${cargo_flags[@]}"
cargo build -q -p layanan-uniffi-bindgen
lib="$target_dir/$profile/liblayanan.so"
bindgen="$target_dir/debug/uniffi-bindgen"

kotlin_out="$root/android/layanan/src/main/kotlin"
swift_tmp="$(mktemp -d)"
trap 'rm -rf "$swift_tmp"' EXIT

"$bindgen" generate --library "$lib" --language kotlin \
  --out-dir "$kotlin_out" --no-format >&2
"$bindgen" generate --library "$lib" --language swift \
  --out-dir "$swift_tmp" --no-format >&2

kit="$root/ios/LayananKit/Sources"
mkdir -p "$kit/Layanan" "$kit/LayananFFI/include"
cp "$swift_tmp/Layanan.swift" "$kit/Layanan/layanan.swift"
cp "$swift_tmp/layananFFI.h" "$kit/LayananFFI/include/layananFFI.h"
# SwiftPM wants the module map named module.modulemap inside the C target.
cp "$swift_tmp/layananFFI.modulemap" "$kit/LayananFFI/include/module.modulemap"

dirname "$lib"
