# Sourced by ./ferry and scripts/install in a checkout: the runnable jar, built when it is missing or
# older than the sources. Needs JAVA_HOME (scripts/java25.sh) and the checkout's root in $1.

ferry_jar() { # sets ferry_jar_path to the checkout's runnable jar (a variable: $(...) would fork)
  ferry_jar_path="$1/ferry-cli/target/ferry.jar"
}

ferry_jar_stale() {
  local root=$1 jar
  ferry_jar "$root"
  jar=$ferry_jar_path
  [ ! -f "$jar" ] && return 0
  # The modules' sources and poms only, named by a glob (no fork): walking the whole checkout
  # (.git, the benchmarks' results, the Python package) took find 16 ms of every run's start, this 10.
  local sources=("$root/pom.xml" "$root"/ferry-*/pom.xml "$root"/ferry-*/src)
  [ -n "$(find "${sources[@]}" \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit 2>/dev/null)" ]
}

ferry_build_jar() { # builds the jar if it is stale; returns 1 (after Maven's messages) if the build fails
  local root=$1 log
  ferry_jar_stale "$root" || return 0
  command -v mvn >/dev/null 2>&1 || { echo "ferry: Maven (mvn) is needed to build Ferry; install it (apt-get install maven)." >&2; return 127; }
  echo "ferry: building (first run or sources changed)..." >&2
  # Maven's own output (colour resets even with -q) is kept out of the way unless the build fails.
  log=$(mktemp)
  if ! (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -q -B -Dstyle.color=never -DskipTests -Dmaven.source.skip -Dmaven.javadoc.skip package -pl ferry-cli -am) >"$log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" >&2
    rm -f "$log"
    echo "ferry: the build failed; see the messages above." >&2
    return 1
  fi
  rm -f "$log"
}
