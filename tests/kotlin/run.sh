#!/usr/bin/env bash
# Compiles the generated Kotlin bindings, the Android library's plain-Kotlin sources
# (bindings, adapters, presentation layer) and their JVM tests in one kotlinc call,
# then compile-checks the Android adapters (src/android) against the Android
# framework API (android.jar, API 23, from Debian 11) in a second one, and runs the
# tests on the JVM with JNA against the real liblayanan. Prints JUnit's summary.
#
#   tests/kotlin/run.sh LIB_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/scripts/lib/toolchains.sh"
. "$root/scripts/lib/android.sh"
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

# The Android adapters see only the Android framework (no JDK), the Kotlin stdlib
# and coroutines, and the library module's classes compiled above.
ensure_android_jar
mapfile -t android_sources < <(find "$module/android/kotlin" -name '*.kt' | sort)
log "kotlinc against android.jar (API $ANDROID_API): ${#android_sources[@]} files"
"$KOTLIN_HOME/bin/kotlinc" -nowarn -no-stdlib -no-jdk -jvm-target 1.8 \
  -cp "$ANDROID_JAR:$klib/kotlin-stdlib.jar:$klib/kotlinx-coroutines-core-jvm.jar:/usr/share/java/jna.jar:$out/classes" \
  -d "$out/android-classes" "${android_sources[@]}"

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
