/**
 * A deployment that `--aws` cannot reach as given: no credentials, no such stack, a stack without
 * the outputs the CLI reads. Said in one sentence with what to do; exit code 1.
 */
export class DeploymentError extends Error {
  constructor(
    message: string,
    /** What to do about it: the command or setting that would work. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeploymentError';
  }
}
