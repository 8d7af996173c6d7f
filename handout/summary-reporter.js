// Jest reporter of the handout: after the public tests, one line per question with the public
// points earned (the points of the hidden cases are graded after you submit).
// A passed case earns its points; a failed case earns its partial credit when it states one. A
// question whose passed case got a remark from the grader (tensors left allocated), which the
// test prints with console.warn, says so.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const PARTIAL = /Partial credit: ([\d.]+)% of this case's points/;
/** The start of the warning public.test.ts prints for a passed case with a remark: "Q2.1 small-case passed, but the grader remarks: ...". */
const REMARK = /^(\S+) \S+ passed, but the grader remarks: /;
const fmt = (x) => x.toFixed(2);
const pad = (s, n) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** Status and points of one question from its tests' results (undefined: none of them ran). */
function questionOutcome(q, results) {
  const ran = q.cases.map((c) => results.get(`${q.id}\0${c.name}`)).filter((t) => t && (t.status === 'passed' || t.status === 'failed'));
  if (ran.length === 0) return undefined;
  let earned = 0;
  let passed = 0;
  let missing = 0;
  q.cases.forEach((c) => {
    const t = results.get(`${q.id}\0${c.name}`);
    if (!t) return;
    if (t.status === 'passed') {
      earned += c.maxScore;
      passed += 1;
      return;
    }
    const text = (t.failureMessages || []).join('\n');
    if (/not implemented yet/.test(text)) missing += 1;
    const m = PARTIAL.exec(text);
    if (m) earned += (c.maxScore * Number(m[1])) / 100;
  });
  const status = passed === q.cases.length ? 'passed' : missing === ran.length ? 'not implemented' : ran.length < q.cases.length ? 'partly run' : 'failed';
  return { earned, status };
}

const sum = (qs) => qs.reduce((s, q) => s + q.points, 0);

/** What the grader adds after you submit: hidden cases, training runs, and (by hand) written answers. */
function afterSubmitting(questions, hidden, training, written) {
  const parts = [`hidden cases worth ${fmt(hidden)} points`, ...training.map((q) => `${q.id} ${q.title} worth ${fmt(q.points)} points (a training run)`)];
  const autograded = sum(questions.filter((q) => q.kind !== 'written'));
  const extra = sum(questions.filter((q) => q.kind !== 'written' && q.extraCredit));
  const line = [`Graded after you submit: ${parts.join(', ')}; ${fmt(autograded)} autograded points in all${extra > 0 ? `, ${fmt(extra)} of them extra credit` : ''}.`];
  if (written.length > 0) line.push(`Written answers (${fmt(sum(written))} points) are graded by hand.`);
  return line.join(' ');
}

class SummaryReporter {
  constructor(globalConfig, options) {
    this.file = (options && options.cases) || path.join(globalConfig.rootDir, 'tests', 'public-cases.json');
    /** Question ids with a remark. */
    this.remarked = new Set();
  }

  /** Reads the console output of a test file (Jest drops it after this call). */
  onTestResult(_test, testResult) {
    for (const entry of testResult.console || []) {
      const m = entry.type === 'warn' ? REMARK.exec(String(entry.message)) : null;
      if (m) this.remarked.add(m[1]);
    }
  }

  onRunComplete(_contexts, aggregated) {
    const out = [];
    const broken = aggregated.testResults.filter((f) => f.testExecError);
    if (broken.length > 0) {
      for (const f of broken) out.push(`The public tests could not run (${path.basename(f.testFilePath)}): ${String(f.testExecError.message).split('\n')[0]}`);
      process.stderr.write(`\n${out.join('\n')}\n`);
      return;
    }
    const data = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    const results = new Map();
    for (const f of aggregated.testResults) {
      for (const t of f.testResults) results.set(`${String(t.ancestorTitles[0] || '').split(' ')[0]}\0${t.title}`, t);
    }
    const width = Math.max(...data.questions.map((q) => q.title.length + (q.extraCredit ? 15 : 0)));
    const outcomes = new Map(data.questions.filter((q) => q.kind === 'cases').map((q) => [q.id, questionOutcome(q, results)]));
    // With `-t` only some questions run: list those, and say how many others there are.
    const filtered = [...outcomes.entries()].some(([id, o]) => !o && !data.questions.find((q) => q.id === id).cases.every((c) => c.wholeRun));
    let earned = 0;
    let publicPoints = 0;
    let hidden = 0;
    let notRun = 0;
    const training = data.questions.filter((q) => q.kind === 'training');
    const written = data.questions.filter((q) => q.kind === 'written');
    out.push('', `Public points (${data.title}):`);
    for (const q of data.questions) {
      const title = pad(q.extraCredit ? `${q.title} (extra credit)` : q.title, width);
      const head = `  ${pad(q.id, 6)} ${title}`;
      if (q.kind !== 'cases') {
        if (filtered) continue;
        const why = q.kind === 'written' ? `written answer, ${q.points} pts, graded by hand` : `not in npm test: check it with ${q.check || 'npm run train'} (${q.points} pts)`;
        out.push(`${head}   ${pad('-', 13)}  ${why}`);
        continue;
      }
      publicPoints += q.publicPoints;
      hidden += q.points - q.publicPoints;
      const o = outcomes.get(q.id);
      if (!o) {
        notRun += 1;
        if (filtered) continue;
        const why = q.cases.length > 0 && q.cases.every((c) => c.wholeRun) ? 'a whole run: npm run test:runs' : 'not run';
        out.push(`${head}   ${pad(`  - / ${fmt(q.publicPoints)}`, 13)}  ${why}`);
        continue;
      }
      earned += o.earned;
      const remark = this.remarked.has(q.id) ? ', with a remark from the grader (above)' : '';
      out.push(`${head}   ${pad(`${fmt(o.earned)} / ${fmt(q.publicPoints)}`, 13)}  ${o.status}${remark}`);
    }
    if (filtered) out.push(`  (${notRun} other question(s) not run; npm test runs them all)`);
    out.push(`  Total: ${fmt(earned)} of ${fmt(publicPoints)} public points.`, `  ${afterSubmitting(data.questions, hidden, training, written)}`);
    process.stderr.write(`${out.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
