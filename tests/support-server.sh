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

# start_link_proxy NAME ARGS...: a layanan-netsim-proxy in front of the test server
# (throttling, a dropped connection); sets LINK_PROXY_URL. Its stats file is
# "$TEST_PROXY_DIR/NAME.stats". stop_link_proxies ends them all. Call it directly,
# not in $(...), so the proxies stay this shell's to stop.
LINK_PROXY_PIDS=()
start_link_proxy() {
  local name="$1"; shift
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cargo build -q -p layanan-netsim --bin layanan-netsim-proxy >&2
  mkdir -p "$TEST_PROXY_DIR"
  local url_file="$TEST_PROXY_DIR/$name.url"
  rm -f "$url_file"
  # The proxy runs until its stdin closes; `sleep` holds it open.
  sleep 7200 | "${CARGO_TARGET_DIR:-$root/target}/debug/layanan-netsim-proxy" \
    --upstream "${TEST_SERVER_URL#http://}" --stats-file "$TEST_PROXY_DIR/$name.stats" "$@" \
    >"$url_file" 2>>"$TEST_PROXY_DIR/$name.log" &
  LINK_PROXY_PIDS+=($!)
  for _ in $(seq 1 100); do
    if [ -s "$url_file" ]; then LINK_PROXY_URL=$(head -n1 "$url_file"); return 0; fi
    sleep 0.1
  done
  echo "the link proxy $name did not start" >&2
  return 1
}

stop_link_proxies() {
  local pid
  for pid in "${LINK_PROXY_PIDS[@]}"; do
    # The pipeline's last process is the proxy; its `sleep` goes with the pipe.
    kill "$pid" 2>/dev/null || true
    pkill -P "$$" -x sleep 2>/dev/null || true
  done
  LINK_PROXY_PIDS=()
}
