#!/usr/bin/env bash
# Builds the Layanan core for iOS and packages it for apps, on a Mac with Xcode and
# rustup (targets aarch64-apple-ios, aarch64-apple-ios-sim, x86_64-apple-ios):
#
#   ios/scripts/build-xcframework.sh            # release
#   ios/scripts/build-xcframework.sh --debug
#
# Output, in ios/build/LayananKit-dist/ (a Swift package an app adds by path or tag):
#   LayananFFI.xcframework   static liblayanan.a for the device (arm64) and the
#                            simulator (arm64 + x86_64, one lipo'd slice), with the
#                            C header and module map
#   Sources/Layanan          the Swift bindings generated from the same build
#   Sources/LayananKit       the adapters and presentation models (copied)
#   Package.swift            ios/LayananKit/Package.binary.swift (binaryTarget)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

profile=release
flags=(--release)
if [ "${1:-}" = "--debug" ]; then profile=debug; flags=(); fi
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out="$root/ios/build"
dist="$out/LayananKit-dist"
export IPHONEOS_DEPLOYMENT_TARGET=17.0

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
for t in "${targets[@]}"; do
  rustup target add "$t" >/dev/null
  cargo build -p layanan-ffi --lib "${flags[@]}" --target "$t"
done
lib() { echo "$target_dir/$1/$profile/liblayanan.a"; }

# The simulator slice holds both simulator architectures.
rm -rf "$out" && mkdir -p "$out/sim" "$out/headers" "$dist/Sources"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$out/sim/liblayanan.a"

# Bindings from the device library itself (UniFFI's library mode reads the archive).
cargo build -q -p layanan-uniffi-bindgen
"$target_dir/debug/uniffi-bindgen" generate --library "$(lib aarch64-apple-ios)" --language swift \
  --out-dir "$out/swift" --no-format
cp "$out/swift/layananFFI.h" "$out/headers/"
cp "$out/swift/layananFFI.modulemap" "$out/headers/module.modulemap"

xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$out/headers" \
  -library "$out/sim/liblayanan.a" -headers "$out/headers" \
  -output "$dist/LayananFFI.xcframework"

mkdir -p "$dist/Sources/Layanan"
cp "$out/swift/Layanan.swift" "$dist/Sources/Layanan/layanan.swift"
cp -R "$root/ios/LayananKit/Sources/LayananKit" "$dist/Sources/LayananKit"
cp "$root/ios/LayananKit/Package.binary.swift" "$dist/Package.swift"
echo "$dist"
