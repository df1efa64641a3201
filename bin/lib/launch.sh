# shellcheck shell=bash
# Sourced by bin/zdm (and the bench scripts): how zdm's JVMs are launched.
#   ZDM_CLIENT_FLAGS, ZDM_DAEMON_FLAGS   the JVM flags of the CLI and of `zdm daemon` in the foreground
#                                  (DaemonLauncher.JVM_FLAGS is the daemon's; keep the two equal)
#   zdm_classpath JARDIR [LIBDIR]  prints the class path: JARDIR/zdm-cli.jar, then the other jars of
#                                  LIBDIR (default JARDIR) in name order (explicit, not lib/*, so the
#                                  AOT cache can check it); cli/target + cli/target/lib in a source
#                                  tree, lib/ in a release archive
#   zdm_aot_cache DIR JAVA CP      prints the path in DIR of the cache for this JDK and exactly these jars
#   zdm_aot_train JAVA CP CACHE FLAGS...   creates CACHE from a training run (zdm.cli.AotTraining)
# The cache's name carries a checksum of the JDK's release file and every jar's name, size and mtime,
# so a rebuild or another JDK gets a new cache instead of a mismatching one (which the JVM would
# ignore, losing the speed-up without a word).

# The client JVM: one short-lived thread of work, so the cheapest JIT (C1 only), the serial GC and no
# hsperfdata file. Each flag's effect is measured by bench/cli (docs/benchmarks.md, "CLI start-up").
ZDM_CLIENT_FLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
# A small long-running service; explained in docs/architecture.md ("JVM flags").
ZDM_DAEMON_FLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms8m -Xmx128m
                  -XX:TrimNativeHeapInterval=30000 -XX:-UsePerfData)

zdm_classpath() {
  local dir=$1 lib=${2:-$1} jar cp=$1/zdm-cli.jar
  for jar in "$lib"/*.jar; do [[ $jar == "$cp" ]] || cp+=":$jar"; done
  echo "$cp"
}

zdm_aot_cache() {
  local dir=$1 java=$2 cp=$3 key
  key=$( { cat "$(dirname "$(dirname "$java")")/release" 2>/dev/null; echo "$java"
           tr ':' '\n' <<<"$cp" | xargs stat -c '%n %s %Y' 2>/dev/null; } | cksum | cut -d' ' -f1)
  echo "$dir/zdm-cli-$key.aot"
}

# Runs the training commands against a throwaway daemon in a temporary home, then lets the JVM write
# the cache. Older caches are removed. Returns 0 when the cache was written; 1 when the training
# failed, leaving CACHE.failed (with the log) so that a broken environment costs one attempt per
# build, not one per command; 2 without a word when the cache's folder is not writable (an
# installed, read-only zdm simply runs without a cache).
zdm_aot_train() {
  local java=$1 cp=$2 cache=$3; shift 3
  local dir home log rc
  dir=$(dirname "$cache")
  { mkdir -p "$dir" && [[ -w $dir ]]; } 2>/dev/null || return 2
  home=$(mktemp -d "${TMPDIR:-/tmp}/zdm-aot.XXXXXX") || return 2
  log=$cache.log
  rm -f "$dir"/zdm-cli-*.aot "$dir"/zdm-cli-*.aot.failed "$dir"/zdm-cli-*.aot.log
  "$java" "$@" -XX:AOTCacheOutput="$cache.tmp" -Xlog:aot=off -Xlog:cds=off \
    -cp "$cp" zdm.cli.AotTraining "$home/h" >"$log" 2>&1
  rc=$?
  rm -rf "$home"
  if (( rc == 0 )) && [[ -s $cache.tmp ]]; then
    mv -f "$cache.tmp" "$cache"
    rm -f "$log"
    return 0
  fi
  rm -f "$cache.tmp" "$cache.tmp.config"
  mv -f "$log" "$cache.failed"
  return 1
}
