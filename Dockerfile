# The grader image: Gradescope's layout under /autograder, run_autograder as its command.
#
#   podman build --build-arg BASE_IMAGE=IMAGE --secret id=rlhw_course_secret,src=SECRET_FILE -t rlhw-grader .
#   podman run --network none --read-only --cap-drop=ALL --cap-add=SETUID --cap-add=SETGID --cap-add=KILL \
#     --tmpfs /tmp -v SUB:/autograder/submission:ro -v RES:/autograder/results rlhw-grader
#
# BASE_IMAGE: a Debian or Ubuntu image, best with Node 20 (node:20-bookworm-slim); on one without
# it (gradescope/autograder-base) Node 20 comes from NodeSource. tests/container/run.sh builds a
# local base, as no registry is reachable there.
# The course secret comes in as a build secret (not a build argument, which would stay in the image
# history) and is kept root-only; without it the public development secret is used.
# At run time the grader writes only to /tmp and /autograder/results, and needs only SETUID and
# SETGID (to drop to the sandbox user) and KILL (to end its processes).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}

# Node 20 when the base lacks it (gradescope/autograder-base), the sandbox's tools and its users
# (fixed uids; they cannot be made at run time on a read-only root): the same script as setup.sh.
# The same script also builds the confine helper (seccomp without sockets, Landlock) from its source.
COPY grader/gradescope/system-setup.sh /usr/local/sbin/rlhw-system-setup
COPY grader/sandbox/confine.c /usr/local/src/rlhw-confine.c
RUN RLHW_CONFINE_SOURCE=/usr/local/src/rlhw-confine.c bash /usr/local/sbin/rlhw-system-setup

# Runtime packages only: the grader runs TypeScript through tsx, not tsc. --ignore-scripts: the
# optional native TensorFlow package would download libtensorflow; grading uses wasm.
WORKDIR /autograder/source
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/@tensorflow/tfjs-node \
    && npm cache clean --force

COPY tsconfig.json ./
COPY assignments assignments
COPY fixtures/datasets fixtures/datasets
COPY provided provided
COPY grader grader

# The reference values for the course secret, computed once into a root-only cache, with tsx's
# transforms of the grader's modules (run_autograder puts them back where tsx looks, as /tmp is
# empty at run time; `build` loads the modules a grading loads); then every secret is made
# unreadable to the sandbox user (the source folder keeps only o+x: the runner
# child loads provided/, grader/runner/ and node_modules/ through it).
RUN --mount=type=secret,id=rlhw_course_secret set -eu; \
    secret=""; \
    if [ -s /run/secrets/rlhw_course_secret ]; then \
      install -m 0600 /run/secrets/rlhw_course_secret course-secret; secret="--secret-file course-secret"; \
    else \
      echo "WARNING: no rlhw_course_secret build secret: hidden case inputs use the public development secret"; \
    fi; \
    for a in assignments/*/; do node grader/bin/autograder.js build --assignment "$a" --cache cache $secret; done; \
    node grader/bin/autograder.js build --cache cache --lock-kit $secret; \
    if [ -d /tmp/tsx-0 ]; then cp -R /tmp/tsx-0 cache/tsx-cache; fi; \
    install -m 0755 grader/gradescope/run_autograder /autograder/run_autograder; \
    mkdir -m 0700 /autograder/results /autograder/submission; \
    chmod 0711 /autograder/source; \
    chmod 0700 cache assignments/*/solutions assignments/*/private; \
    rm -rf /tmp/* /root/.npm

# /run is read-only at run time: the sandbox's lock folder goes to the /tmp tmpfs.
ENV RLHW_SANDBOX_LOCK_DIR=/tmp/rlhw-sandbox
WORKDIR /autograder
CMD ["/autograder/run_autograder"]
