/** Bad arguments: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * The command did nothing useful (nothing found, refused): printed, exit code 1. exitCode and
 * output (printed before the message) let a command fail after reporting, as the audit does.
 */
export class OpsFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly output: string[] = [],
  ) {
    super(message);
  }
}
