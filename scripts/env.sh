# Sourced by every script: finds JDK 25 and fails clearly without it.
for candidate in "${BHATTI_JDK:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}"; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
     && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "25'; then
    export JAVA_HOME="$candidate"
    break
  fi
done
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "25'; then
  echo "error: JDK 25 not found (looked at \$BHATTI_JDK, /usr/lib/jvm/temurin-25-jdk-amd64, \$JAVA_HOME)" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
