#!/usr/bin/env bash
# Compiles the generated Kotlin bindings, the Android library's plain-Kotlin sources
# and their JVM tests in one kotlinc call, and runs the tests on the JVM with JNA
# against the real liblayanan. Prints JUnit's summary.
#
#   tests/kotlin/run.sh LIB_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/scripts/lib/toolchains.sh"
lib_dir="$1"

ensure_kotlin
klib="$KOTLIN_HOME/lib"
cp_deps="/usr/share/java/jna.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar:$klib/kotlinx-coroutines-core-jvm.jar"
out="$root/target/kotlin"
rm -rf "$out" && mkdir -p "$out"

module="$root/android/layanan/src"
mapfile -t sources < <(find "$module/main/kotlin" "$module/test/kotlin" -name '*.kt' | sort)
log "kotlinc: ${#sources[@]} files"
"$KOTLIN_HOME/bin/kotlinc" -nowarn -jvm-target 17 -cp "$cp_deps" -d "$out/classes" "${sources[@]}"

. "$root/tests/support-server.sh"
start_test_server "$out/server"
trap stop_test_server EXIT
# The forms the FormSession tests fill, published on the server (it reads new files live).
cp "$root"/tests/fixtures/forms/*.xml "$out/server/forms/"

mapfile -t tests < <(cd "$module/test/kotlin" && grep -rl '@Test' --include='*.kt' . \
  | sed -e 's|^\./||' -e 's|\.kt$||' -e 's|/|.|g' | sort)
TEST_SERVER_URL="$TEST_SERVER_URL" TEST_SERVER_LOG="$TEST_SERVER_LOG" TEST_SERVER_FORMS="$out/server/forms" \
TEST_SERVER_DATA="$out/server" \
TEST_FORMS_DIR="$root/tests/fixtures/forms" \
java -Djna.library.path="$lib_dir" -cp "$out/classes:$cp_deps:$klib/kotlin-stdlib.jar" \
  org.junit.runner.JUnitCore "${tests[@]}"
