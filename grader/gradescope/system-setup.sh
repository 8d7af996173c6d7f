#!/usr/bin/env bash
# What the grader needs from the system, on a Debian or Ubuntu base (Gradescope's setup.sh and the
# Dockerfile both run it, as root): Node 20 (from NodeSource when missing or older), the sandbox's
# tools (util-linux: setpriv, prlimit, unshare; procps: kill; passwd: useradd), and the sandbox
# users. Users cannot be made at grading time on a read-only root. Fixed uids, outside the usual
# ranges, so that no host user shares their process limits; rlhw-student-0..3 serve batch workers, rlhw-student-lane2 the second runner child of a grading (grader/runner/lanes.ts).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
updated=0
apt_install() {
  [ "$updated" = 1 ] || { apt-get update; updated=1; }
  apt-get install -y --no-install-recommends "$@"
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  apt_install ca-certificates curl gnupg
  mkdir -p /etc/apt/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
  echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" >/etc/apt/sources.list.d/nodesource.list
  updated=0
  apt_install nodejs
fi

for tool in /usr/bin/setpriv /usr/bin/prlimit /usr/bin/unshare /bin/kill /usr/sbin/useradd; do
  if [ ! -x "$tool" ]; then apt_install util-linux procps passwd; break; fi
done
# The confine helper (grader/sandbox/confine.c): without a network namespace (the grader image and
# Gradescope run student code in reduced isolation), its seccomp filter is what takes sockets away
# from student code, and its Landlock rules what limit the files it can read. A C compiler is
# installed for the build and removed again if this script installed it.
confine_src="$(dirname "$0")/../sandbox/confine.c"
[ -f "$confine_src" ] || confine_src="${RLHW_CONFINE_SOURCE:-}"
if [ -n "$confine_src" ] && [ -f "$confine_src" ]; then
  compiler_added=0
  if ! command -v cc >/dev/null 2>&1 || ! [ -f /usr/include/linux/seccomp.h ]; then
    apt_install gcc libc6-dev linux-libc-dev
    compiler_added=1
  fi
  install -d -m 0755 /usr/local/lib/rlhw
  cc -O2 -Wall -o /usr/local/lib/rlhw/rlhw-confine "$confine_src"
  chmod 0755 /usr/local/lib/rlhw/rlhw-confine
  [ "$compiler_added" = 0 ] || apt-get purge -y --auto-remove gcc libc6-dev linux-libc-dev >/dev/null
  echo "system-setup: $(/usr/local/lib/rlhw/rlhw-confine --probe)"
else
  echo "system-setup: WARNING: confine.c not found: student code will run with the network open in reduced isolation"
fi
[ "$updated" = 0 ] || rm -rf /var/lib/apt/lists/*

uid=64200
for user in rlhw-student rlhw-student-0 rlhw-student-1 rlhw-student-2 rlhw-student-3 rlhw-student-lane2; do
  if ! id -u "$user" >/dev/null 2>&1; then
    getent group "$uid" >/dev/null || groupadd --system --gid "$uid" "$user"
    useradd --system --uid "$uid" --gid "$uid" --no-create-home --shell /usr/sbin/nologin "$user" 2>&1 | grep -v 'greater than SYS_UID_MAX' || true
    id -u "$user" >/dev/null
  fi
  uid=$((uid + 1))
done
echo "system-setup: node $(node --version); sandbox users: $(getent passwd rlhw-student | cut -d: -f3)..$((uid - 1))"
