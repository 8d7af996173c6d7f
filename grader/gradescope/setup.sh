#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu base, with the
# zip unpacked in /autograder/source): Node 20, the sandbox's tools and users
# (grader/gradescope/system-setup.sh, shared with the Dockerfile), the grader's runtime packages,
# and the reference values for the course secret, computed here once so that each submission is
# graded faster. Then every secret is made root-only.
set -euo pipefail
cd "$(dirname "$0")"
bash grader/gradescope/system-setup.sh

# --ignore-scripts: the optional native TensorFlow package would download libtensorflow; grading
# uses the wasm backend, so it is removed.
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
rm -rf node_modules/@tensorflow/tfjs-node

secret=()
if [ -f course-secret ]; then
  secret=(--secret-file course-secret)
else
  echo "setup.sh: WARNING: no course-secret in the zip: hidden inputs use RLHW_COURSE_SECRET or the public development secret"
fi
node grader/bin/autograder.js build --cache cache --lock-kit "${secret[@]}"
chmod 0711 .
chmod 0700 cache assignments/*/solutions assignments/*/private
[ ! -f course-secret ] || chmod 0600 course-secret
