# shellcheck shell=bash
# Sourced by bin/zdm (and the bench scripts): how zdm's JVMs are launched.
#   ZDM_CLIENT_FLAGS, ZDM_DAEMON_FLAGS   the JVM flags of the CLI and of `zdm daemon` in the foreground,
#                                  read from launch.conf (which DaemonLauncher reads too)
#   zdm_classpath JARDIR [LIBDIR]  prints the full CLI's class path: JARDIR/zdm-cli.jar, then the other
#                                  jars of LIBDIR (default JARDIR) in name order but the fast client's
#                                  zdm-client.jar (explicit, not lib/*, so the AOT cache can check it);
#                                  cli/target + cli/target/lib in a source tree, lib/ in a release archive
#   zdm_aot_fresh FILE JAVA CP     whether the cache FILE (or its FILE.failed record) is for this JDK and
#                                  exactly these jars
#   zdm_aot_train JAVA CP CACHE MAIN [--daemon DCACHE] FLAGS...   creates CACHE from a training run of
#                                  the class MAIN; with --daemon, also the daemon's class archive DCACHE,
#                                  written by the training's throwaway daemon (zdm.cli.AotTraining)
#   zdm_terminal_width             the terminal's width into REPLY when stdout is a terminal and COLUMNS
#                                  is not exported (else empty), for -Dzdm.columns (zdm.view.Tty)
#   zdm_fast_command ARGS...       whether ARGS take the fast path (run by the daemon): the fast client
#                                  (zdm.client.FastMain, zdm-client.jar alone) with its own, smaller
#                                  cache (zdm-fast.aot, trained by zdm.client.FastTraining);
#                                  the full path's (the "full:" commands, `zdm` alone, ZDM_FAST_PATH=0) is
#                                  zdm-cli.aot (zdm.cli.AotTraining)
# A rebuild or another JDK makes the cache stale, and bin/zdm trains a new one instead of passing a
# mismatching one (which the JVM would ignore, losing the speed-up without a word).

# ZDM_CLIENT_FLAGS, ZDM_DAEMON_FLAGS and ZDM_FULL_COMMANDS come from launch.conf beside this file,
# which zdm-cli.jar carries too (zdm.cli.LaunchConf): one definition for bash and Java.
ZDM_CLIENT_FLAGS=() ZDM_DAEMON_FLAGS=() ZDM_FULL_COMMANDS=()
while read -r zdm_key zdm_rest; do
  case $zdm_key in
    client_flags:) read -ra ZDM_CLIENT_FLAGS <<<"$zdm_rest" ;;
    daemon_flags:) read -ra ZDM_DAEMON_FLAGS <<<"$zdm_rest" ;;
    full:) read -ra ZDM_FULL_COMMANDS <<<"$zdm_rest" ;;
  esac
done <"${BASH_SOURCE[0]%/*}/launch.conf"   # not $(dirname ...): a process per command
unset zdm_key zdm_rest

zdm_classpath() {
  local dir=$1 lib=${2:-$1} jar cp=$1/zdm-cli.jar
  for jar in "$lib"/*.jar; do [[ $jar == "$cp" || $jar == */zdm-client.jar ]] || cp+=":$jar"; done
  echo "$cp"
}

# bash's checkwinsize sets COLUMNS after a child process ends, from the terminal on fd 2: a subshell
# with fd 2 on stdout costs a fork, where the JVM spawning `stty size` cost ~30 ms of CPU. An
# exported COLUMNS is the user's choice, which the JVM reads itself.
zdm_terminal_width() {
  REPLY=""
  [[ -t 1 && -z ${COLUMNS:-} ]] || return 0
  shopt -s checkwinsize
  { (:); } 2>&1
  REPLY=${COLUMNS:-}
  unset COLUMNS
}

zdm_fast_command() {
  local c
  (( $# )) && [[ ${ZDM_FAST_PATH:-1} != 0 ]] || return 1
  for c in "${ZDM_FULL_COMMANDS[@]}"; do [[ $1 == "$c" ]] && return 1; done
  return 0
}

# Whether FILE (a cache, or its .failed record) was made for this JDK and these jars: FILE.key holds
# the java and class path it was made with, and no jar (nor the JDK's release file) is newer. Bash
# builtins only (test -nt, read): this runs before every command, where `stat | cksum` cost ~13 ms.
zdm_aot_fresh() {
  local file=$1 java=$2 cp=$3 key="" jar
  [[ -f $file && -f $file.key ]] || return 1
  IFS= read -r -d '' key <"$file.key"
  [[ $key == "$java"$'\n'"$cp"$'\n' ]] || return 1
  [[ ${java%/bin/java}/release -nt $file ]] && return 1
  local IFS=:
  for jar in $cp; do [[ $jar -nt $file ]] && return 1; done
  return 0
}

# Runs the training commands against a throwaway daemon in a temporary home, then lets the JVM write
# the cache. Older caches are removed. Returns 0 when the cache was written; 1 when the training
# failed, leaving CACHE.failed (with the log) so that a broken environment costs one attempt per
# build, not one per command; 2 without a word when the cache's folder is not writable (an
# installed, read-only zdm simply runs without a cache).
# The daemon's archive is kept (with a key of its own) only from a training that succeeded; the
# daemon's umask made it private, and it holds nothing the jars do not, so it is made readable like
# them (another user's daemon may run from the same installation).
zdm_aot_train() {
  local java=$1 cp=$2 cache=$3 main=$4; shift 4
  local dir home log rc daemon="" daemon_arg=()
  if [[ ${1:-} == --daemon ]]; then daemon=$2 daemon_arg=("$2.tmp"); shift 2; fi
  dir=$(dirname "$cache")
  { mkdir -p "$dir" && [[ -w $dir ]]; } 2>/dev/null || return 2
  home=$(mktemp -d "${TMPDIR:-/tmp}/zdm-aot.XXXXXX") || return 2
  log=$cache.log
  rm -f "$cache" "$cache".* "$dir"/zdm-cli-*.aot* "$dir"/zdm-quick.aot*   # this cache's files, and older zdms' caches
  [[ -z $daemon ]] || rm -f "$daemon" "$daemon".*
  "$java" "$@" -XX:AOTCacheOutput="$cache.tmp" -Xlog:aot=off -Xlog:cds=off \
    -cp "$cp" "$main" "$home/h" "${daemon_arg[@]}" >"$log" 2>&1
  rc=$?
  rm -rf "$home"
  if (( rc == 0 )) && [[ -s $cache.tmp ]]; then
    mv -f "$cache.tmp" "$cache"
    rm -f "$log"
    printf '%s\n%s\n' "$java" "$cp" >"$cache.key"
    if [[ -n $daemon && -s $daemon.tmp ]]; then
      chmod a+r "$daemon.tmp" && mv -f "$daemon.tmp" "$daemon" && printf '%s\n%s\n' "$java" "$cp" >"$daemon.key"
    fi
    [[ -z $daemon ]] || rm -f "$daemon.tmp" "$daemon.tmp.config"
    return 0
  fi
  [[ -z $daemon ]] || rm -f "$daemon.tmp" "$daemon.tmp.config"
  rm -f "$cache.tmp" "$cache.tmp.config"
  mv -f "$log" "$cache.failed"
  printf '%s\n%s\n' "$java" "$cp" >"$cache.failed.key"
  return 1
}
