# shellcheck shell=bash
# Sourced by bin/test. The tests tagged "non-root" check what a file or process permission stops,
# which root bypasses, so a run as root skips them. When bin/test runs as root (as CI does), this
# runs that group again as an unprivileged user. That user may not read the worktree or root's
# Maven repository (~ is 0700), so it works on copies (every module, and the Maven repository) in
# a temporary directory, owned by it.
#   zdm_run_nonroot <repo root>   runs them; reports land in <root>/<module>/target/nonroot-reports
ZDM_TEST_USER=${ZDM_TEST_USER:-zdm-ci}

zdm_run_nonroot() {
  local root=$1 user=$ZDM_TEST_USER tmp rc=0
  local m2=${ZDM_M2_REPO:-$HOME/.m2/repository}
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || return 1
  fi
  tmp=$(mktemp -d /tmp/zdm-nonroot.XXXXXX)
  mkdir -p "$tmp/src"
  # The modules as built by the root run, classes included; with their timestamps kept (tar does) and
  # incremental compilation off (its state names the original paths), nothing is compiled again.
  tar -C "$root" --exclude=./.git -cf - . | tar -C "$tmp/src" -xpf -
  # Not the root run's reports: only what this run writes is copied back and counted.
  rm -rf "$tmp"/src/*/target/surefire-reports "$tmp"/src/*/target/failsafe-reports "$tmp"/src/*/target/nonroot-reports
  cp -a "$m2" "$tmp/m2"
  chown -R "$user" "$tmp"
  echo "test: running the non-root tests as $user (tag non-root)" >&2
  runuser -u "$user" -- env HOME="$tmp" PATH="$PATH" JAVA_HOME="$JAVA_HOME" \
    mvn -B -ntp -o test -f "$tmp/src/pom.xml" -Dgroups=non-root -Dmaven.repo.local="$tmp/m2" \
    -Dmaven.compiler.useIncrementalCompilation=false || rc=$?
  local reports module
  rm -rf "$root"/*/target/nonroot-reports
  for reports in "$tmp"/src/*/target/surefire-reports; do
    [[ -d $reports ]] || continue
    module=$(basename "$(dirname "$(dirname "$reports")")")
    mkdir -p "$root/$module/target" && cp -r "$reports" "$root/$module/target/nonroot-reports"
  done
  rm -rf "$tmp"
  return "$rc"
}
