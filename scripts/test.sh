#!/usr/bin/env bash
# Install everything the test suite needs, then run the whole suite.
# Used as is by the README and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! fc-list | grep -qi "noto sans cjk"; then
    echo "安装 LibreOffice（无界面）、中文字体和 poppler-utils …"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        libreoffice-calc-nogui libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null
fi

python3 -m pip install -q -e ".[test]"
python3 -m pytest -n 2 "$@"
