# shellcheck shell=bash
# Sourced by bin/test. The tests tagged "non-root" check what a file or process permission stops,
# which root bypasses, so a run as root skips them. When bin/test runs as root (as CI does), this
# runs that group again as an unprivileged user. That user may not read the worktree or root's
# Maven repository (~ is 0700), so it works on copies in a temporary directory, owned by it.
#   zdm_run_nonroot <repo root>   runs them; reports land in <root>/daemon/target/nonroot-reports
ZDM_TEST_USER=${ZDM_TEST_USER:-zdm-ci}

zdm_run_nonroot() {
  local root=$1 user=$ZDM_TEST_USER tmp rc=0
  local m2=${ZDM_M2_REPO:-$HOME/.m2/repository}
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || return 1
  fi
  tmp=$(mktemp -d /tmp/zdm-nonroot.XXXXXX)
  mkdir -p "$tmp/src/cli"
  # The daemon module as built by the root run (compiled classes included, so nothing recompiles).
  cp -a "$root/pom.xml" "$root/daemon" "$tmp/src/"
  cp -a "$root/cli/pom.xml" "$tmp/src/cli/"
  cp -a "$m2" "$tmp/m2"
  chown -R "$user" "$tmp"
  echo "test: running the non-root tests as $user (tag non-root)" >&2
  runuser -u "$user" -- env HOME="$tmp" PATH="$PATH" JAVA_HOME="$JAVA_HOME" \
    mvn -B -ntp -o test -f "$tmp/src/pom.xml" -pl daemon -Dgroups=non-root -Dmaven.repo.local="$tmp/m2" \
    -Dsurefire.failIfNoSpecifiedTests=false || rc=$?
  rm -rf "$root/daemon/target/nonroot-reports"
  if [[ -d $tmp/src/daemon/target/surefire-reports ]]; then
    cp -r "$tmp/src/daemon/target/surefire-reports" "$root/daemon/target/nonroot-reports"
  fi
  rm -rf "$tmp"
  return "$rc"
}
