// Section 7: grading under Gradescope's defaults. The grader image (built by
// tests/container/run.sh, which this section reuses) grades the reference solution with
// Gradescope's layout and `--cpus 0.5 --memory 768m`, and the flags the image is meant to run with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { base, type Context, type ContainerSection } from '../context';
import { run, tail } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';

export const IMAGE = process.env.RLHW_GRADER_IMAGE || 'localhost/rlhw-grader:test';
const LIMITS = ['--cpus', '0.5', '--memory', '768m'];
const BUILD_SCRIPT = 'tests/container/run.sh';

/** podman's settings that work on this kind of machine (runc, cgroupfs, lower ulimits; PLATFORM.md). */
function containersConf(tmp: string): string {
  const file = path.join(tmp, 'containers.conf');
  fs.writeFileSync(file, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n');
  return file;
}

async function imageInfo(env: Record<string, string>): Promise<{ id?: string; created?: string; why?: string }> {
  const which = await run('sh', ['-c', 'command -v podman'], { env });
  if (which.code !== 0) return { why: 'podman is not installed' };
  const r = await run('podman', ['image', 'inspect', IMAGE, '--format', '{{.Id}} {{.Created}}'], { env });
  if (r.code !== 0) return { why: `no image ${IMAGE}: build it with ${BUILD_SCRIPT} (or npm run bench -- --build-image)` };
  const [id, ...created] = r.stdout.trim().split(' ');
  return { id: id.slice(0, 12), created: created.join(' ') };
}

export async function containerSection(ctx: Context, build: boolean): Promise<ContainerSection> {
  const env = { CONTAINERS_CONF: containersConf(ctx.tmp) };
  let info = await imageInfo(env);
  if (info.why && build && !info.why.startsWith('podman')) {
    say(`container: building the image with ${BUILD_SCRIPT} (untimed)`);
    const built = await run('bash', [path.join(KIT_ROOT, BUILD_SCRIPT)], { env: { RLHW_GRADER_IMAGE: IMAGE }, timeoutSeconds: 3600 });
    if (built.code !== 0) return { ...base(ctx), skipped: `${BUILD_SCRIPT} failed: ${tail(built)}` };
    info = await imageInfo(env);
  }
  if (info.why) {
    say(`container: skipped: ${info.why}`);
    return { ...base(ctx), skipped: info.why };
  }
  const submission = path.join(ctx.tmp, 'container-submission');
  fs.mkdirSync(submission, { recursive: true });
  for (const f of fs.readdirSync(path.join(KIT_ROOT, 'solutions'))) fs.copyFileSync(path.join(KIT_ROOT, 'solutions', f), path.join(submission, f));
  const seconds: number[] = [];
  let score = '';
  const runs = ctx.quick ? 1 : ctx.runs;
  for (let i = 0; i < runs; i++) {
    const results = path.join(ctx.tmp, `container-results-${i}`);
    fs.mkdirSync(results, { recursive: true });
    say(`container: grading the reference under ${LIMITS.join(' ')} ${i + 1}/${runs}`);
    const args = ['run', '--rm', '--network', 'none', '--read-only', '--cap-drop=ALL', '--cap-add=SETUID', '--cap-add=SETGID', '--cap-add=KILL', ...LIMITS,
      '--tmpfs', '/tmp', '-v', `${submission}:/autograder/submission:ro`, '-v', `${results}:/autograder/results`, IMAGE];
    const r = await run('podman', args, { env, timeoutSeconds: 3600 });
    const file = path.join(results, 'results.json');
    if (r.code !== 0 || !fs.existsSync(file)) return { ...base(ctx), image: `${IMAGE} (${info.id})`, skipped: `podman run failed: ${tail(r)}` };
    const res = JSON.parse(fs.readFileSync(file, 'utf8')) as { score?: number; tests?: Array<{ score?: number; max_score?: number }> };
    const max = (res.tests ?? []).reduce((s, t) => s + (t.max_score ?? 0), 0);
    // Without a top-level score, Gradescope's total is the sum of the tests' scores.
    const total = res.score ?? (res.tests ?? []).reduce((s, t) => s + (t.score ?? 0), 0);
    score = `${+total.toFixed(2)} / ${max}`;
    seconds.push(r.seconds);
  }
  return {
    ...base(ctx),
    runs,
    image: `${IMAGE} (${info.id}, built ${info.created})`,
    limits: LIMITS.join(' '),
    total: stat(seconds, 's'),
    score,
    notes: [
      'Wall time of `podman run` (container start included), the reference solution as /autograder/submission; the image is whatever tests/container/run.sh last built, so rebuild it after changing the grader.',
    ],
  };
}
