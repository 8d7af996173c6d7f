/**
 * What a sandboxed runner child may see of the machine: an allow-list, not a deny-list. Full
 * isolation mounts only these paths in the child's new root; reduced isolation gives them to
 * Landlock (where the kernel has it) and, in any case, makes everything else under the kit
 * root-only before student code runs (lockAwayKit in protect.ts). Other checkouts, /home, /srv,
 * /opt, the kit's dist/, the trusted grader code, the solutions and caches are not in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../assignment/load';
import { loadPublic } from '../assignment/plugin';
import type { Assignment } from '../assignment/types';
import type { FileView } from '../sandbox/types';
import { CHILD_DIR } from './launch';
import { KIT_ROOT } from './workdir';

/** The system: programs and libraries (Node and the sandbox's own tools live here), and what the dynamic loader reads. */
const SYSTEM_READ = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives', '/etc/localtime', '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/ssl/openssl.cnf'];
/** Devices a Node process opens; /dev/null is also written. */
const DEVICES_READ = ['/dev/zero', '/dev/random', '/dev/urandom'];
const DEVICES_WRITE = ['/dev/null', '/dev/full'];
/** Reduced mode only (full mode mounts a /proc of the child's own PID namespace): the child's own process. */
const OWN_PROC = ['/proc/self', '/proc/thread-self', '/proc/meminfo', '/proc/stat', '/proc/cpuinfo', '/proc/sys/vm/overcommit_memory'];

/**
 * The kit paths the child loads, relative to the kit: the runner's own code (grader/child), the
 * provided modules, TensorFlow.js and the rest of node_modules, the package file Node reads for
 * module types; the assignment's public grading code; and what the assignment says its runs read
 * (datasets, settings).
 */
export function childKitPaths(a: Pick<Assignment, 'codeDir'>, kitRoot = KIT_ROOT): string[] {
  return [path.relative(KIT_ROOT, CHILD_DIR), 'provided', 'node_modules', 'package.json', path.join(path.relative(kitRoot, a.codeDir), 'public'), ...loadPublic(a).reads];
}

/**
 * What reduced isolation leaves readable under the kit: what a child of any of the kit's
 * assignments loads (their public code ships in the handouts anyway). One lock then serves every
 * assignment, so an image locked once at build time, read-only at run time, grades each of them.
 * An assignment that does not load is left out (its own grading reopens what it needs).
 */
export function anyChildKitPaths(a: Pick<Assignment, 'codeDir' | 'dir'>, kitRoot = KIT_ROOT): string[] {
  const root = path.join(kitRoot, 'assignments');
  const others = fs.existsSync(root) ? fs.readdirSync(root).map((d) => path.join(root, d)).filter((d) => fs.existsSync(path.join(d, 'assignment.yaml')) && path.resolve(d) !== path.resolve(a.dir)) : [];
  const loaded = others.flatMap((d) => {
    try {
      return [loadAssignment(d)];
    } catch {
      return [];
    }
  });
  return [...new Set([a, ...loaded].flatMap((x) => childKitPaths(x, kitRoot)))];
}

/** Node's own installation, when it is not under /usr (nvm, a tarball in /opt). */
function nodePrefix(): string[] {
  const prefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  return prefix === '/usr' || prefix.startsWith('/usr/') ? [] : [prefix];
}

/** The view of a child of assignment `a` that runs in `workRoot` and writes only to `scratchDir`. */
export function childView(a: Pick<Assignment, 'codeDir'>, workRoot: string, scratchDir: string, kitRoot = KIT_ROOT): FileView {
  return {
    read: [...SYSTEM_READ, ...nodePrefix(), ...DEVICES_READ, ...OWN_PROC, ...childKitPaths(a, kitRoot).map((p) => path.join(kitRoot, p)), workRoot],
    write: [...DEVICES_WRITE, scratchDir],
  };
}
