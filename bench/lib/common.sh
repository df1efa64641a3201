# shellcheck shell=bash
# Helpers shared by bench/run, bench/cli, bench/idle-rss and bench/scale.
# The caller sets $tmp (its temporary folder) before calling what installs or logs, and $root (the
# repository) before the zdm helpers.

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }

# Sends SIGTERM to the given pids, waits up to 5 s, then SIGKILLs what is left.
stop_pids() {
  local pids=() pid deadline alive
  for pid in "$@"; do [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && pids+=("$pid"); done
  (( ${#pids[@]} )) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null
  deadline=$(( $(now_ms) + 5000 ))
  while (( $(now_ms) < deadline )); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done   # reaps those that are our children
  return 0
}

# Installs an apt package when its command is missing and we are root (apt-get update only on failure,
# the usual cause being missing or stale package lists); fails when the command is still missing.
try_tool() { # <command> <apt package>
  command -v "$1" >/dev/null && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    say "installing $2 (apt-get install -y $2)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >>"$tmp/apt.log" 2>&1; then
      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "$2"; } >>"$tmp/apt.log" 2>&1
    fi
  fi
  command -v "$1" >/dev/null
}
# try_tool, or stop the run.
ensure_tool() { # <command> <apt package>
  try_tool "$1" "$2" || die "$1 is not installed and could not be installed (see $tmp/apt.log if it exists); install it: sudo apt-get install $2"
}

# Sets free_port to a port nothing listens on (next_port advances in the calling shell).
# Below the kernel's ephemeral range (32768-60999): a port there can be the local end of a load connection or
# of a proxy's worker connection, and a server binding it then fails with EADDRINUSE (haproxy-2t's worker, once).
next_port=$(( 20000 + RANDOM % 10000 ))
pick_free_port() {
  while (( next_port < 32768 )); do
    free_port=$(( next_port++ ))
    (exec 3<>"/dev/tcp/127.0.0.1/$free_port") 2>/dev/null || return 0
  done
  return 1
}

# pm2: a pinned version from npm into $tmp/pm2, its home in $tmp/pm2home.
PM2_VERSION=${PM2_VERSION:-7.0.4}
install_pm2() {
  [[ -x $tmp/pm2/node_modules/.bin/pm2 ]] && return 0
  command -v npm >/dev/null || die "npm is not on PATH (needed to install pm2); install nodejs and npm"
  say "installing pm2@$PM2_VERSION into $tmp/pm2"
  npm install --prefix "$tmp/pm2" --no-audit --no-fund --loglevel=error "pm2@$PM2_VERSION" >"$tmp/pm2-install.log" 2>&1 ||
    die "npm install pm2@$PM2_VERSION failed (see $tmp/pm2-install.log)"
}
pm2() { PM2_HOME="$tmp/pm2home" "$tmp/pm2/node_modules/.bin/pm2" "$@"; }

# Resident memory of one process, in MiB with one decimal: VmRSS, RssAnon or RssFile.
rss_mib() { awk -v k="$2:" '$1 == k {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }

# CPU time (user + system) of one process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat;
# the command name, field 2, may contain spaces, hence the split after its closing parenthesis).
cpu_ticks() { local s; s=$(<"/proc/$1/stat") && s=${s##*) } && awk '{print $12 + $13}' <<<"$s"; }

# "tid comm ctxt_switches" for every thread of a process (voluntary + involuntary): each wake-up is one.
thread_switches() {
  local t
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" -v comm="$(tr ' ' '_' <"$t/comm" 2>/dev/null)" \
      '/ctxt_switches/ {n += $2} END {if (comm != "") print tid, comm, n}' "$t/status" 2>/dev/null
  done
}
# Wake-ups between two thread_switches snapshots, by thread name, most first: "count name" lines.
# A thread that exited in between is left out; one that started counts from zero.
thread_wakeups() { # <before> <after>
  awk 'NR == FNR {a[$1] = $3; next} {d = $3 - ($1 in a ? a[$1] : 0); if (d > 0) w[$2] += d}
       END {for (n in w) print w[n], n}' "$1" "$2" | sort -rn
}

# The sample ecosystem (config-samples/ecosystem.yaml: web, 2 node workers; ticker, python3) with
# absolute script paths and the given port.
zdm_ecosystem() { # <port> <file>
  sed -e "s#script: apps/#script: $root/config-samples/apps/#" -e "s#port: 3000#port: $1#" \
    "$root/config-samples/ecosystem.yaml" >"$2"
}
# Stops one zdm home's daemon and its workers: `zdm kill`, then the daemon's pid if it is still there.
stop_zdm_home() { # <home>
  local pid
  pid=$(cat "$1/daemon.pid" 2>/dev/null)
  timeout 60 env ZDM_HOME="$1" "$root/bin/zdm" kill >>"$tmp/zdm-kill.log" 2>&1
  stop_pids "$pid"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# Replaces the section between "<!-- NAME:begin -->" and "<!-- NAME:end -->" of DOC by GENERATED
# (which starts and ends with those markers), or appends it when DOC has no such section.
write_doc_section() { # <name> <generated file> <doc>
  local name=$1 generated=$2 doc=$3
  if grep -q "^<!-- $name:begin -->" "$doc" && grep -q "^<!-- $name:end -->" "$doc"; then
    awk -v gen="$generated" -v b="<!-- $name:begin -->" -v e="<!-- $name:end -->" '
      $0 == b { while ((getline line < gen) > 0) print line; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip' "$doc" >"$tmp/doc.md" && cat "$tmp/doc.md" >"$doc"
  else
    { echo; cat "$generated"; } >>"$doc"
  fi
  say "wrote $doc"
}

# One CPU cgroup for everything a run starts (wrk, each system, its workers). Why: with the kernel's autogroup
# scheduling (sched_autogroup_enabled=1, for processes in the root cgroup) CPU is shared fairly between
# sessions, not processes. A system whose workers share wrk's session (the seed's master forks them in ours)
# then splits one share with wrk, while one whose workers each start a session (zdm's, pm2's daemon) gets
# a share per worker and leaves wrk one of three: the same app measured 21k req/s under the seed and 30k
# under zdm's socket mode in one cgroup, but 34k and 14k without it (2 CPUs, a busy machine). In a cgroup of
# its own, autogroup does not apply and every process of the run is scheduled alike. Needs root; otherwise
# the run says that its figures carry that bias.
bench_cgroup="" bench_cgroup_parent=""
join_own_cpu_group() {
  [[ ${BENCH_CGROUP:-1} != 0 ]] || { say "BENCH_CGROUP=0: no CPU cgroup of the run's own (the autogroup bias stays)"; return 0; }
  [[ $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null) == 1 ]] || return 0
  # Autogroup only applies to processes in the root CPU group (v1: the cpu controller's line, v2: "0::").
  local v1 v2 parent
  v1=$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3}' /proc/self/cgroup)
  v2=$(awk -F: '$1 == 0 && $2 == "" {print $3}' /proc/self/cgroup)
  if [[ -n $v1 ]]; then
    [[ $v1 == / ]] || return 0
    parent=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ {print $2; exit}' /proc/self/mounts)
  else
    [[ $v2 == / ]] || return 0
    parent=/sys/fs/cgroup
  fi
  if [[ -n $parent && -w $parent/cgroup.procs ]] && mkdir "$parent/zdm-bench-$$" 2>/dev/null &&
     echo $$ >"$parent/zdm-bench-$$/cgroup.procs" 2>/dev/null; then
    bench_cgroup=$parent/zdm-bench-$$ bench_cgroup_parent=$parent
    say "running in the CPU cgroup $bench_cgroup (the kernel's autogroup would favour some systems over others)"
  else
    [[ -n $parent ]] && rmdir "$parent/zdm-bench-$$" 2>/dev/null
    say "note: the kernel's autogroup scheduling is on and this run cannot have a CPU cgroup of its own (needs root):"
    say "      systems whose workers share wrk's session (seed, direct, haproxy) get less CPU than the others"
  fi
}
# Moves what is left in the cgroup (this shell, mostly) back to its parent and removes it.
leave_own_cpu_group() {
  [[ -n $bench_cgroup ]] || return 0
  local pid
  while read -r pid; do echo "$pid" >"$bench_cgroup_parent/cgroup.procs" 2>/dev/null; done <"$bench_cgroup/cgroup.procs"
  rmdir "$bench_cgroup" 2>/dev/null || say "could not remove $bench_cgroup (a process of this run is still in it)"
  bench_cgroup=""
}

# Server-side TCP connections on a port by process, while a load runs: "24/26" (fewest first), one number per
# process that holds any (the workers in socket mode and under the seed or pm2, the proxy otherwise).
connections_per_process() { # <port>
  ss -tnpH state established "( sport = :$1 )" 2>/dev/null | grep -o 'pid=[0-9]*' | sort | uniq -c \
    | awk '{print $1}' | sort -n | paste -sd/ -
}
