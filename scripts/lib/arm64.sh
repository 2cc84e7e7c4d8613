# The phone's CPU architecture on this x86_64 machine: the aarch64 Rust target, Debian's
# cross compiler, and qemu-user to run the test binaries. Sourced after toolchains.sh.

ARM64_TARGET=aarch64-unknown-linux-gnu

# ensure_arm64: the rustup target and Debian's cross toolchain and qemu-user.
ensure_arm64() {
  ensure_apt gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  if ! rustup target list --installed 2>/dev/null | grep -qx "$ARM64_TARGET"; then
    log "rustup target add $ARM64_TARGET"
    rustup target add "$ARM64_TARGET" >&2
  fi
}

# arm64_env: exports what cargo needs to build for, and run under qemu on, aarch64.
arm64_env() {
  export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/aarch64-lld-cc"
  export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
  export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
  export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
}
