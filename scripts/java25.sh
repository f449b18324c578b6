# Sourced by ./ferry, ./test and .ci/run: finds a Java 25 JDK and exports JAVA_HOME.
# Order: $JAVA_HOME if it is 25+, then a JDK 25+ under /usr/lib/jvm, then `java` on the PATH.

ferry_java_version() { # prints the feature release of the java at $1, e.g. 25
  # A JDK's `release` file says it without starting a JVM (which costs ./ferry 60 ms a run).
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

ferry_find_java() {
  local candidate version
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(ferry_java_version "$candidate/bin/java")
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if command -v java >/dev/null 2>&1; then
    version=$(ferry_java_version "$(command -v java)")
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
      export JAVA_HOME
      return 0
    fi
  fi
  echo "ferry: needs a Java 25 JDK; none found in \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm or on the PATH." >&2
  echo "ferry: install one (for example Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
