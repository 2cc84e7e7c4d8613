# Starts the reference server (development mode: one-time codes go to its log) for
# the Kotlin and Swift suites. Sourced by tests/kotlin/run.sh and tests/swift/run.sh.
#
#   start_test_server DATA_DIR   sets TEST_SERVER_URL, TEST_SERVER_LOG, TEST_SERVER_PID
#   stop_test_server

start_test_server() {
  local data="$1"
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cargo build -q -p layanan-server --bin layanan-server >&2
  mkdir -p "$data/forms"
  cp "$root/tests/fixtures/domisili.xml" "$data/forms/"
  local port
  port=$(free_port)
  TEST_SERVER_LOG="$data/server.log"
  "${CARGO_TARGET_DIR:-$root/target}/debug/layanan-server" --dev --require-sign-in \
    --addr "127.0.0.1:$port" --data-dir "$data" >"$TEST_SERVER_LOG" 2>&1 &
  TEST_SERVER_PID=$!
  TEST_SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fsS "$TEST_SERVER_URL/healthz" >/dev/null 2>&1; then
      export TEST_SERVER_URL TEST_SERVER_LOG TEST_SERVER_PID
      return 0
    fi
    sleep 0.1
  done
  echo "the test server did not start; its log:" >&2
  cat "$TEST_SERVER_LOG" >&2
  return 1
}

stop_test_server() {
  [ -n "${TEST_SERVER_PID:-}" ] && kill "$TEST_SERVER_PID" 2>/dev/null || true
}
