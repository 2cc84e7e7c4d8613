#!/usr/bin/env bash
# Sourced by the other scripts: a Python venv with the pinned oracle and data packages.
# Sastrawi 1.0.1 (MIT; its root-word list is Kateglo's, CC BY-NC-SA 3.0) and
# indoNLP 0.3.4 (MIT), both from PyPI.
set -euo pipefail
VENV="${SASTRAWI_VENV:-/work/venv-sastrawi}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import Sastrawi, indoNLP' 2>/dev/null; then
    "$VENV/bin/pip" install --quiet Sastrawi==1.0.1 indoNLP==0.3.4
fi
PYTHON="$VENV/bin/python"
export PYTHON
