#!/usr/bin/env bash
# Moves the API baseline to the current tree (docs/api-versioning.md):
#   1. builds every module that exports packages (a package-info.java with @Export), with the API gate ON against
#      the current baseline, so a tree whose package versions are wrong is never accepted (--force skips the gate);
#   2. writes those bundles into cnf/baseline-repo/ under a new, never-reused version, stripped to the manifest
#      and the project's own classes (the embedded libraries carry no Portside API and would weigh megabytes);
#   3. records each bundle's exported packages in cnf/baseline/exports.bnd (the removed-package check of
#      cnf/ext/common.bnd) and points portside.baseline.version in the root pom.xml at the new version;
#   4. builds once more against the new baseline, which must pass unchanged.
# Commit pom.xml, cnf/baseline/exports.bnd and cnf/baseline-repo/ together afterwards.
# Usage: cnf/baseline/update.sh [--force] [extra mvn args, e.g. -o]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

exports_bnd=cnf/baseline/exports.bnd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gate=(-Dbnd.baseline.fail.on.missing=false)   # a module new to the baseline has nothing to compare with yet
if [ "${1:-}" = "--force" ]; then
  # Accept whatever the tree exports, even a removed package: neither half of the gate may stop this build.
  gate=(-Dbnd.baseline.skip=true); shift
  cp "$exports_bnd" "$work/exports.bnd.before"
  trap 'cp "$work/exports.bnd.before" "$exports_bnd"; rm -rf "$work"' EXIT
  : > "$exports_bnd"
fi

group=$(sed -n 's#^  <groupId>\(.*\)</groupId>#\1#p' pom.xml | head -1)
# A fresh version each time: Maven caches a release in ~/.m2 forever, so a reused version would go stale there.
version="0.0.0-api-$(date -u +%Y%m%d%H%M%S)"
osgi_version="0.0.0.api-${version#0.0.0-api-}"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')"

# Modules that export: the directory above src/main/java of each package-info.java with @Export.
# Only files git tracks: scratch trees (benchmarks/.work, target/) hold copies of the sources.
mapfile -t modules < <(git ls-files '*/package-info.java' | xargs grep -lE '^@(org\.osgi\.annotation\.bundle\.)?Export\b' \
  | sed -n 's#^\(.*\)/src/main/java/.*#\1#p' | sort -u)
[ "${#modules[@]}" -gt 0 ] || { echo "no module exports a package (package-info.java with @Export)" >&2; exit 1; }
echo "baseline: building ${modules[*]} (API gate: ${gate[*]})"
mvn -B -q clean package -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am "${gate[@]}" "$@"

repo=cnf/baseline-repo
new_repo="$work/baseline-repo"   # written aside, swapped in only once every bundle is there
{ echo "# Written by cnf/baseline/update.sh ($version, from $commit): the packages each bundle exported"
  echo "# when the API baseline was accepted. cnf/ext/common.bnd fails a bundle that no longer exports one of them."
} > "$work/exports.bnd"
for module in "${modules[@]}"; do
  artifact=$(basename "$module")
  jar=""
  for candidate in "$module"/target/"$artifact"-*.jar; do # the bundle itself, not its -sources or -javadoc jar
    case "$candidate" in *-sources.jar|*-javadoc.jar) ;; *) jar=$candidate ;; esac
  done
  [ -f "$jar" ] || { echo "no bundle built for $module" >&2; exit 1; }
  unzip -p "$jar" META-INF/MANIFEST.MF | grep -q '^Export-Package:' \
    || { echo "$module has @Export but its bundle exports nothing" >&2; exit 1; }

  dir="$new_repo/${group//.//}/$artifact/$version"
  mkdir -p "$dir" "$work/$artifact"
  unzip -q "$jar" "${group//.//}/*" -d "$work/$artifact/classes"
  unzip -p "$jar" META-INF/MANIFEST.MF | sed "s/^Bundle-Version: .*/Bundle-Version: $osgi_version/" > "$work/$artifact/MANIFEST.MF"
  jar --create --file "$dir/$artifact-$version.jar" --manifest "$work/$artifact/MANIFEST.MF" \
      --date=2026-01-01T00:00:00Z -C "$work/$artifact/classes" .
  cat > "$dir/$artifact-$version.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <description>Accepted API baseline of $module, from commit $commit (cnf/baseline/update.sh).</description>
</project>
POM
  cat > "$new_repo/${group//.//}/$artifact/maven-metadata.xml" <<META
<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <versioning>
    <release>$version</release>
    <versions><version>$version</version></versions>
  </versioning>
</metadata>
META
  for f in "$dir"/*.jar "$dir"/*.pom "$new_repo/${group//.//}/$artifact/maven-metadata.xml"; do
    sha1sum "$f" | cut -d' ' -f1 > "$f.sha1"
  done
  unzip -p "$dir/$artifact-$version.jar" META-INF/MANIFEST.MF | tr -d '\r' \
    | awk '/^ /{printf "%s", substr($0, 2); next} {printf "\n%s", $0} END {print ""}' \
    | sed -n 's/^Export-Package: //p' | grep -o '[A-Za-z0-9_.]*;version="[^"]*"' > "$work/$artifact.exports"
  echo "baseline.exports.$artifact: $(cut -d';' -f1 "$work/$artifact.exports" | paste -sd,)" >> "$work/exports.bnd"
  echo "baseline: $artifact $version exports:"
  sed 's/^/  /' "$work/$artifact.exports"
  if grep -q 'version="0\.' "$work/$artifact.exports"; then
    echo "baseline: WARNING: bnd does not gate packages below 1.0.0 (SemVer: 0.x may change freely)" >&2
  fi
done

rm -rf "$repo"
cp -r "$new_repo" "$repo"
cp "$work/exports.bnd" "$exports_bnd"
sed -i "s#<portside.baseline.version>[^<]*</portside.baseline.version>#<portside.baseline.version>$version</portside.baseline.version>#" pom.xml
grep -q "<portside.baseline.version>$version<" pom.xml || { echo "could not set portside.baseline.version in pom.xml" >&2; exit 1; }
trap 'rm -rf "$work"' EXIT   # from here on the new exports.bnd stays, even with --force

echo "baseline: checking the tree against the new baseline"
mvn -B -q package -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am "$@" \
  || { echo "baseline: the tree does not pass against its own new baseline (see above); nothing is committed" >&2; exit 1; }
echo "baseline: now $version (from $commit); commit pom.xml, $exports_bnd and $repo/"
