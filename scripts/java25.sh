# Sourced by ./ferry (in a checkout and installed), ./test, scripts/install and .ci/run: finds a
# Java 25 and exports JAVA_HOME. Order: $JAVA_HOME if it is 25+, then one under /usr/lib/jvm, then
# `java` on the PATH. `ferry_find_java` wants a JDK (javac: a checkout builds itself with Maven);
# `ferry_find_java runtime` takes a runtime too (an installed ferry only runs its jar).

# Every `$(...)` or outside program costs a fork, 3-5 ms each on a small VM, and ./ferry runs this
# on every call: what is read here is read with bash's own builtins.

ferry_java_version() { # sets ferry_version to the feature release of the java at $1 (25), or ""
  # A JDK's `release` file says it without starting a JVM (which costs ./ferry 60 ms a run).
  local release=${1%/bin/java}/release line
  ferry_version=""
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        ferry_version=${BASH_REMATCH[1]}
        return
      fi
    done <"$release"
    return
  fi
  ferry_version=$("$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
}

ferry_find_java() {
  local need=${1:-jdk} candidate version seen=() visited=' '
  # Each place looked at and what it held, for the message when none will do.
  local from_env=${JAVA_HOME:-} label
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    case $visited in *" $candidate "*) continue ;; esac
    visited+="$candidate "
    label=$candidate
    [ "$candidate" = "$from_env" ] && label="JAVA_HOME=$candidate"
    if [ ! -x "$candidate/bin/java" ]; then
      [ "$candidate" = "$from_env" ] && seen+=("$label: no bin/java there")
      continue
    fi
    ferry_java_version "$candidate/bin/java"
    version=$ferry_version
    if [ "$need" = jdk ] && [ ! -x "$candidate/bin/javac" ]; then
      seen+=("$label: Java ${version:-of unknown version}, a runtime without javac (building Ferry needs a JDK)")
      continue
    fi
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
    seen+=("$label: Java ${version:-of unknown version}")
  done
  if command -v java >/dev/null 2>&1; then
    local java
    java=$(readlink -f "$(command -v java)")
    ferry_java_version "$java"
    version=$ferry_version
    if [ -n "$version" ] && [ "$version" -ge 25 ] &&
      { [ "$need" != jdk ] || [ -x "$(dirname "$java")/javac" ]; }; then
      JAVA_HOME=$(dirname "$(dirname "$java")")
      export JAVA_HOME
      return 0
    fi
    seen+=("java on the PATH ($java): Java ${version:-of unknown version}")
  else
    seen+=("java on the PATH: none")
  fi
  local what="a Java 25 runtime (or newer)"
  [ "$need" = jdk ] && what="a Java 25 JDK (or newer)"
  {
    echo "ferry: needs $what and found none. Looked at:"
    [ -z "${JAVA_HOME:-}" ] && echo "ferry:   JAVA_HOME: not set"
    local s
    for s in "${seen[@]}"; do echo "ferry:   $s"; done
    [ -d /usr/lib/jvm ] || echo "ferry:   /usr/lib/jvm: no such folder"
    echo "ferry: Install a JDK 25, for example Eclipse Temurin 25: on Debian or Ubuntu add Adoptium's apt"
    echo "ferry:   repository (https://adoptium.net/installation/linux/) and run"
    echo "ferry:   'apt-get install temurin-25-jdk' (it goes under /usr/lib/jvm, where ferry looks);"
    echo "ferry:   or unpack one from https://adoptium.net/ anywhere and 'export JAVA_HOME=/path/to/jdk-25'."
  } >&2
  return 1
}
