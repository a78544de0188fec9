// Errors the CLI maps to exit code 2, kept apart so that --help loads no engine code.
export class UsageError extends Error {}
