# Sourced by ./portside and benchmarks/host.sh: the JVM options the launcher runs with, read from launcher/jvm.options.
# portside_jvm_options FILE VERSION: prints the options of FILE that apply to a JDK of feature VERSION, one a line.
# A line of FILE is one option; '#' starts a comment; 'NN+ OPTION' applies only from JDK NN on (an older JVM refuses an
# option it does not know, and would not start). A missing FILE gives no options (an older build of Portside).
portside_jvm_options() {
  local file=$1 version=$2 line since
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"
    line="$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')"
    [ -n "$line" ] || continue
    if [[ "$line" =~ ^([0-9]+)\+[[:space:]]+(.+)$ ]]; then
      since=${BASH_REMATCH[1]}
      line=${BASH_REMATCH[2]}
      [ -n "$version" ] && [ "$version" -ge "$since" ] || continue
    fi
    printf '%s\n' "$line"
  done <"$file"
}

# java_version JAVA: prints the feature version of the java binary JAVA (21, 25, ...), or nothing.
java_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
