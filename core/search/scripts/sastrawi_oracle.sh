#!/usr/bin/env bash
# Regenerates tests/fixtures/sastrawi_oracle.tsv with PySastrawi as the oracle.
# Usage: scripts/sastrawi_oracle.sh [EXTRA_DIR...]   (e.g. the service catalog's folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=venv.sh
source "$here/venv.sh"
repo="$(cd "$here/../../.." && pwd)"
"$PYTHON" "$here/sastrawi_oracle.py" "$here/../tests/fixtures/sastrawi_oracle.tsv" "$repo" "$@"
