# Sourced by ./verify, ./run-offline and .ci/run: points JAVA_HOME and PATH at a JDK 25 or newer, because the
# functions target Lambda's java25 runtime and the default java of a machine may be older. Keeps a JAVA_HOME that is
# already a JDK 25; otherwise looks in the usual install folders.

java_feature() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print v[1] }'
}

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ] || [ "$(java_feature "$JAVA_HOME")" -lt 25 ]; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [ -x "$candidate/bin/javac" ] && [ "$(java_feature "$candidate")" -ge 25 ]; then
      JAVA_HOME="$candidate"
      break
    fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "No JDK 25 or newer found (looked at JAVA_HOME, /usr/lib/jvm, /opt): install one, e.g. Temurin 25," \
      "or set JAVA_HOME to it, and run again." >&2
    exit 2
  fi
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
