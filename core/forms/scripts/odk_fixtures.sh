#!/usr/bin/env bash
# Runs ODK's public fixture forms through ODK's engine (@getodk/xforms-engine) and
# through layanan-forms, and prints the comparison table (docs/odk-fixtures.md).
#
# Usage: core/forms/scripts/odk_fixtures.sh [WEB_FORMS_GIT_DIR]
# WEB_FORMS_GIT_DIR is a fetched copy of github.com/getodk/web-forms (a bare git dir);
# default: /work/.mirror/getodk+web-forms/repo. The forms are extracted to a temporary
# directory and never committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
forms_crate="$(dirname "$here")"
repo_root="$(cd "$forms_crate/../.." && pwd)"
git_dir="${1:-}"
if [ -z "$git_dir" ]; then
  for d in /work/.mirror/getodk+web-forms/repo /work/.mirror/getodk+web-forms; do
    [ -d "$d" ] && { git_dir="$d"; break; }
  done
fi
[ -n "$git_dir" ] && [ -d "$git_dir" ] || { echo "no web-forms copy: pass its git dir" >&2; exit 2; }

. "$repo_root/scripts/lib/toolchains.sh"
ensure_odk_engine "$forms_crate/tests/differential"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git --git-dir="$git_dir" archive HEAD packages/common/src/fixtures | tar -x -C "$work"
fixtures="$work/packages/common/src/fixtures"
commit="$(git --git-dir="$git_dir" rev-parse --short HEAD)"
# Every XForm: XML files whose root is an (h:)html element.
(cd "$fixtures" && grep -rlE '<([A-Za-z]+:)?html[ >]' --include='*.xml' . | sort) > "$work/forms.txt"

now=1795860000000
TZ=Asia/Jakarta node "$here/odk_fixtures.mjs" "$fixtures" "$forms_crate/tests/differential" "$now" \
  "$here/odk_fixture_steps.json" < "$work/forms.txt" > "$work/odk.json"
echo "<!-- getodk/web-forms $commit, packages/common/src/fixtures; made by core/forms/scripts/odk_fixtures.sh -->"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-forms}" \
  cargo run -q -p layanan-forms --example odk_fixtures -- "$fixtures" "$work/odk.json" \
  "$here/odk_fixture_steps.json" < "$work/forms.txt"
