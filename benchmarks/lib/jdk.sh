# Sourced by the benchmark scripts: sets JDK to a JDK >= 21 (JAVA_HOME first, then /usr/lib/jvm/*).
# shellcheck source=../../launcher/jvm-options.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../launcher/jvm-options.sh" # java_version, as ./portside reads it
find_benchmark_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    v=$(java_version "$c/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
JDK=$(find_benchmark_jdk) || { echo "benchmarks: need a JDK 21 or newer (JAVA_HOME or /usr/lib/jvm/*)" >&2; exit 1; }
