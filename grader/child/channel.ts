/**
 * Child side of the sandbox message channel. Self-contained (only `fs`) so that it can be
 * transpiled on its own and loaded by the child.
 *
 * Threat addressed: a grader that parses the child's stdout can be fooled by a student who prints
 * fake "passed" lines. Here the parent never reads results from stdout: input arrives on fd 3 (one
 * JSON document, then end of file) and messages leave on fd 4 as newline-delimited JSON, one
 * message a line. Student code can still write to fd 4 itself; it is the same untrusted child, so
 * the parent validates whatever it receives - the point is only that ordinary console output can
 * never become a message.
 */
import * as fs from 'fs';

/** File descriptor on which the parent writes the input (then closes it). */
export const INPUT_FD = 3;
/** File descriptor on which the child writes its messages. */
export const MESSAGE_FD = 4;

let inputPromise: Promise<unknown> | undefined;

/** Sleeps the thread for a few milliseconds (used only when a descriptor is non-blocking). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}

function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if (isErrno(err, 'EAGAIN')) {
        pause(2);
        continue;
      }
      throw new Error(`channel: cannot read input on fd ${fd}: ${(err as Error).message}`);
    }
    if (n === 0) return Buffer.concat(chunks);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
}

/** The JSON value the parent sent (read once; later calls return the same value). */
export function readInput(): Promise<unknown> {
  inputPromise ??= new Promise((resolve, reject) => {
    try {
      const text = readAll(INPUT_FD).toString('utf8');
      resolve(JSON.parse(text));
    } catch (err) {
      reject(err instanceof SyntaxError ? new Error(`channel: input is not JSON: ${err.message}`) : err);
    }
  });
  return inputPromise;
}

/**
 * Sends one message to the parent. Synchronous, so a message sent just before `process.exit`
 * is not lost. Throws if the message is not JSON-serialisable.
 */
export function send(message: unknown): void {
  const json = JSON.stringify(message);
  if (json === undefined) throw new TypeError('channel: send() needs a JSON-serialisable message');
  const bytes = Buffer.from(json + '\n', 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(MESSAGE_FD, bytes, offset, bytes.length - offset);
    } catch (err) {
      if (isErrno(err, 'EAGAIN')) {
        pause(1);
        continue;
      }
      throw new Error(`channel: cannot send on fd ${MESSAGE_FD}: ${(err as Error).message}`);
    }
  }
}
