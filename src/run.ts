// The programmatic entry that the CLI and the tests share: read a home, detect the product,
// plan the selected transforms, and write a verified plan.
import { detectProduct, DETECTION_LIST, DETECTION_READ } from './engine/detect.js';
import { planFixes, type PlanResult } from './engine/plan.js';
import { defaultJdk, tlsPolicy, type Jdk, type ProfileName } from './engine/tls-profiles.js';
import type { ProductInfo, Transform } from './engine/types.js';
import type { SourceFiles } from './engine/source-files.js';
import { readHome } from './io/read-home.js';
import { encodeFile } from './engine/encoding.js';
import { writeFilesAtomically } from './io/write-files.js';
import { ALL_TRANSFORMS } from '../transforms/index.js';

export class UsageError extends Error {}

export interface RunRequest {
  home: string;
  only?: string[];
  skip?: string[];
  params?: Record<string, string>;
  profile?: ProfileName;
  jdk?: Jdk;
  transforms?: Transform[];
  /** Plan only these fixes (selectionKey: rule × file), as the interactive planner picks them. */
  selection?: ReadonlySet<string>;
}

export interface HomePlan extends PlanResult {
  home: string;
  files: SourceFiles;
  jdk: Jdk;
  profile: ProfileName;
}

export function selectTransforms(all: Transform[], only: string[] = [], skip: string[] = []): Transform[] {
  const known = new Set(all.map((t) => t.id));
  for (const id of [...only, ...skip]) if (!known.has(id)) throw new UsageError(`unknown rule id "${id}" (harden knows: ${[...known].join(', ')})`);
  return all.filter((t) => (only.length === 0 || only.includes(t.id)) && !skip.includes(t.id));
}

export function validateParams(transforms: Transform[], params: Record<string, string>): void {
  const specs = new Map(ALL_TRANSFORMS.flatMap((t) => t.params.map((p) => [p.name, p] as const)));
  for (const [name, value] of Object.entries(params)) {
    const spec = specs.get(name);
    if (!spec) throw new UsageError(`unknown parameter "${name}" (known: ${[...specs.keys()].join(', ')})`);
    const why = spec.validate?.(value);
    if (why) throw new UsageError(`--set ${name}=${value}: ${why}`);
  }
  void transforms;
}

export function planHome(req: RunRequest): HomePlan {
  const transforms = selectTransforms(req.transforms ?? ALL_TRANSFORMS, req.only, req.skip);
  const params = req.params ?? {};
  validateParams(transforms, params);
  const probe = readHome(req.home, DETECTION_READ, DETECTION_LIST);
  const product: ProductInfo = detectProduct(probe);
  const globs = [...new Set(transforms.flatMap((t) => t.files(product)))];
  const files = readHome(req.home, globs, [], probe);
  const jdk = req.jdk ?? defaultJdk(product.kernel);
  const profile = req.profile ?? 'intermediate';
  let policy;
  try {
    policy = tlsPolicy(profile, jdk);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const result = planFixes(files, product, transforms, { policy, params, selection: req.selection });
  return { ...result, home: req.home, files, jdk, profile };
}

/** Writes every planned change, all or nothing. */
export function applyPlan(plan: HomePlan): string[] {
  writeFilesAtomically(
    plan.home,
    plan.changes.map((c) => ({ path: c.path, bytes: encodeFile(plan.files.get(c.path)!, c.after) })),
  );
  return plan.changes.map((c) => c.path);
}
