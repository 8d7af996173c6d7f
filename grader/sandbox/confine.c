/*
 * rlhw-confine: the last confinement of a sandboxed child that needs no namespace, applied just
 * before it becomes the sandbox user (grader/sandbox/isolation.ts puts it in the command chain;
 * grader/sandbox/confine.ts builds it and asks what it can do).
 *
 *   rlhw-confine --probe                         prints "rlhw-confine VERSION seccomp=0|1 landlock=ABI"
 *   rlhw-confine [--no-network] [--read PATH]... [--write PATH]... -- PROGRAM ARGS...
 *   rlhw-confine --mount-view ROOT               (root, in the child's own mount namespace)
 *
 * --no-network  a seccomp filter: socket() fails with EACCES for every address family (internet,
 *               unix, netlink, packet), so the child can neither connect out nor reach a local
 *               service; io_uring (which can open sockets by itself) fails with ENOSYS. Calls of
 *               another architecture's system call table (x32, i386 via int 0x80) kill the process.
 * --read/--write  a Landlock ruleset: the child may read (and run) files only beneath the --read
 *               paths and write only beneath the --write paths; with Landlock ABI >= 4 no TCP
 *               bind or connect, with ABI >= 6 no abstract unix socket and no signal outside its
 *               own sandbox. Where the kernel has no Landlock, this part is skipped (the probe
 *               says so, and the grader logs it).
 * Both need no privilege: no_new_privs is set first, as the kernel requires.
 * --mount-view  full mode's new root (isolation.ts, VIEW_SETUP): bind-mounts each entry of
 *               $RLHW_VIEW ("ro|rw|dev<TAB>PATH" lines, parents first) at ROOT/PATH, read-only,
 *               writable or as is, all with nosuid and nodev but "dev". Every mount point is made
 *               first, on ROOT's fresh tmpfs only; then the mounts. The same steps as the shell
 *               loop it replaces, without starting three programs per entry.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/types.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define VERSION "2"

#if defined(__x86_64__)
#define OUR_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define OUR_ARCH AUDIT_ARCH_AARCH64
#else
#error "rlhw-confine: only x86_64 and aarch64 are supported"
#endif

static void die(const char *what) {
  fprintf(stderr, "rlhw-confine: %s: %s\n", what, strerror(errno));
  exit(126);
}

/* --- seccomp: no sockets, no io_uring ------------------------------------------------------ */

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ON(nr, action) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))

static void forbid_network(void) {
  struct sock_filter code[] = {
      LOAD(arch),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, OUR_ARCH, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      LOAD(nr),
#ifdef X32_BIT
      BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
      ON(__NR_socket, SECCOMP_RET_ERRNO | EACCES),
      ON(__NR_io_uring_setup, SECCOMP_RET_ERRNO | ENOSYS),
      ON(__NR_io_uring_enter, SECCOMP_RET_ERRNO | ENOSYS),
      ON(__NR_io_uring_register, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) die("seccomp filter");
}

/* --- Landlock: read and write only where allowed ------------------------------------------- */
/* The kernel ABI, written out here so that older system headers (Debian 12 has 6.1's) build it. */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_TRUNCATE (1ULL << 14)
#define LL_FS_IOCTL_DEV (1ULL << 15)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset_attr {
  __u64 handled_access_fs;
  __u64 handled_access_net; /* ABI 4 */
  __u64 scoped;             /* ABI 6 */
};

struct ll_path_beneath_attr {
  __u64 allowed_access;
  __s32 parent_fd;
} __attribute__((packed));

static int landlock_abi(void) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : (int)abi;
}

/* Every file-system right the kernel's ABI knows: ABI 1 has bits 0-12, and each later ABI adds one. */
static __u64 handled_fs(int abi) {
  if (abi >= 5) return (1ULL << 16) - 1; /* up to IOCTL_DEV */
  if (abi >= 3) return (1ULL << 15) - 1; /* up to TRUNCATE */
  if (abi >= 2) return (1ULL << 14) - 1; /* up to REFER */
  return (1ULL << 13) - 1;
}

#define READ_RIGHTS (LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR)
/* The rights that apply to a file (the others are about folder entries). */
#define FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

static void allow(int ruleset, const char *path, __u64 rights, __u64 handled) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return; /* a path that does not exist here grants nothing */
  struct stat st;
  if (fstat(fd, &st) != 0) die(path);
  if (!S_ISDIR(st.st_mode)) rights &= FILE_RIGHTS;
  struct ll_path_beneath_attr rule = {.allowed_access = rights & handled, .parent_fd = fd};
  if (rule.allowed_access != 0 && syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) != 0) die(path);
  close(fd);
}

