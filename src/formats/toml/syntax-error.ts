// The one error every TOML entry point throws for a file that is not valid TOML 1.0.

export class TomlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based. */
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'TomlSyntaxError';
  }
}
