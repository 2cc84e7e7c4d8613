#!/usr/bin/env bash
# Regenerates core/search/data/kata-dasar.fc.zz (Sastrawi's root words, front-coded and
# zlib-compressed) and core/search/data/slang-indonlp.tsv (entries picked from indoNLP).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=venv.sh
source "$here/venv.sh"
"$PYTHON" "$here/build_data.py" "$here/../data"
