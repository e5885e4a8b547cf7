#!/usr/bin/env bash
# benchmarks/lib/chart.sh RESULTS_TSV --out DIR [chart.py options]: draws a run's summary as DIR/chart.png and
# DIR/chart.svg with benchmarks/chart.py (matplotlib). Installs Debian's python3-matplotlib where it is missing.
# A chart never fails a run: when matplotlib cannot be had or the drawing fails, this says so and returns 0.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The python3 on PATH may not be Debian's (pyenv, a venv): the apt package lands in /usr/bin/python3's path.
find_python() {
    local p
    for p in python3 /usr/bin/python3; do
        command -v "$p" >/dev/null && "$p" -c 'import matplotlib' 2>/dev/null && { echo "$p"; return 0; }
    done
    return 1
}
if ! PY=$(find_python); then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "chart: installing python3-matplotlib (apt-get)" >&2
        export DEBIAN_FRONTEND=noninteractive
        # the package lists may be stale or absent in a fresh container: update once, then try again
        apt-get install -y -q python3-matplotlib >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q python3-matplotlib >/dev/null 2>&1; }
    fi
    if ! PY=$(find_python); then
        echo "chart: skipped, no matplotlib (as root: apt-get install python3-matplotlib;" \
            "then python3 $here/chart.py $*)" >&2
        exit 0
    fi
fi
"$PY" "$here/chart.py" "$@" || echo "chart: chart.py failed (the run's tables stand; chart skipped)" >&2
exit 0
