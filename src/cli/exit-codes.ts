// Exit codes, documented in the README and in --help.
export const EXIT = {
  /** Nothing left to fix (check), or everything applied (fix). */
  clean: 0,
  /** Findings remain, or `check`/`--dry-run` would change files. */
  findings: 1,
  /** Usage error or bad input; nothing was written. */
  error: 2,
  /** Interrupted at a prompt; nothing was written. */
  interrupted: 130,
} as const;
