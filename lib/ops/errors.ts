/** Bad arguments: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** The command did nothing useful (nothing found, refused): printed, exit code 1. */
export class OpsFailure extends Error {}
