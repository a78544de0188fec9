// Prompts answered by a script instead of a keyboard, recording what the planner asked and printed in order.
import type { Output } from '../../src/cli/output.js';
import type { PlannerDeps } from '../../src/cli/planner/index.js';
import type { ChoiceGroup, TextQuestion } from '../../src/cli/planner/prompts.js';

export interface Script {
  /** Default: the pre-checked choices. */
  pick?(groups: ChoiceGroup[]): string[];
  /** Default: Enter (the question's default, or empty). */
  text?(q: TextQuestion): string;
  /** Default: Enter (the default answer). */
  confirm?(message: string, defaultAnswer: boolean): boolean;
}

export interface Session {
  deps: PlannerDeps;
  out: Output;
  /** Everything printed, paged and asked, in order ("ask:" lines are prompts). */
  events: string[];
  groups: ChoiceGroup[];
  questions: TextQuestion[];
  confirms: { message: string; defaultAnswer: boolean }[];
  closed: boolean;
  stdout(): string;
  stderr(): string;
}

export function scripted(script: Script = {}): Session {
  const printed: { stream: 'out' | 'err'; text: string }[] = [];
  const s: Session = {
    events: [],
    groups: [],
    questions: [],
    confirms: [],
    closed: false,
    out: {
      isTTY: true,
      stdout: (t) => {
        printed.push({ stream: 'out', text: String(t) });
        s.events.push(String(t));
      },
      stderr: (t) => {
        printed.push({ stream: 'err', text: t });
        s.events.push(t);
      },
    },
    deps: {
      page: (t) => void s.events.push(`page:${t}`),
      prompts: {
        pick: async (message, groups) => {
          s.events.push(`ask:${message}`);
          s.groups = groups;
          return script.pick ? script.pick(groups) : groups.flatMap((g) => g.choices.filter((c) => c.checked).map((c) => c.value));
        },
        text: async (q) => {
          s.events.push(`ask:${q.message}`);
          s.questions.push(q);
          return script.text ? script.text(q) : (q.default ?? '');
        },
        confirm: async (message, defaultAnswer) => {
          s.events.push(`ask:${message}`);
          s.confirms.push({ message, defaultAnswer });
          return script.confirm ? script.confirm(message, defaultAnswer) : defaultAnswer;
        },
        close: () => void (s.closed = true),
      },
    },
    stdout: () => printed.filter((p) => p.stream === 'out').map((p) => p.text).join(''),
    stderr: () => printed.filter((p) => p.stream === 'err').map((p) => p.text).join(''),
  };
  return s;
}
