// docs/contract.md §3: the Gaussian log-density, summed over action dimensions, log sigma clipped to [-5, 2].
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { bcLoss, gaussianLogProb, policyLogProb } from '../../solutions/policy';
import { HALF_LOG_2PI as H, expectClose, expectFar, read, setParams, t1, t2 } from './hand';

beforeAll(async () => {
  await initBackend();
});

describe('gaussianLogProb', () => {
  test('da = 2: summed over action dimensions, not averaged', () => {
    // sigma = [1, 2]
    // row 0: z = [(1 - 0) / 1, (0.5 - 0.5) / 2] = [1, 0]   -> -0.5 - 0 - H + (0 - ln 2 - H)     = -3.031024247
    // row 1: z = [(0.5 + 0.5) / 1, (-0.8 - 0.2) / 2] = [1, -0.5] -> -0.5 - H + (-0.125 - ln 2 - H) = -3.156024247
    const lp = gaussianLogProb(t2([[0, 0.5], [-0.5, 0.2]]), t1([0, Math.log(2)]), t2([[1, 0.5], [0.5, -0.8]]));
    expect(lp.shape).toEqual([2]);
    const right = [-0.5 - Math.LN2 - 2 * H, -0.625 - Math.LN2 - 2 * H];
    expectClose(right, [-3.031024247, -3.156024247]);
    expectClose(read(lp), right);
    expectFar(right.map((x) => x / 2), right); // averaged over the 2 action dimensions
    expectFar(right.map((x) => x + 2 * H), right); // the -0.5 log(2 pi) constant dropped
  });

  test('log sigma is clipped to [-5, 2]: logStd [-7, 3] is used as [-5, 2]', () => {
    // row 0: a - mu = [0.01, 1]; z = [0.01 e^5, e^-2]
    //   dim 0: -0.5 * 1e-4 * e^10 + 5 - H = -1.101323290 + 5 - 0.918938533 = 2.979738177
    //   dim 1: -0.5 * e^-4 - 2 - H        = -0.009157819 - 2 - 0.918938533 = -2.928096352   -> 0.051641825
    // row 1: a = mu, z = 0: 5 - H - 2 - H = 3 - 2H = 1.162122934
    const lp = gaussianLogProb(t2([[0, 0], [0.3, -0.2]]), t1([-7, 3]), t2([[0.01, 1], [0.3, -0.2]]));
    const clipped = [-0.5 * 1e-4 * Math.exp(10) + 5 - H + (-0.5 * Math.exp(-4) - 2 - H), 3 - 2 * H];
    expectClose(clipped, [0.051641825, 1.162122934]);
    expectClose(read(lp), clipped, 2e-5);
    const unclipped = [-0.5 * 1e-4 * Math.exp(14) + 7 - H + (-0.5 * Math.exp(-6) - 3 - H), 4 - 2 * H];
    expectFar(unclipped, clipped);
    const lowOnly = [-0.5 * 1e-4 * Math.exp(10) + 5 - H + (-0.5 * Math.exp(-6) - 3 - H), 2 - 2 * H]; // upper clip missing
    expectFar(lowOnly, clipped);
    const highOnly = [-0.5 * 1e-4 * Math.exp(14) + 7 - H + (-0.5 * Math.exp(-4) - 2 - H), 5 - 2 * H]; // lower clip missing
    expectFar(highOnly, clipped);
  });
});

describe('policyLogProb', () => {
  test('uses mu(s) = tanh(MLP(s)) and the policy log sigma, summed over 2 dimensions', () => {
    const policy = GaussianPolicy.create(new Rng(1), 1, [], 2);
    setParams(policy.net, [[1, -1], [0, 0.5]]); // pre-activation = [s, 0.5 - s]
    policy.logStd.assign(t1([0.5, -1]));
    const s = [0.5, -1];
    const a = [[0.2, 0.9], [-0.7, 0.1]];
    const lp = policyLogProb(policy, t2(s.map((x) => [x])), t2(a));
    expect(lp.shape).toEqual([2]);
    const ls = [0.5, -1];
    const byHand = s.map((x, b) => {
      const mu = [Math.tanh(x), Math.tanh(0.5 - x)];
      return [0, 1].reduce((acc, j) => acc - 0.5 * ((a[b][j] - mu[j]) / Math.exp(ls[j])) ** 2 - ls[j] - H, 0);
    });
    expectClose(read(lp), byHand);
    const noTanh = s.map((x, b) => {
      const mu = [x, 0.5 - x];
      return [0, 1].reduce((acc, j) => acc - 0.5 * ((a[b][j] - mu[j]) / Math.exp(ls[j])) ** 2 - ls[j] - H, 0);
    });
    expectFar(noTanh, byHand);
  });
});

describe('bcLoss', () => {
  test('wrong sign: L = -mean log pi is positive for negative log-probabilities', () => {
    const loss = bcLoss(t1([-1, -2, -4.5]));
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [2.5]); // -(-1 - 2 - 4.5) / 3
    expectFar([-2.5], [2.5]);
  });

  test('batch mean, not sum: duplicating the batch leaves the loss unchanged', () => {
    expectClose(read(bcLoss(t1([-1, -2, -4.5, -1, -2, -4.5]))), [2.5]);
    expectFar([7.5], [2.5]); // the batch sum
  });
});
