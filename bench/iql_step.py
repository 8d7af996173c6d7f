#!/usr/bin/env python3
"""The IQL update of solutions/iql.ts written in PyTorch, for `npm run bench` only.

Same work as one step of our trainer (docs/contract.md §5): twin critics Q1, Q2 on [s, a],
V on s, a Gaussian policy with mean tanh(MLP(s)) and a learned state-independent log sigma
clipped to [-5, 2], target critics; three Adam optimizers (critics, value, policy); in order:
V step on the expectile loss, policy step on advantage-weighted log-likelihood (weights
min(exp(A / alpha), wMax)), critic step on the twin squared errors, then Polyak target updates.
One thread (torch.set_num_threads(1)). Which BLAS torch uses is chosen outside, by
LD_LIBRARY_PATH.

  python3 bench/iql_step.py --obs 2 --act 2 --hidden 64,64 --batch 256 --seconds 2 --runs 5

After untimed warm-up steps, each timed run does as many steps as the warm-up rate fits in
--seconds (or exactly --steps), as bench/workers/iql-steps.ts does for ours.

Prints one JSON line: {"torch": version, "stepsPerSecond": [...], "blas": [...libraries...]}.
"""
import argparse
import json
import math
import time

import torch
from torch import nn

GAMMA, TAU, ALPHA, W_MAX, RHO, LR = 0.95, 0.9, 0.03, 100.0, 0.02, 1e-3
LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class Policy(nn.Module):
    def __init__(self, obs, hidden, act):
        super().__init__()
        self.net = mlp([obs, *hidden, act])
        self.log_std = nn.Parameter(torch.zeros(act))

    def log_prob(self, s, a):
        mean = torch.tanh(self.net(s))
        log_sigma = self.log_std.clamp(LOG_STD_MIN, LOG_STD_MAX)
        z = (a - mean) / log_sigma.exp()
        return (-0.5 * z * z - log_sigma - 0.5 * math.log(2 * math.pi)).sum(1)


def expectile_loss(u, tau):
    # L_tau(u) = |tau - 1(u < 0)| u^2
    return (tau - (u < 0).float()).abs() * u * u


def make_agent(obs, act, hidden):
    q1, q2 = mlp([obs + act, *hidden, 1]), mlp([obs + act, *hidden, 1])
    agent = {
        "q1": q1, "q2": q2, "value": mlp([obs, *hidden, 1]), "policy": Policy(obs, hidden, act),
        "q1t": mlp([obs + act, *hidden, 1]), "q2t": mlp([obs + act, *hidden, 1]),
    }
    agent["q1t"].load_state_dict(q1.state_dict())
    agent["q2t"].load_state_dict(q2.state_dict())
    opts = {
        "critic": torch.optim.Adam([*q1.parameters(), *q2.parameters()], lr=LR),
        "value": torch.optim.Adam(agent["value"].parameters(), lr=LR),
        "policy": torch.optim.Adam(agent["policy"].parameters(), lr=LR),
    }
    return agent, opts


def iql_update(agent, opts, s, a, r, s2, d):
    sa = torch.cat([s, a], 1)
    with torch.no_grad():
        q_prime = torch.minimum(agent["q1t"](sa).squeeze(1), agent["q2t"](sa).squeeze(1))
    # 1. value step
    value_loss = expectile_loss(q_prime - agent["value"](s).squeeze(1), TAU).mean()
    opts["value"].zero_grad(set_to_none=True)
    value_loss.backward()
    opts["value"].step()
    # 2. policy step with the V just updated
    with torch.no_grad():
        w = torch.exp((q_prime - agent["value"](s).squeeze(1)) / ALPHA).clamp(max=W_MAX)
        y = r + GAMMA * (1 - d) * agent["value"](s2).squeeze(1)
    policy_loss = -(w * agent["policy"].log_prob(s, a)).mean()
    opts["policy"].zero_grad(set_to_none=True)
    policy_loss.backward()
    opts["policy"].step()
    # 3. critic step
    critic_loss = ((agent["q1"](sa).squeeze(1) - y) ** 2 + (agent["q2"](sa).squeeze(1) - y) ** 2).mean()
    opts["critic"].zero_grad(set_to_none=True)
    critic_loss.backward()
    opts["critic"].step()
    # 4. target update
    with torch.no_grad():
        for target, online in ((agent["q1t"], agent["q1"]), (agent["q2t"], agent["q2"])):
            for t, p in zip(target.parameters(), online.parameters()):
                t.mul_(1 - RHO).add_(p, alpha=RHO)
    # our step reads the three losses back as numbers too
    return value_loss.item(), policy_loss.item(), critic_loss.item()


def loaded_blas():
    """The BLAS/LAPACK libraries this process really mapped (from /proc/self/maps)."""
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path or "lapack" in path:
                names.add(path)
    return sorted(names)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--obs", type=int, default=2)
    p.add_argument("--act", type=int, default=2)
    p.add_argument("--hidden", default="64,64")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--runs", type=int, default=5)
    o = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    hidden = [int(h) for h in o.hidden.split(",")]
    rows = 10_000
    data = {
        "s": torch.rand(rows, o.obs) * 2 - 1, "a": torch.rand(rows, o.act) * 2 - 1, "r": torch.rand(rows),
        "s2": torch.rand(rows, o.obs) * 2 - 1, "d": (torch.arange(rows) % 100 == 99).float(),
    }
    agent, opts = make_agent(o.obs, o.act, hidden)

    def step():
        idx = torch.randint(rows, (o.batch,))
        iql_update(agent, opts, data["s"][idx], data["a"][idx], data["r"][idx], data["s2"][idx], data["d"][idx])

    for _ in range(3):
        step()
    w0 = time.perf_counter()
    for _ in range(o.warmup):
        step()
    warm_rate = o.warmup / max(1e-6, time.perf_counter() - w0)
    steps = o.steps if o.steps is not None else max(3, round(o.seconds * warm_rate))
    rates = []
    for _ in range(o.runs):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps / (time.perf_counter() - t0))
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "stepsPerSecond": rates, "steps": steps, "blas": loaded_blas()}))


if __name__ == "__main__":
    main()
