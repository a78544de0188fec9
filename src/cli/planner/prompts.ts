// What the planner asks, independent of the prompt library: the terminal answers through inquirer,
// tests answer through a script.

export interface FixChoice {
  /** selectionKey of the fix: one rule in one file. */
  value: string;
  /** One line: rule id, title, file. */
  name: string;
  /** Shown under the list while the choice is highlighted: why, and what would change. */
  description: string;
  checked: boolean;
}

export interface ChoiceGroup {
  title: string;
  choices: FixChoice[];
}

export interface TextQuestion {
  message: string;
  default?: string;
  /** true, or the reason the answer is refused (the prompt asks again). */
  validate(value: string): true | string;
}

export interface Prompts {
  /** The checked choices' values. */
  pick(message: string, groups: ChoiceGroup[]): Promise<string[]>;
  text(question: TextQuestion): Promise<string>;
  confirm(message: string, defaultAnswer: boolean): Promise<boolean>;
  /** Releases the terminal (signal handlers, key listeners). */
  close(): void;
}

/** How the operator left the planner without applying anything. */
export type AbortReason = 'interrupt' | 'cancel' | 'declined' | 'nothing-selected';

export class PlannerAbort extends Error {
  constructor(readonly reason: AbortReason) {
    super(`planner aborted: ${reason}`);
  }
}
