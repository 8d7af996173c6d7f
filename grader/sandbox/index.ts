/**
 * Sandbox for untrusted student code: a child process bounded in CPU, wall time, memory,
 * processes, file size and output, isolated by user (and namespaces when available), talking to
 * the grader only through a JSON message channel. Generic: it knows nothing about grading.
 *
 * Parent side: `runSandboxed(request)`. Child side: `readInput()` / `send()` from grader/child/channel.ts.
 */
export { runSandboxed, chooseFull, LOCK_TIMEOUT_MS } from './run';
export { lockUser, tryLockUser } from './lock';
export { ensureSandboxUser, isRoot } from './user';
export type { SandboxUser } from './user';
export { sweepUser } from './kill';
export { probeFullIsolation } from './isolation';
export { DEFAULT_SANDBOX_USER, DEFAULT_MAX_CHANNEL_BYTES } from './types';
export type { Budget, FileView, IsolationMode, MessageReply, SandboxLimits, SandboxOutcome, SandboxRequest, SandboxResult } from './types';
