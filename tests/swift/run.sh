#!/usr/bin/env bash
# Runs `swift test` for ios/LayananKit inside the cached Debian trixie chroot, linked
# against the host-built liblayanan.so.
#
#   tests/swift/run.sh LIB_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/scripts/lib/toolchains.sh"
lib_dir="$(cd "$1" && pwd)"

ensure_swift
work="$SWIFT_ROOT/layanan"
as_root mkdir -p "$work/lib"
# A fresh copy each run: the package and the library the test links against.
as_root rm -rf "$work/LayananKit"
as_root cp -r "$root/ios/LayananKit" "$work/LayananKit"
as_root rm -rf "$work/LayananKit/.build"
as_root cp "$lib_dir/liblayanan.so" "$work/lib/"
# The generated module map names Apple's modules; Linux's clang has none of them.
as_root sed -i '/^ *use "/d' "$work/LayananKit/Sources/LayananFFI/include/module.modulemap"

swift_mount
trap swift_umount EXIT
# Keep the build cache between runs (outside the copied package).
as_root chroot "$SWIFT_ROOT" /bin/bash -c "cd /layanan/LayananKit && \
  LD_LIBRARY_PATH=/layanan/lib swift test --scratch-path /layanan/build \
  -Xlinker -L/layanan/lib -Xlinker -rpath -Xlinker /layanan/lib 2>&1"
