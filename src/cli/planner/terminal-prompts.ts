// The planner's prompts on a real terminal, through inquirer. The only module that imports it, and
// only when the planner opens, so check and --dry-run never load it.
import type { AbortReason, ChoiceGroup, Prompts, TextQuestion } from './prompts.js';
import { PlannerAbort } from './prompts.js';

interface Key {
  name?: string;
}

export async function openTerminalPrompts(): Promise<Prompts> {
  const { default: inquirer } = await import('inquirer');
  const stop = new AbortController();
  // Ctrl+C between prompts (while planning or paging) reaches us as SIGINT: abort at the next prompt.
  const onSigint = (): void => stop.abort('interrupt' satisfies AbortReason);
  // inquirer has no Esc binding; readline reports the key on stdin while a prompt is open.
  const onKey = (_s: unknown, key?: Key): void => {
    if (key?.name === 'escape') stop.abort('cancel' satisfies AbortReason);
  };
  process.on('SIGINT', onSigint);
  const prompt = inquirer.createPromptModule({ signal: stop.signal });

  async function ask<T>(question: { type: 'checkbox' | 'input' | 'confirm'; message: string } & Record<string, unknown>): Promise<T> {
    process.stdin.on('keypress', onKey);
    try {
      const answers: { answer: unknown } = await prompt([{ ...question, name: 'answer' }]);
      return answers.answer as T;
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      if (name === 'ExitPromptError') throw new PlannerAbort('interrupt');
      if (name === 'AbortPromptError') throw new PlannerAbort(stop.signal.reason === 'interrupt' ? 'interrupt' : 'cancel');
      throw e;
    } finally {
      process.stdin.off('keypress', onKey);
    }
  }

  return {
    pick: (message: string, groups: ChoiceGroup[]) => {
      const choices = groups.flatMap((g) => [new inquirer.Separator(`── ${g.title} ──`), ...g.choices]);
      return ask<string[]>({
        type: 'checkbox',
        message,
        choices,
        // The whole list when it fits, leaving room for the header, the rationale and the key help.
        pageSize: Math.max(7, Math.min(choices.length, (process.stdout.rows ?? 24) - 12)),
        loop: true,
        theme: {
          style: {
            renderSelectedChoices: (picked: readonly unknown[]) => `${picked.length} of ${groups.flatMap((g) => g.choices).length} fixes`,
          },
        },
      });
    },
    text: (q: TextQuestion) => ask<string>({ type: 'input', message: q.message, default: q.default, validate: q.validate }),
    confirm: (message: string, defaultAnswer: boolean) => ask<boolean>({ type: 'confirm', message, default: defaultAnswer }),
    close: () => {
      process.off('SIGINT', onSigint);
      process.stdin.off('keypress', onKey);
    },
  };
}
