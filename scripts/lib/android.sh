# The Android framework API (android.jar, API 23) for compile-checking the Android
# adapters. Sourced after scripts/lib/toolchains.sh (it uses log, as_root and
# apt_mirror from there).
#
# Debian 12 has no android.jar; Debian 11 ("bullseye", still in Debian's archive) has
# the architecture-independent android-sdk-platform-23, whose android.jar is in its
# dependency libandroid-23-java (the platform package itself holds only resources and
# metadata, so only libandroid-23-java is fetched). It is fetched with a
# throwaway apt configuration of its own, so bullseye never enters the machine's
# sources, unpacked with dpkg-deb, and cached under LAYANAN_CACHE.
#
#   ensure_android_jar    sets ANDROID_JAR

ANDROID_API=23
ANDROID_ROOT="$LAYANAN_CACHE/android-$ANDROID_API"
ANDROID_JAR="$ANDROID_ROOT/usr/lib/android-sdk/platforms/android-$ANDROID_API/android.jar"

ensure_android_jar() {
  if [ -f "$ANDROID_JAR" ]; then
    export ANDROID_JAR
    return 0
  fi
  log "fetching libandroid-$ANDROID_API-java (android.jar) from Debian 11 (bullseye)"
  local apt_dir="$ANDROID_ROOT.apt"
  as_root rm -rf "$apt_dir"
  as_root mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$ANDROID_ROOT"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(apt_mirror) bullseye main" \
    | as_root tee "$apt_dir/sources.list" >/dev/null
  local apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=-"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
  )
  as_root apt-get -qq "${apt_opts[@]}" update >&2
  (cd "$apt_dir/debs" && as_root apt-get -qq "${apt_opts[@]}" download "libandroid-$ANDROID_API-java") >&2
  local deb
  for deb in "$apt_dir"/debs/*.deb; do
    as_root dpkg-deb -x "$deb" "$ANDROID_ROOT"
  done
  as_root rm -rf "$apt_dir"
  [ -f "$ANDROID_JAR" ] || { log "android.jar not found in libandroid-$ANDROID_API-java"; return 1; }
  export ANDROID_JAR
}
