// The one error type of the starter builder: always names a file, and a line when there is one.

export class StarterBuildError extends Error {
  /**
   * @param file   path as shown to the author (e.g. "solutions/losses.ts")
   * @param line   1-based line number, or undefined for whole-file problems
   * @param detail what is wrong, one line
   */
  constructor(readonly file: string, readonly line: number | undefined, readonly detail: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'StarterBuildError';
  }
}
