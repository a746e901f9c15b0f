#!/usr/bin/env bash
# Prints a JDK >= 21 to use as JAVA_HOME: the current one if new enough, else one from /usr/lib/jvm.
set -euo pipefail
version_of() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(version_of "$JAVA_HOME")" -ge 21 ]; then
  echo "$JAVA_HOME"; exit 0
fi
for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
  if [ -x "$d/bin/javac" ] && [ "$(version_of "$d")" -ge 21 ]; then echo "$d"; exit 0; fi
done
echo "no JDK >= 21 found under /usr/lib/jvm; install one (e.g. temurin-25-jdk)" >&2
exit 1
