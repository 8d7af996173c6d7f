/**
 * Bounded readers for what the child writes.
 *
 * Threat addressed: output flooding. A child printing gigabytes must neither fill the grader's
 * memory nor block (a full pipe would stall the child and turn a flood into a timeout). Output is
 * always read; only the first N bytes are kept, the rest is counted and discarded.
 */

/** Keeps the first `limit` bytes of a stream and counts the rest. */
export class BoundedCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Total bytes seen, kept or not. */
  total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(Buffer.from(part)); // copy: never retain a slice of a larger pooled buffer
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Splits the message channel into newline-delimited JSON messages. Lines that are not JSON are
 * dropped and counted. Past `limit` total bytes, or when one line grows past `lineLimit` bytes
 * (before it is parsed), the decoder stops storing anything and reports the overflow once, so the
 * caller can cut the child off. With `onMessage`, messages are handed over and not kept.
 */
export class MessageDecoder {
  readonly messages: unknown[] = [];
  dropped = 0;
  private total = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    /** Called with each message as soon as its line is complete. */
    private readonly onMessage?: (message: unknown) => void,
    private readonly lineLimit = Infinity,
  ) {}

  push(chunk: Buffer): void {
    if (this.overflowed) return;
    this.total += chunk.length;
    if (this.total > this.limit) return this.cutOff();
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (this.pendingBytes + nl - start > this.lineLimit) return this.cutOff();
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.line(line);
      if (this.overflowed) return; // the handler may have stopped the run
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.lineLimit) return this.cutOff();
      this.pending.push(Buffer.from(chunk.subarray(start)));
    }
  }

  /** Call at end of stream: an unterminated last line is an incomplete message and is dropped. */
  end(): void {
    if (this.pending.some((b) => b.length > 0)) this.dropped++;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Stops decoding (the caller ended the run): nothing more is kept or handed over. */
  close(): void {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  get overflow(): boolean {
    return this.overflowed;
  }

  private cutOff(): void {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.dropped++; // the message being written when the limit was reached
    this.onOverflow();
  }

  private line(bytes: Buffer): void {
    const text = bytes.toString('utf8').trim();
    if (text === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.dropped++; // malformed JSON, or nesting deep enough to overflow the parser's stack
      return;
    }
    if (this.onMessage) this.onMessage(message);
    else this.messages.push(message);
  }
}
