# Sourced by the benchmark scripts: sets JDK to a JDK >= 21 (JAVA_HOME first, then /usr/lib/jvm/*).
find_benchmark_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1)
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
JDK=$(find_benchmark_jdk) || { echo "benchmarks: need a JDK 21 or newer (JAVA_HOME or /usr/lib/jvm/*)" >&2; exit 1; }
