// Asks for the parameters the picked fixes use and --set did not give, validated by each rule's ParamSpec.
import type { ParamSpec, Transform } from '../../engine/types.js';
import { missingParams } from './choices.js';
import type { Prompts } from './prompts.js';

/** The answer that skips the fixes of a parameter instead of giving it a value. */
export const SKIP_ANSWER = '-';

export interface ParamQuestion {
  spec: ParamSpec;
  /** The picked rules that use this parameter (skipping it drops their fixes). */
  ruleIds: string[];
}

export function paramQuestions(pickedRuleIds: ReadonlySet<string>, transforms: Transform[], given: Record<string, string>): ParamQuestion[] {
  const questions = new Map<string, ParamQuestion>();
  for (const t of transforms) {
    if (!pickedRuleIds.has(t.id)) continue;
    for (const name of missingParams(t, given)) {
      const spec = t.params.find((p) => p.name === name)!;
      const q = questions.get(name) ?? { spec, ruleIds: [] };
      q.ruleIds.push(t.id);
      questions.set(name, q);
    }
  }
  return [...questions.values()];
}

export interface ParamAnswers {
  values: Record<string, string>;
  /** Rules whose parameter the operator skipped: their fixes are dropped. */
  skippedRules: Set<string>;
}

export async function askParams(questions: ParamQuestion[], prompts: Prompts): Promise<ParamAnswers> {
  const answers: ParamAnswers = { values: {}, skippedRules: new Set() };
  for (const { spec, ruleIds } of questions) {
    const keep = spec.default === undefined ? 'Enter alone skips the fix' : `Enter keeps the default, ${SKIP_ANSWER} skips the fix`;
    const raw = await prompts.text({
      message: `${spec.name} for ${ruleIds.join(', ')}: ${spec.description} [${keep}]`,
      default: spec.default,
      validate: (v) => {
        const value = v.trim();
        return value === '' || value === SKIP_ANSWER ? true : (spec.validate?.(value) ?? true);
      },
    });
    const value = raw.trim();
    if (value === '' || value === SKIP_ANSWER) for (const id of ruleIds) answers.skippedRules.add(id);
    else answers.values[spec.name] = value;
  }
  return answers;
}
