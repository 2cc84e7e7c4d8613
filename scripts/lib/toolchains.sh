# Shared helpers for scripts/test and scripts/demo: install what a fresh Debian 12
# machine lacks, reuse what is already there. Sourced, not executed.
#
# Everything heavy is cached outside the repository (LAYANAN_CACHE, default
# /var/cache/layanan) so a second run costs nothing.

LAYANAN_CACHE="${LAYANAN_CACHE:-/var/cache/layanan}"
KOTLIN_VERSION="2.4.20"
KOTLIN_HOME="$LAYANAN_CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler"
SWIFT_ROOT="$LAYANAN_CACHE/swift-trixie"

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
# ensure_apt PKG...: installs the Debian packages that are missing.
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ensure_kotlin: kotlinc from the npm package kotlin-compiler, plus JNA and JUnit from Debian.
ensure_kotlin() {
  ensure_apt libjna-java junit4 libhamcrest-java curl
  if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
    log "installing kotlin-compiler@$KOTLIN_VERSION from npm"
    mkdir -p "$LAYANAN_CACHE/kotlin-$KOTLIN_VERSION"
    npm install --silent --no-audit --no-fund --prefix "$LAYANAN_CACHE/kotlin-$KOTLIN_VERSION" \
      "kotlin-compiler@$KOTLIN_VERSION" >&2
    chmod +x "$KOTLIN_HOME"/bin/* 2>/dev/null || true
  fi
  [ -x "$KOTLIN_HOME/bin/kotlinc" ] || { log "kotlinc not found after install"; return 1; }
}

apt_mirror() {
  local m
  m=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1 | awk '{print $2}')
  [ -n "$m" ] || m=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $2}')
  echo "${m:-http://deb.debian.org/debian}"
}

# ensure_swift: a Debian 13 (trixie) chroot with swiftlang, built once and cached.
ensure_swift() {
  # usr/bin/swift is an absolute symlink, only valid inside the chroot: test the link.
  if [ -L "$SWIFT_ROOT/usr/bin/swift" ] && [ -f "$SWIFT_ROOT/.layanan-ready" ]; then
    # Chroots built before the HTTP client tests lack the CA bundle rustls loads.
    if [ ! -f "$SWIFT_ROOT/etc/ssl/certs/ca-certificates.crt" ]; then
      swift_mount
      as_root chroot "$SWIFT_ROOT" /bin/sh -c \
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates' >&2
      swift_umount
    fi
    return 0
  fi
  ensure_apt debootstrap
  log "building the Swift chroot in $SWIFT_ROOT (Debian trixie + swiftlang; a few minutes, once)"
  as_root rm -rf "$SWIFT_ROOT"
  as_root mkdir -p "$SWIFT_ROOT"
  as_root debootstrap --variant=minbase trixie "$SWIFT_ROOT" "$(apt_mirror)" >&2
  swift_mount
  as_root chroot "$SWIFT_ROOT" /bin/sh -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends swiftlang libc6-dev ca-certificates' >&2
  swift_umount
  as_root touch "$SWIFT_ROOT/.layanan-ready"
}

swift_mount() {
  mountpoint -q "$SWIFT_ROOT/proc" || as_root mount -t proc proc "$SWIFT_ROOT/proc"
}

swift_umount() {
  mountpoint -q "$SWIFT_ROOT/proc" && as_root umount "$SWIFT_ROOT/proc" || true
}

# ensure_odk_engine: ODK's own JavaScript engine (npm @getodk/xforms-engine), which the
# forms engine's differential test runs side by side with ours.
ensure_odk_engine() {
  local dir="$1"
  if [ ! -d "$dir/node_modules/@getodk/xforms-engine" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in $dir (ODK's xforms-engine for the differential test)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund) >&2
  fi
}

# ensure_pyxform: pyxform (PyPI) in a cached virtualenv; prints the xls2xform path.
PYXFORM_VERSION="4.5.0"
ensure_pyxform() {
  local venv="$LAYANAN_CACHE/pyxform-$PYXFORM_VERSION"
  if [ ! -x "$venv/bin/xls2xform" ]; then
    log "installing pyxform $PYXFORM_VERSION from PyPI"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q "pyxform==$PYXFORM_VERSION" >&2
  fi
  echo "$venv/bin/xls2xform"
}

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
