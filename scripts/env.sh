# Sourced by every script and by bin/bhatti: finds JDK 25 and fails clearly without it.
# The version is read from the JDK's `release` file (JAVA_VERSION="25..."), not by running
# `java -version`: this runs before every CLI call, and two extra JVM starts cost ~90 ms there.
bhatti_jdk25() { # dir: true when dir holds a JDK 25
  [ -n "$1" ] && [ -x "$1/bin/java" ] || return 1
  if [ -f "$1/release" ]; then
    grep -qE '^JAVA_VERSION="25([."]|$)' "$1/release"
  else
    "$1/bin/java" -version 2>&1 | grep -qE 'version "25'
  fi
}
for candidate in "${BHATTI_JDK:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}"; do
  if bhatti_jdk25 "$candidate"; then
    export JAVA_HOME="$candidate"
    break
  fi
done
if ! bhatti_jdk25 "${JAVA_HOME:-}"; then
  echo "error: JDK 25 not found (looked at \$BHATTI_JDK, /usr/lib/jvm/temurin-25-jdk-amd64, \$JAVA_HOME)" >&2
  exit 1
fi
unset -f bhatti_jdk25
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
