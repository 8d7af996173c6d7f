// Section 5: the student's loop. The handout's public suite (`npm test` in the unpacked handout of
// `rlgrade handout`, with the reference files as the homework, so that every test runs to the
// end), and one training run (`npm run train -- --algo iql`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { base, type Context, type StudentSection } from '../context';
import { check, run, tail } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';

const RLGRADE = path.join(KIT_ROOT, 'grader/bin/rlgrade.js');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Builds and unpacks the handout; returns its folder, or why it cannot. */
async function unpackHandout(ctx: Context): Promise<{ dir?: string; why?: string }> {
  if (!fs.existsSync(path.join(KIT_ROOT, 'grader/cli/handout.ts'))) return { why: 'grader/cli/handout.ts does not exist yet (rlgrade handout is not written)' };
  const dist = path.join(ctx.tmp, 'handout-dist');
  say('student: rlgrade handout (untimed)');
  const built = await run(process.execPath, [RLGRADE, 'handout', '--out', dist], { timeoutSeconds: 1800 });
  const archive = fs.existsSync(dist) ? fs.readdirSync(dist).find((f) => f.endsWith('.tar.gz')) : undefined;
  if (built.code !== 0 || !archive) return { why: `rlgrade handout failed: ${tail(built)}` };
  const unpacked = path.join(ctx.tmp, 'handout');
  fs.mkdirSync(unpacked, { recursive: true });
  check(await run('tar', ['-xzf', path.join(dist, archive), '-C', unpacked]), 'tar');
  const top = fs.readdirSync(unpacked).map((d) => path.join(unpacked, d)).find((d) => fs.existsSync(path.join(d, 'package.json')));
  if (!top) return { why: 'the handout archive has no package.json' };
  const pkg = JSON.parse(fs.readFileSync(path.join(top, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const homework = /--impl\s+(\S+)/.exec(pkg.scripts?.train ?? '')?.[1] ?? 'homework';
  if (!fs.existsSync(path.join(top, homework))) return { why: `the handout has no ${homework}/ folder` };
  for (const f of fs.readdirSync(path.join(top, homework))) {
    const ref = path.join(KIT_ROOT, 'solutions', f);
    if (fs.existsSync(ref)) fs.copyFileSync(ref, path.join(top, homework, f));
  }
  // The kit's node_modules holds every package the handout lists (npm ci would need the registry).
  fs.symlinkSync(path.join(KIT_ROOT, 'node_modules'), path.join(top, 'node_modules'));
  return { dir: top };
}

export async function studentSection(ctx: Context): Promise<StudentSection> {
  const result: StudentSection = { ...base(ctx) };
  const notes: string[] = [];
  const handout = await unpackHandout(ctx);
  if (handout.dir) {
    const seconds: number[] = [];
    for (let i = 0; i < ctx.runs + 1; i++) {
      say(`student: handout npm test ${i + 1}/${ctx.runs + 1}`);
      const r = check(await run(NPM, ['test', '--silent'], { cwd: handout.dir, env: { CI: 'true', RLHW_BACKEND: ctx.backend }, timeoutSeconds: 1800 }), 'the handout\'s npm test');
      if (i > 0) seconds.push(r.seconds); // the first run fills jest's transform cache
    }
    result.handoutTest = stat(seconds, 's');
    notes.push('npm test in the unpacked handout with the reference files as the homework (every public test runs to the end), after one untimed run that fills Jest\'s cache; the kit\'s node_modules is linked in.');
  } else {
    result.handoutSkipped = handout.why;
    say(`student: handout skipped: ${handout.why}`);
  }
  const train: number[] = [];
  const success: number[] = [];
  const runs = ctx.quick ? 1 : ctx.runs;
  for (let i = 0; i < runs; i++) {
    say(`student: npm run train -- --algo iql ${i + 1}/${runs}`);
    const out = path.join(ctx.tmp, `train-${i}`);
    const args = ['run', 'train', '--silent', '--', '--algo', 'iql', '--out', out, '--no-progress', ...(ctx.quick ? ['--steps', '200', '--episodes', '5'] : [])];
    const r = check(await run(NPM, args, { env: { RLHW_BACKEND: ctx.backend }, timeoutSeconds: 1800 }), 'npm run train');
    train.push(r.seconds);
    const m = /success rate ([\d.]+)/.exec(r.stdout);
    if (m) success.push(Number(m[1]));
  }
  result.train = stat(train, 's');
  result.trainSuccess = success;
  notes.push(`npm run train -- --algo iql${ctx.quick ? ' (quick: --steps 200 --episodes 5)' : ''}: the whole command (start-up, ${ctx.quick ? 200 : 'the configured'} gradient steps, learning-curve and final evaluation roll-outs, the two SVGs).`);
  result.notes = notes;
  return result;
}
