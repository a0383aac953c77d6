#!/usr/bin/env bash
# Prints the home of a JDK of version 21 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
# Exits 1 with a clear message when there is none.
jdk_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; best_v=0
for d in /usr/lib/jvm/*; do
  [ -x "$d/bin/javac" ] || continue
  v=$(jdk_major "$d")
  if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
done
if [ -z "$best" ]; then
  echo "grey: no JDK 21 or newer found (checked JAVA_HOME and /usr/lib/jvm/*); install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+" >&2
  exit 1
fi
echo "$best"
