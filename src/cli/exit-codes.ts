// Exit codes, documented in the README and in --help.
export const EXIT = {
  /** Nothing left to fix (check), or everything applied (fix). */
  clean: 0,
  /** Findings remain, or `check`/`--dry-run` would change files. */
  findings: 1,
  /** Usage error or bad input; nothing was written. */
  error: 2,
  /** A waiver in harden.toml has expired (reported as a harden.waiver finding). */
  expiredWaiver: 3,
  /** Interrupted at a prompt; nothing was written. */
  interrupted: 130,
} as const;

/** An expired waiver (a harden.waiver finding) turns a run's exit code into 3, unless it already failed with 2. */
export function withExpiredWaivers(findings: readonly { ruleId: string }[], code: number): number {
  return code !== EXIT.error && findings.some((f) => f.ruleId === 'harden.waiver') ? EXIT.expiredWaiver : code;
}

/**
 * `harden plan --detailed-exitcode`, Terraform's convention: 0 no changes, 2 changes pending, 1 error.
 * It reuses 2, which means "error" everywhere else; without the flag, plan exits 0 when planned, 2 on error.
 */
export const PLAN_DETAILED = { noChanges: 0, error: 1, changes: 2 } as const;
