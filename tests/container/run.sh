#!/usr/bin/env bash
# The grader image end to end. Slow (minutes), so it is not part of Jest's suite: .ci/run runs it
# as its own step after `npm test`. Needs root, podman, runc and debootstrap.
#  1. a local Node 20 base image (no registry is reachable here): debootstrap minbase bookworm plus
#     this machine's node and npm, imported once and then reused by name;
#  2. the grader image on it (`podman build --build-arg BASE_IMAGE=...`, a fixed test secret);
#  3. three gradings with exactly the flags of the issue: the reference (full marks outside the
#     training question, valid results.json), a hostile submission (only the points it earned,
#     valid results, nothing secret readable or written out) and, with the same image and
#     RLHW_ASSIGNMENT=assignments/cql, the CQL homework's reference (every point); see check.ts.
# RLHW_BASE_IMAGE / RLHW_GRADER_IMAGE name the images; RLHW_REBUILD_BASE=1 rebuilds the base.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
BASE="${RLHW_BASE_IMAGE:-localhost/rlhw-node20-base:bookworm}"
IMAGE="${RLHW_GRADER_IMAGE:-localhost/rlhw-grader:test}"
say() { echo "== container test ($((SECONDS - started)) s): $*"; }

[ "$(id -u)" = 0 ] || { echo "tests/container/run.sh: must run as root (podman as root, the sandbox's user drop)" >&2; exit 2; }
for tool in podman runc debootstrap; do
  command -v "$tool" >/dev/null || { echo "tests/container/run.sh: $tool is missing (apt-get install podman runc debootstrap uidmap)" >&2; exit 2; }
done

WORK="$(mktemp -d /var/tmp/rlhw-container.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
# podman settings that work on this kind of machine (shared/PLATFORM.md): runc, cgroupfs, lower ulimits.
export CONTAINERS_CONF="$WORK/containers.conf"
cat >"$CONTAINERS_CONF" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
EOF

# 1. The base image.
if [ "${RLHW_REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$BASE"; then
  say "building the base image $BASE"
  mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  rootfs="$WORK/rootfs"
  debootstrap --variant=minbase --include=ca-certificates,procps bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; exit 1; }
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # This machine's extra certificate authorities (a TLS-inspecting egress proxy), so that npm in
  # the image build can reach the registry as npm on the host does.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  # Node reads its own CA list, not the system's: point it at the system bundle, as on the host.
  tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$BASE" >/dev/null
else
  say "reusing the base image $BASE"
fi

# 2. The grader image, with a fixed test secret (so podman's layer cache stays valid).
secret="$WORK/course-secret"
echo "container-test-secret-5d41402abc4b2a76" >"$secret"
say "building $IMAGE"
podman build --build-arg BASE_IMAGE="$BASE" --secret id=rlhw_course_secret,src="$secret" -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log"; exit 1; }
say "image size $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')"

# The runner child's compile cache, written by `rlgrade build` (the file system is read-only at
# grading time). Each grading below must also find this version's mark (grade() checks its log).
marks=$(podman run --rm --network none --read-only "$IMAGE" sh -c 'ls -1 /autograder/source/node_modules/.cache/rlhw-child/*/ | grep "^COMPLETE-" | sort -u')
for a in offline-rl cql; do
  echo "$marks" | grep -q "^COMPLETE-assignments_${a}-wasm-" || { echo "the image has no compile cache for $a (marks: $marks)"; exit 1; }
done
say "compile cache in the image: $(echo $marks)"
# tsx's transforms of the grader, kept for run_autograder (the Dockerfile; /tmp is empty at run time).
kept=$(podman run --rm --network none --read-only "$IMAGE" sh -c 'ls /autograder/source/cache/tsx-cache | wc -l')
[ "$kept" -gt 50 ] || { echo "the image keeps $kept tsx transforms of the grader (expected the grading's modules)"; exit 1; }
say "tsx transforms kept in the image: $kept"
# ... and a grading finds each module it loads among them: it adds no transform and rewrites none
# (tsx rewrites an entry it cannot read, such as one cut short when its writer exited).
sub="$WORK/warm-submission" res="$WORK/warm-results"
mkdir -p "$sub" "$res" && cp solutions/*.ts "$sub"/
added=$(podman run --rm --network none --read-only --cap-drop=ALL --cap-add=SETUID --cap-add=SETGID --cap-add=KILL -e RLHW_SKIP_TRAINING=1 \
  --tmpfs /tmp -v "$sub":/autograder/submission:ro -v "$res":/autograder/results "$IMAGE" \
  bash -c '/autograder/run_autograder >/dev/null 2>&1; [ -d /tmp/tsx-0 ] || { echo "no tsx cache"; exit 0; }
    cd /autograder/source/cache/tsx-cache; { comm -13 <(ls | sort) <(ls /tmp/tsx-0 | sort); for f in *; do cmp -s "$f" "/tmp/tsx-0/$f" || echo "$f"; done; } | wc -l')
[ "$added" = 0 ] || { echo "a grading in the image transformed ${added} of the grader's modules again (its tsx cache missed)"; exit 1; }
[ -s "$res/results.json" ] && ! grep -q autograder_error "$res/results.json" || { echo "the grading that checks the tsx cache gave no grade"; exit 1; }
say "a grading transformed none of the grader's modules again"

# 3. Three gradings, with exactly the flags of the issue.
grade() { # $1: reference | hostile | cql-reference
  local sub="$WORK/$1-submission" res="$WORK/$1-results" env=()
  [ "$1" = cql-reference ] && env=(-e RLHW_ASSIGNMENT=assignments/cql)
  npx tsx tests/container/check.ts submission "$1" "$sub"
  mkdir -p "$res"
  say "grading the $1 submission"
  podman run --network none --read-only --cap-drop=ALL --cap-add=SETUID --cap-add=SETGID --cap-add=KILL \
    "${env[@]}" --tmpfs /tmp -v "$sub":/autograder/submission:ro -v "$res":/autograder/results "$IMAGE" >"$WORK/$1.log" 2>&1 \
    || { cat "$WORK/$1.log"; echo "podman run failed"; return 1; }
  grep -E '^rlgrade: (isolation|[0-9.]+ / )' "$WORK/$1.log" || true
  # The time budget comes from the file `rlgrade build` left in the image, not from a Node start.
  grep -q "time budget [0-9.]* s (from /autograder/source/cache/time-budget" "$WORK/$1.log" \
    || { grep 'time budget' "$WORK/$1.log"; echo "the $1 grading did not read its time budget from the image's cache"; return 1; }
  if grep -q 'without a compile cache' "$WORK/$1.log"; then grep 'without a compile cache' "$WORK/$1.log"; echo "the $1 grading found no compile cache of this version in the image"; return 1; fi
  npx tsx tests/container/check.ts results "$1" "$res" "$secret" || { cat "$WORK/$1.log"; return 1; }
}
status=0
grade reference || status=1
grade hostile || status=1
grade cql-reference || status=1
# The containers ran without --rm (exactly the flags above): remove the stopped ones of this image.
podman ps -a --filter ancestor="$IMAGE" --filter status=exited --format '{{.ID}}' | xargs -r podman rm >/dev/null
say "$([ $status = 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s"
exit $status
