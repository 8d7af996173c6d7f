// Realistic one-mistake submissions (kind 'mistake') and correct but unusual ones (kind 'correct'),
// written the way students write them: each is an edit of one reference file, as the buggy fixtures
// are (scripts/examples/buggy.ts). tests/grader/realistic-mistakes.test.ts grades them in-process.
// The mistakes cover the classes of issue 17 (normalised weights, min(Q1, Q2) regressed on y, the IQL
// order and aliasing mistakes, a missing stop-gradient, losses read after their step, ...).
export interface Rewrite {
  name: string;
  kind: 'mistake' | 'correct';
  /** The question that must lose points (a mistake) or that is rewritten (correct: every question keeps full marks). */
  question: string;
  /** Words the hint on that question must contain (mistakes only). */
  hint?: string;
  file: string;
  edits: Array<[find: string, replace: string]>;
}

export const REWRITES: Rewrite[] = [
  {
    name: 'awac-min-of-differences', kind: 'mistake', question: 'Q6.3', hint: 'minimum first', file: 'extra.ts',
    edits: [
      ['return tf.sub(tf.minimum(q1Data, q2Data), tf.minimum(q1Pi, q2Pi)); // SOLUTION', 'return tf.minimum(tf.sub(q1Data, q1Pi), tf.sub(q2Data, q2Pi)); // SOLUTION'],
    ],
  },
  {
    name: 'awac-target-mean', kind: 'mistake', question: 'Q6.2', hint: 'not their mean', file: 'extra.ts',
    edits: [
      ['return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), tf.minimum(nextQ1, nextQ2))); // SOLUTION', 'return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), tf.div(tf.add(nextQ1, nextQ2), 2))); // SOLUTION'],
    ],
  },
  {
    name: 'awr-loss-after-step', kind: 'mistake', question: 'Q4.4', hint: 'BEFORE its own step', file: 'awr.ts',
    edits: [
      ['    const policyLoss = optimizers.policy.minimize(\n      () => weightedBcLoss(weights, policyLogProb(agent.policy, batch.observations, batch.actions)),\n      true,\n      agent.policy.params,\n    )!;', '    const policyObjective = () => weightedBcLoss(weights, policyLogProb(agent.policy, batch.observations, batch.actions));\n    optimizers.policy.minimize(policyObjective, false, agent.policy.params);\n    const policyLoss = policyObjective();'],
    ],
  },
  {
    name: 'awr-no-stop-gradient', kind: 'mistake', question: 'Q4.4', hint: 'constant for the policy step', file: 'awr.ts',
    edits: [
      ['      () => weightedBcLoss(weights, policyLogProb(agent.policy, batch.observations, batch.actions)),\n      true,\n      agent.policy.params,', '      () => weightedBcLoss(advantageWeights(tf.sub(batch.returns, stateValues(agent.value, batch.observations)), cfg.alpha, cfg.wMax), policyLogProb(agent.policy, batch.observations, batch.actions)),\n      true,'],
    ],
  },
  {
    name: 'awr-stale-v', kind: 'mistake', question: 'Q4.4', hint: 'V just updated', file: 'awr.ts',
    edits: [
      ['  return tf.tidy(() => {\n    const valueLoss = optimizers.value.minimize(', '  return tf.tidy(() => {\n    const oldValues = stateValues(agent.value, batch.observations);\n    const valueLoss = optimizers.value.minimize('],
      ['    const weights = advantageWeights(tf.sub(batch.returns, stateValues(agent.value, batch.observations)), cfg.alpha, cfg.wMax);', '    const weights = advantageWeights(tf.sub(batch.returns, oldValues), cfg.alpha, cfg.wMax);'],
    ],
  },
  {
    name: 'expectile-no-abs', kind: 'mistake', question: 'Q3.1', hint: 'absolute value', file: 'iql.ts',
    edits: [
      ['return tf.mul(tf.abs(tf.sub(tau, negative)), tf.square(u));', 'return tf.mul(tf.sub(tau, negative), tf.square(u));'],
    ],
  },
  {
    name: 'fqe-loss-after-step', kind: 'mistake', question: 'Q7.4', hint: 'BEFORE', file: 'fqe.ts',
    edits: [
      ['    return optimizer.minimize(() => fqeLoss(criticValues(agent.critic, s, a), y), true, agent.critic.params)!.dataSync()[0];', '    const objective = () => fqeLoss(criticValues(agent.critic, s, a), y);\n    optimizer.minimize(objective, false, agent.critic.params);\n    return objective().dataSync()[0];'],
    ],
  },
  {
    name: 'fqe-reward-discounted', kind: 'mistake', question: 'Q7.2', hint: 'reward r is not', file: 'fqe.ts',
    edits: [
      ['return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), nextQ)); // SOLUTION', 'return tf.mul(gamma, tf.add(rewards, tf.mul(tf.sub(1, terminals), nextQ))); // SOLUTION'],
    ],
  },
  {
    name: 'fqe-target-updated-first', kind: 'mistake', question: 'Q7.4', hint: 'target critic LAST', file: 'fqe.ts',
    edits: [
      ['  const loss = tf.tidy(() => {\n    const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;', '  softUpdate(agent.criticTarget, agent.critic, cfg.rho);\n  const loss = tf.tidy(() => {\n    const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;'],
      ['  softUpdate(agent.criticTarget, agent.critic, cfg.rho);\n  return { loss };', '  return { loss };'],
    ],
  },
  {
    name: 'heuristic-min-of-means', kind: 'mistake', question: 'Q7.7', hint: 'minimum per state', file: 'fqe.ts',
    edits: [
      ['return tf.tidy(() => tf.mean<tf.Scalar>(tf.minimum(policyActionValues(q1, policy, observations), policyActionValues(q2, policy, observations)))); // SOLUTION', 'return tf.tidy(() => tf.minimum(tf.mean(policyActionValues(q1, policy, observations)), tf.mean(policyActionValues(q2, policy, observations))) as tf.Scalar); // SOLUTION'],
    ],
  },
  {
    name: 'iql-actor-before-v', kind: 'mistake', question: 'Q3.9', hint: 'actor step after the value step', file: 'iql.ts',
    edits: [
      ['    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;\n\n    const weights = iqlAdvantageWeights(qPrime, stateValues(agent.value, s), cfg.alpha, cfg.wMax);', '    const weights = iqlAdvantageWeights(qPrime, stateValues(agent.value, s), cfg.alpha, cfg.wMax);\n    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;\n'],
    ],
  },
  {
    name: 'iql-critic-loss-after-step', kind: 'mistake', question: 'Q3.9', hint: 'BEFORE its own step', file: 'iql.ts',
    edits: [
      ['    const qLoss = optimizers.critic.minimize(\n      () => criticLoss(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y),\n      true,\n      [...agent.q1.params, ...agent.q2.params],\n    )!;', '    const qObjective = () => criticLoss(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y);\n    optimizers.critic.minimize(qObjective, false, [...agent.q1.params, ...agent.q2.params]);\n    const qLoss = qObjective();'],
    ],
  },
  {
    name: 'iql-gradient-through-y', kind: 'mistake', question: 'Q3.9', hint: 'constant for the critic step', file: 'iql.ts',
    edits: [
      ['      () => criticLoss(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y),\n      true,\n      [...agent.q1.params, ...agent.q2.params],', '      () => criticLoss(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), criticTarget(r, d, stateValues(agent.value, s2), cfg.gamma)),\n      true,'],
    ],
  },
  {
    name: 'iql-only-q1-target', kind: 'mistake', question: 'Q3.9', hint: "Q2' too", file: 'iql.ts',
    edits: [
      ['  softUpdate(agent.q2Target, agent.q2, cfg.rho);\n', ''],
    ],
  },
  {
    name: 'iql-q-before-v', kind: 'mistake', question: 'Q3.9', hint: 'critic step after the value step', file: 'iql.ts',
    edits: [
      ['    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;\n', '    const y0 = criticTarget(r, d, stateValues(agent.value, s2), cfg.gamma);\n    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;\n'],
      ['    const y = criticTarget(r, d, stateValues(agent.value, s2), cfg.gamma);', '    const y = y0;'],
    ],
  },
  {
    name: 'iql-q2-target-toward-q1', kind: 'mistake', question: 'Q3.9', hint: 'toward its own critic', file: 'iql.ts',
    edits: [
      ['  softUpdate(agent.q2Target, agent.q2, cfg.rho);', '  softUpdate(agent.q2Target, agent.q1, cfg.rho);'],
    ],
  },
  {
    name: 'iql-stale-v-both', kind: 'mistake', question: 'Q3.9', hint: 'value step first', file: 'iql.ts',
    edits: [
      ['    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;\n\n    const weights = iqlAdvantageWeights(qPrime, stateValues(agent.value, s), cfg.alpha, cfg.wMax);', '    const v = stateValues(agent.value, s);\n    const vNext = stateValues(agent.value, s2);\n    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;\n\n    const weights = iqlAdvantageWeights(qPrime, v, cfg.alpha, cfg.wMax);'],
      ['    const y = criticTarget(r, d, stateValues(agent.value, s2), cfg.gamma);', '    const y = criticTarget(r, d, vNext, cfg.gamma);'],
    ],
  },
  {
    name: 'kept-count-episodes-first', kind: 'mistake', question: 'Q2.4', hint: 'p * M first', file: 'filtered_bc.ts',
    edits: [
      ['return Math.max(1, Math.ceil((percent * episodes) / 100)); // SOLUTION', 'return Math.max(1, Math.ceil((episodes / 100) * percent)); // SOLUTION'],
    ],
  },
  {
    name: 'logprob-clip-min-only', kind: 'mistake', question: 'Q2.1', hint: 'Clip log sigma from above', file: 'policy.ts',
    edits: [
      ['const logSigma = tf.clipByValue(logStd, LOG_STD_MIN, LOG_STD_MAX);', 'const logSigma = tf.maximum(logStd, LOG_STD_MIN);'],
    ],
  },
  {
    name: 'logprob-divides-by-variance', kind: 'mistake', question: 'Q2.1', hint: 'not by the variance', file: 'policy.ts',
    edits: [
      ['const z = tf.div(tf.sub(actions, mean), tf.exp(logSigma));', 'const z = tf.div(tf.sub(actions, mean), tf.exp(tf.mul(2, logSigma)));'],
    ],
  },
  {
    name: 'logprob-no-log-sigma', kind: 'mistake', question: 'Q2.1', hint: '-log sigma_j', file: 'policy.ts',
    edits: [
      ['const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * Math.log(2 * Math.PI));', 'const perDim = tf.sub(tf.mul(-0.5, tf.square(z)), 0.5 * Math.log(2 * Math.PI));'],
    ],
  },
  {
    name: 'mask-terminals-minus-one', kind: 'mistake', question: 'Q3.4', hint: 'not (terminal - 1)', file: 'iql.ts',
    edits: [
      ['return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), nextValues)); // SOLUTION', 'return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(terminals, 1)), nextValues)); // SOLUTION'],
    ],
  },
  {
    name: 'min-q-regressed', kind: 'mistake', question: 'Q3.5', hint: 'regresses on y by itself', file: 'iql.ts',
    edits: [
      ['return tf.mean(tf.add(tf.square(tf.sub(q1, y)), tf.square(tf.sub(q2, y)))); // SOLUTION', 'return tf.mean(tf.square(tf.sub(tf.minimum(q1, q2), y))); // SOLUTION'],
    ],
  },
  {
    name: 'normalised-weights', kind: 'mistake', question: 'Q4.2', hint: 'normalise the weights', file: 'awr.ts',
    edits: [
      ['return tf.minimum(tf.exp(tf.div(advantages, alpha)), wMax); // SOLUTION', 'const w = tf.minimum(tf.exp(tf.div(advantages, alpha)), wMax);\n  return tf.div(w, tf.mean(w)); // SOLUTION'],
    ],
  },
  {
    name: 'ok-awr-weights-inside-restricted', kind: 'correct', question: 'Q4.4', file: 'awr.ts',
    edits: [
      ['      () => weightedBcLoss(weights, policyLogProb(agent.policy, batch.observations, batch.actions)),', '      () => weightedBcLoss(advantageWeights(tf.sub(batch.returns, stateValues(agent.value, batch.observations)), cfg.alpha, cfg.wMax), policyLogProb(agent.policy, batch.observations, batch.actions)),'],
    ],
  },
  {
    name: 'ok-critic-loss-sum-of-means', kind: 'correct', question: 'Q3.5', file: 'iql.ts',
    edits: [
      ['return tf.mean(tf.add(tf.square(tf.sub(q1, y)), tf.square(tf.sub(q2, y)))); // SOLUTION', 'return tf.add(tf.mean(tf.square(tf.sub(q1, y))), tf.mean(tf.square(tf.sub(q2, y)))); // SOLUTION'],
    ],
  },
  {
    name: 'ok-iql-critic-before-actor', kind: 'correct', question: 'Q3.9', file: 'iql.ts',
    edits: [
      ['    const weights = iqlAdvantageWeights(qPrime, stateValues(agent.value, s), cfg.alpha, cfg.wMax);\n    const policyLoss = optimizers.policy.minimize(() => weightedBcLoss(weights, policyLogProb(agent.policy, s, a)), true, agent.policy.params)!;\n', ''],
      ['    return { valueLoss: valueLoss.dataSync()[0], policyLoss: policyLoss.dataSync()[0], criticLoss: qLoss.dataSync()[0] };', '    const weights = iqlAdvantageWeights(qPrime, stateValues(agent.value, s), cfg.alpha, cfg.wMax);\n    const policyLoss = optimizers.policy.minimize(() => weightedBcLoss(weights, policyLogProb(agent.policy, s, a)), true, agent.policy.params)!;\n    return { valueLoss: valueLoss.dataSync()[0], policyLoss: policyLoss.dataSync()[0], criticLoss: qLoss.dataSync()[0] };'],
    ],
  },
  {
    name: 'ok-kept-count-integer', kind: 'correct', question: 'Q2.4', file: 'filtered_bc.ts',
    edits: [
      ['return Math.max(1, Math.ceil((percent * episodes) / 100)); // SOLUTION', 'return Math.max(1, Math.floor((percent * episodes + 99) / 100)); // SOLUTION'],
    ],
  },
  {
    name: 'ok-logprob-tiny-epsilon', kind: 'correct', question: 'Q2.1', file: 'policy.ts',
    edits: [
      ['const z = tf.div(tf.sub(actions, mean), tf.exp(logSigma));\n    const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * Math.log(2 * Math.PI));', 'const sigma = tf.add(tf.exp(logSigma), 1e-8);\n    const z = tf.div(tf.sub(actions, mean), sigma);\n    const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), tf.log(sigma)), 0.5 * Math.log(2 * Math.PI));'],
    ],
  },
  {
    name: 'ok-logprob-variance-form', kind: 'correct', question: 'Q2.1', file: 'policy.ts',
    edits: [
      ['const z = tf.div(tf.sub(actions, mean), tf.exp(logSigma));\n    const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * Math.log(2 * Math.PI));', 'const variance = tf.exp(tf.mul(2, logSigma));\n    const perDim = tf.sub(tf.sub(tf.div(tf.square(tf.sub(actions, mean)), tf.mul(-2, variance)), tf.mul(0.5, tf.log(variance))), 0.5 * Math.log(2 * Math.PI));'],
    ],
  },
  {
    name: 'ok-soft-update-lerp', kind: 'correct', question: 'Q3.7', file: 'iql.ts',
    edits: [
      ['target.params.forEach((t, i) => t.assign(tf.add(tf.mul(rho, online.params[i]), tf.mul(1 - rho, t))));', 'target.params.forEach((t, i) => t.assign(tf.add(t, tf.mul(rho, tf.sub(online.params[i], t)))));'],
    ],
  },
  {
    name: 'ok-top-mask-i-plus-j', kind: 'correct', question: 'Q2.5', file: 'filtered_bc.ts',
    edits: [
      ['const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i - j);', 'const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i + j);'],
    ],
  },
  {
    name: 'ok-top-mask-topk', kind: 'correct', question: 'Q2.5', file: 'filtered_bc.ts',
    edits: [
      ['  const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i - j);\n  const keep = new Float32Array(g.length);\n  for (const e of order.slice(0, keptEpisodeCount(g.length, percent))) keep[e] = 1;', '  const keep = new Float32Array(g.length);\n  const top = tf.topk(returns, keptEpisodeCount(g.length, percent));\n  for (const e of Array.from(top.indices.dataSync())) keep[e] = 1;\n  top.values.dispose();\n  top.indices.dispose();'],
    ],
  },
  {
    name: 'ok-weights-log-clip', kind: 'correct', question: 'Q4.2', file: 'awr.ts',
    edits: [
      ['return tf.minimum(tf.exp(tf.div(advantages, alpha)), wMax); // SOLUTION', 'return tf.exp(tf.minimum(tf.div(advantages, alpha), Math.log(wMax))); // SOLUTION'],
    ],
  },
  {
    name: 'row-mask-advances-early', kind: 'mistake', question: 'Q2.6', hint: 'last row', file: 'filtered_bc.ts',
    edits: [
      ['    rows[t] = keep[episode];\n    if (done[t] !== 0 || cut[t] !== 0) episode += 1;', '    if (done[t] !== 0 || cut[t] !== 0) episode += 1;\n    rows[t] = keep[episode] ?? 0;'],
    ],
  },
  {
    name: 'row-mask-drops-trailing', kind: 'mistake', question: 'Q2.6', hint: 'trailing run', file: 'filtered_bc.ts',
    edits: [
      ['    rows[t] = keep[episode];', '    rows[t] = episode < keep.length - 1 || done[t] !== 0 || cut[t] !== 0 ? keep[episode] : 0;'],
    ],
  },
  {
    name: 'rtg-absolute-index', kind: 'mistake', question: 'Q1.1', hint: 'Discount from t itself', file: 'returns.ts',
    edits: [
      ['  let next = 0;\n  for (let t = r.length - 1; t >= 0; t--) {\n    const episodeEndsHere = done[t] !== 0 || cut[t] !== 0 || t === r.length - 1;\n    next = r[t] + (episodeEndsHere ? 0 : gamma * next);\n    out[t] = next;\n  }', '  let next = 0;\n  for (let t = r.length - 1; t >= 0; t--) {\n    const episodeEndsHere = done[t] !== 0 || cut[t] !== 0 || t === r.length - 1;\n    next = Math.pow(gamma, t) * r[t] + (episodeEndsHere ? 0 : next);\n    out[t] = next;\n  }'],
    ],
  },
  {
    name: 'rtg-divided-by-scale', kind: 'mistake', question: 'Q5.1', hint: 'do not divide', file: 'rcbc.ts',
    edits: [
      ['return tf.concat([observations, tf.expandDims(tf.mul(returnsToGo, scale), 1)], 1) as tf.Tensor2D; // SOLUTION', 'return tf.concat([observations, tf.expandDims(tf.div(returnsToGo, scale), 1)], 1) as tf.Tensor2D; // SOLUTION'],
    ],
  },
  {
    name: 'rtg-forward', kind: 'mistake', question: 'Q1.2', hint: 'not those before t', file: 'returns.ts',
    edits: [
      ['  return discountedReturnToGo(rewards, terminals, timeouts, 1); // SOLUTION', '  const r = rewards.dataSync(), d = terminals.dataSync(), c = timeouts.dataSync();\n  const out = new Float32Array(r.length);\n  let acc = 0;\n  for (let t = 0; t < r.length; t++) {\n    acc += r[t];\n    out[t] = acc;\n    if (d[t] !== 0 || c[t] !== 0) acc = 0;\n  }\n  return tf.tensor1d(out); // SOLUTION'],
    ],
  },
  {
    name: 'soft-update-moves-online', kind: 'mistake', question: 'Q3.7', hint: 'TARGET network', file: 'iql.ts',
    edits: [
      ['target.params.forEach((t, i) => t.assign(tf.add(tf.mul(rho, online.params[i]), tf.mul(1 - rho, t))));', 'online.params.forEach((o, i) => o.assign(tf.add(tf.mul(rho, o), tf.mul(1 - rho, target.params[i]))));'],
    ],
  },
  {
    name: 'softmax-weights', kind: 'mistake', question: 'Q4.2', hint: 'normalise the weights', file: 'awr.ts',
    edits: [
      ['return tf.minimum(tf.exp(tf.div(advantages, alpha)), wMax); // SOLUTION', 'return tf.softmax(tf.div(advantages, alpha)) as tf.Tensor1D; // SOLUTION'],
    ],
  },
  {
    name: 'top-mask-threshold-keeps-ties', kind: 'mistake', question: 'Q2.5', hint: 'Keep exactly n', file: 'filtered_bc.ts',
    edits: [
      ['  for (const e of order.slice(0, keptEpisodeCount(g.length, percent))) keep[e] = 1;', '  const threshold = g[order[keptEpisodeCount(g.length, percent) - 1]];\n  g.forEach((x, e) => { if (x >= threshold) keep[e] = 1; });'],
    ],
  },
  {
    name: 'top-mask-tie-break-plus-typed', kind: 'mistake', question: 'Q2.5', hint: 'stable sort', file: 'filtered_bc.ts',
    edits: [
      ['const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i - j);', 'const order = Array.from(Int32Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i + j));'],
    ],
  },
  {
    name: 'weighted-bc-over-weight-sum', kind: 'mistake', question: 'Q4.3', hint: 'normalise the weights', file: 'awr.ts',
    edits: [
      ['return tf.neg(tf.mean<tf.Scalar>(tf.mul(weights, logProbs))); // SOLUTION', 'return tf.neg(tf.div(tf.sum(tf.mul(weights, logProbs)), tf.sum(weights))) as tf.Scalar; // SOLUTION'],
    ],
  },
  {
    name: 'iql-targets-updated-first', kind: 'mistake', question: 'Q3.9', hint: 'LAST', file: 'iql.ts',
    edits: [
      ['  const losses = tf.tidy(() => {\n    const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;', '  softUpdate(agent.q1Target, agent.q1, cfg.rho);\n  softUpdate(agent.q2Target, agent.q2, cfg.rho);\n  const losses = tf.tidy(() => {\n    const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;'],
      ['  softUpdate(agent.q1Target, agent.q1, cfg.rho);\n  softUpdate(agent.q2Target, agent.q2, cfg.rho);\n  return losses;', '  return losses;'],
    ],
  },
  {
    name: 'awr-advantage-sign', kind: 'mistake', question: 'Q4.4', hint: 'not V(s) - R', file: 'awr.ts',
    edits: [
      ['const weights = advantageWeights(tf.sub(batch.returns, stateValues(agent.value, batch.observations)), cfg.alpha, cfg.wMax);', 'const weights = advantageWeights(tf.sub(stateValues(agent.value, batch.observations), batch.returns), cfg.alpha, cfg.wMax);'],
    ],
  },
  {
    name: 'logprob-clip-in-z-only', kind: 'mistake', question: 'Q2.1', hint: 'in -log sigma_j too', file: 'policy.ts',
    edits: [
      ['const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * Math.log(2 * Math.PI));', 'const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logStd), 0.5 * Math.log(2 * Math.PI));'],
    ],
  },
  {
    name: 'kept-count-round', kind: 'mistake', question: 'Q2.4', hint: 'UP', file: 'filtered_bc.ts',
    edits: [
      ['return Math.max(1, Math.ceil((percent * episodes) / 100)); // SOLUTION', 'return Math.max(1, Math.round((percent * episodes) / 100)); // SOLUTION'],
    ],
  },
  {
    name: 'episode-returns-drop-trailing', kind: 'mistake', question: 'Q1.3', hint: 'trailing run', file: 'returns.ts',
    edits: [
      ['    if (done[t] !== 0 || cut[t] !== 0 || t === r.length - 1) {', '    if (done[t] !== 0 || cut[t] !== 0) {'],
    ],
  },
  {
    name: 'ok-targets-from-same-seed', kind: 'correct', question: 'Q3.8', file: 'iql.ts',
    edits: [
      ['  const q1Target = q1.clone();\n  const q2Target = q2.clone();', "  const q1Target = Mlp.create(rng.fork('q1'), [obsDim + actDim, ...hidden, 1]); // the same draws as q1\n  const q2Target = Mlp.create(rng.fork('q2'), [obsDim + actDim, ...hidden, 1]);"],
    ],
  },
  {
    name: 'ok-fqe-estimate-gather', kind: 'correct', question: 'Q7.6', file: 'fqe.ts',
    edits: [
      ['  return tf.tidy(() => tf.div(tf.sum(tf.mul(startMask, policyActionValues(critic, policy, observations))), tf.sum(startMask)) as tf.Scalar);', '  const starts = Array.from(startMask.dataSync()).flatMap((m, i) => (m !== 0 ? [i] : []));\n  return tf.tidy(() => tf.mean(policyActionValues(critic, policy, tf.gather(observations, starts) as tf.Tensor2D)) as tf.Scalar);'],
    ],
  },
  {
    name: 'ok-top-mask-no-tie-break', kind: 'correct', question: 'Q2.5', file: 'filtered_bc.ts',
    edits: [
      ['const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i - j);', 'const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i]); // Array.prototype.sort is stable'],
    ],
  },
  {
    name: 'ok-kept-count-m-times-p', kind: 'correct', question: 'Q2.4', file: 'filtered_bc.ts',
    edits: [
      ['return Math.max(1, Math.ceil((percent * episodes) / 100)); // SOLUTION', 'return Math.max(1, Math.ceil((episodes * percent) / 100)); // SOLUTION'],
    ],
  },
  {
    name: 'ok-logprob-sqrt-2pi', kind: 'correct', question: 'Q2.1', file: 'policy.ts',
    edits: [
      ['const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * Math.log(2 * Math.PI));', 'const perDim = tf.neg(tf.add(tf.add(tf.div(tf.square(z), 2), logSigma), Math.log(Math.sqrt(2 * Math.PI))));'],
    ],
  },
];