static void restrict_files(int abi, char **reads, int nreads, char **writes, int nwrites) {
  struct ll_ruleset_attr attr = {.handled_access_fs = handled_fs(abi)};
  size_t size = sizeof(attr.handled_access_fs);
  if (abi >= 4) { /* TCP handled, and no rule allows it */
    attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
    size = offsetof(struct ll_ruleset_attr, scoped);
  }
  if (abi >= 6) { /* no abstract unix socket, no signal, outside the sandbox */
    attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
    size = sizeof(attr);
  }
  int ruleset = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0) die("landlock ruleset");
  for (int i = 0; i < nreads; i++) allow(ruleset, reads[i], READ_RIGHTS, attr.handled_access_fs);
  for (int i = 0; i < nwrites; i++) allow(ruleset, writes[i], attr.handled_access_fs, attr.handled_access_fs);
  if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) die("landlock restrict");
  close(ruleset);
}

/* --- full mode's new root ------------------------------------------------------------------ */

static void view_fail(const char *path) {
  fprintf(stderr, "%s: %s\n", path, strerror(errno));
  exit(125);
}

/* mkdir -p of an absolute path, mode 0755. */
static void make_dirs(char *path) {
  for (char *p = path + 1;; p++) {
    if (*p != '/' && *p != '\0') continue;
    char c = *p;
    *p = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST) view_fail(path);
    *p = c;
    if (c == '\0') return;
  }
}

/* Pass 0 makes the mount points under root, pass 1 mounts; see --mount-view above. */
static void mount_view(const char *root) {
  const char *view = getenv("RLHW_VIEW");
  if (view == NULL) {
    errno = EINVAL;
    view_fail("RLHW_VIEW");
  }
  for (int pass = 0; pass < 2; pass++) {
    char *lines = strdup(view), *save = NULL;
    if (lines == NULL) die("memory");
    for (char *line = strtok_r(lines, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
      char *tab = strchr(line, '\t');
      if (tab == NULL || tab[1] != '/') continue;
      *tab = '\0';
      const char *kind = line, *path = tab + 1;
      char target[PATH_MAX];
      if (snprintf(target, sizeof target, "%s%s", root, path) >= (int)sizeof target) {
        errno = ENAMETOOLONG;
        view_fail(path);
      }
      struct stat st;
      if (stat(path, &st) != 0) view_fail(path);
      if (pass == 0) {
        if (S_ISDIR(st.st_mode)) {
          make_dirs(target);
        } else {
          char *slash = strrchr(target, '/');
          *slash = '\0';
          make_dirs(target);
          *slash = '/';
          int fd = open(target, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
          if (fd < 0) view_fail(path);
          close(fd);
        }
        continue;
      }
      if (mount(path, target, NULL, MS_BIND, NULL) != 0) view_fail(path);
      unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV;
      if (strcmp(kind, "ro") == 0) flags |= MS_RDONLY;
      else if (strcmp(kind, "rw") != 0) continue; /* dev: as is */
      if (mount(NULL, target, NULL, flags, NULL) != 0) view_fail(path);
    }
    free(lines);
  }
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--mount-view") == 0) {
    mount_view(argv[2]);
    return 0;
  }
  char **reads = calloc(argc, sizeof(char *));
  char **writes = calloc(argc, sizeof(char *));
  int nreads = 0, nwrites = 0, network = 1, i = 1;
  if (!reads || !writes) die("memory");
  for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
    if (strcmp(argv[i], "--probe") == 0) {
      printf("rlhw-confine %s seccomp=1 landlock=%d\n", VERSION, landlock_abi());
      return 0;
    } else if (strcmp(argv[i], "--no-network") == 0) {
      network = 0;
    } else if (strcmp(argv[i], "--read") == 0 && i + 1 < argc) {
      reads[nreads++] = argv[++i];
    } else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
      writes[nwrites++] = argv[++i];
    } else {
      fprintf(stderr, "rlhw-confine: unknown argument %s\n", argv[i]);
      return 125;
    }
  }
  if (i + 1 >= argc) {
    fprintf(stderr, "usage: rlhw-confine [--no-network] [--read PATH]... [--write PATH]... -- PROGRAM ARGS...\n");
    return 125;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("no_new_privs");
  int abi = landlock_abi();
  if ((nreads > 0 || nwrites > 0) && abi >= 1) restrict_files(abi, reads, nreads, writes, nwrites);
  if (!network) forbid_network();
  execvp(argv[i + 1], argv + i + 1);
  die(argv[i + 1]);
  return 127;
}
