// Errors shared by the kit, the starter and the grader.

/** Thrown by every starter stub until the student writes the function. */
export class NotImplementedError extends Error {
  constructor(readonly functionName: string, readonly question?: string) {
    super(`not implemented yet: ${functionName}${question ? ` (${question})` : ''}`);
    this.name = 'NotImplementedError';
  }
}

/** Bad input data: the message names the file and the field. */
export class DatasetError extends Error {
  constructor(readonly file: string, readonly field: string | undefined, detail: string) {
    super(`${file}${field ? `: field '${field}'` : ''}: ${detail}`);
    this.name = 'DatasetError';
  }
}
