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
# The forms the FormSession tests fill (TEST_FORMS_DIR inside the chroot).
as_root rm -rf "$work/forms"
as_root cp -r "$root/tests/fixtures/forms" "$work/forms"
as_root cp "$root/tests/fixtures/domisili.xml" "$work/forms/"
# The generated module map names Apple's modules; Linux's clang has none of them.
as_root sed -i '/^ *use "/d' "$work/LayananKit/Sources/LayananFFI/include/module.modulemap"

# The reference server runs on the host; the chroot shares its network, and its data
# folder (with the log holding one-time codes) lives inside the chroot.
. "$root/tests/support-server.sh"
as_root rm -rf "$work/server"
start_test_server "$work/server"
as_root cp "$root"/tests/fixtures/forms/*.xml "$work/server/forms/"
agency_key=$(curl -fsS "$TEST_SERVER_URL/v1/agency-key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])')
# Links for the sync tests: one that drops a connection mid-upload, one that is slow.
# Their stats files live inside the chroot so the tests can read them.
TEST_PROXY_DIR="$work/proxies"
as_root rm -rf "$TEST_PROXY_DIR"
start_link_proxy drop --reset-after-request-bytes 50000; drop_url=$LINK_PROXY_URL
start_link_proxy slow --bandwidth-bps 480000; slow_url=$LINK_PROXY_URL
# The presentation tests' own dropping link (the fault fires once per proxy).
start_link_proxy drop-app --reset-after-request-bytes 50000; app_drop_url=$LINK_PROXY_URL
start_link_proxy drop-journey --reset-after-request-bytes 50000; journey_url=$LINK_PROXY_URL

swift_mount
trap 'swift_umount; stop_link_proxies; stop_test_server' EXIT
# Keep the build cache between runs (outside the copied package).
# Trixie's libswiftObservation.so (swiftlang 6.0.3) leaves swift::threading::fatal
# undefined (it lives only in the static runtime), so linking anything that uses
# @Observable fails. The library is not linked with BIND_NOW, and the symbol is only
# called on a fatal threading error, so the test binary links with
# --allow-shlib-undefined and the symbol stays unresolved unless that error happens.
as_root chroot "$SWIFT_ROOT" /bin/bash -c "cd /layanan/LayananKit && \
  TEST_SERVER_URL=$TEST_SERVER_URL TEST_SERVER_LOG=/layanan/server/server.log TEST_AGENCY_KEY=$agency_key TEST_FORMS_DIR=/layanan/forms \
  TEST_SERVER_FORMS=/layanan/server/forms TEST_DROP_PROXY_URL=$drop_url TEST_DROP_PROXY_STATS=/layanan/proxies/drop.stats \
  TEST_SLOW_PROXY_URL=$slow_url TEST_APP_DROP_PROXY_URL=$app_drop_url TEST_APP_DROP_PROXY_STATS=/layanan/proxies/drop-app.stats \
  TEST_JOURNEY_PROXY_URL=$journey_url TEST_JOURNEY_PROXY_STATS=/layanan/proxies/drop-journey.stats \
  TEST_OFFICER_TOKEN_FILE=/layanan/server/keys/officer-token \
  LD_LIBRARY_PATH=/layanan/lib swift test --scratch-path /layanan/build \
  -Xlinker -L/layanan/lib -Xlinker -rpath -Xlinker /layanan/lib -Xlinker --allow-shlib-undefined 2>&1"
