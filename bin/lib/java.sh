# shellcheck shell=bash
# Sourced by bin/zdm and bin/test: finds a JDK 25 or newer.
#   zdm_find_java   prints the path of its java binary, or prints an error to stderr and returns 1.
# Order: $JAVA_HOME if it is 25+, else the newest /usr/lib/jvm/* that is 25+.

ZDM_MIN_JAVA=25

# The major version of the JDK at $1 (a JDK home), into REPLY: from its `release` file, which every
# JDK ships, read with bash builtins only, because each zdm command runs this for every JDK in
# /usr/lib/jvm (a `sed` per JDK cost ~15 ms; running `java -version` would cost ~100 ms).
zdm_java_major() {
  local home=$1 line version=""
  REPLY=""
  if [[ -r $home/release ]]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"(.*)\"$ ]]; then version=${BASH_REMATCH[1]}; break; fi
    done <"$home/release"
  fi
  if [[ -z $version && -x $home/bin/java ]]; then
    # e.g. openjdk version "25.0.3" 2026-04-21 LTS, or "1.8.0_412", or "25-ea"
    version=$("$home/bin/java" -version 2>&1 | sed -n '1s/^[^"]*"\([^"]*\)".*/\1/p')
  fi
  version=${version#1.}        # 1.8.0 -> 8.0
  version=${version%%[.+-]*}   # 25.0.3 -> 25, 25-ea -> 25
  [[ $version =~ ^[0-9]+$ ]] || return 1
  REPLY=$version
}

zdm_find_java() {
  local major
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    zdm_java_major "$JAVA_HOME" && major=$REPLY || major=0
    if (( major >= ZDM_MIN_JAVA )); then
      echo "$JAVA_HOME/bin/java"
      return 0
    fi
  fi
  local best="" best_major=0 home
  for home in /usr/lib/jvm/*; do
    [[ -x $home/bin/java ]] || continue
    zdm_java_major "$home" || continue
    major=$REPLY
    if (( major >= ZDM_MIN_JAVA && major > best_major )); then
      best=$home/bin/java
      best_major=$major
    fi
  done
  if [[ -n $best ]]; then
    echo "$best"
    return 0
  fi
  echo "zdm: needs a JDK $ZDM_MIN_JAVA or newer; none found in \$JAVA_HOME (${JAVA_HOME:-unset}) or /usr/lib/jvm: install one (e.g. temurin-25-jdk) or set JAVA_HOME to it" >&2
  return 1
}
