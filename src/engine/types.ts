// The engine's vocabulary: what a product home is, what a transform declares, what it finds.
import type { TextEdit } from '../formats/text.js';
import type { XmlIntent } from '../formats/xml/semantic.js';
import type { TomlIntent } from '../formats/toml/semantic.js';
import type { DockerfileIntent } from '../formats/dockerfile/semantic.js';
import type { JsonIntent } from '../formats/json/semantic.js';
import type { PropertiesIntent } from '../formats/properties/semantic.js';
import type { TlsPolicy } from './tls-profiles.js';
import type { SourceFiles } from './source-files.js';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

/** How the product keeps its configuration (RULES.md §0). */
export type ConfigModel = 'xml' | 'toml' | 'mi' | 'ballerina' | 'container' | 'unknown';

export type FixClass = 'AUTO' | 'AUTO-GUARDED' | 'USER-VALUE' | 'GUIDED' | 'REPORT';

export interface ProductInfo {
  /** Short id: wso2am, wso2is, wso2ei, wso2esb, wso2mi, carbon-kernel, ballerina, unknown. */
  id: string;
  name: string;
  version: string | undefined;
  kernel: string | undefined;
  model: ConfigModel;
  /** Configuration directories relative to HOME: repository/conf, or EI's conf and wso2/<profile>/conf. */
  confDirs: string[];
  /** Directories holding start-up scripts relative to HOME. */
  binDirs: string[];
  /** What each conclusion rests on, shown by `harden check`. */
  evidence: string[];
  /**
   * Files the config mapper generated at its last start, with their MD5 then (from
   * repository/resources/conf/.metadata/metadata_config.properties); empty where the server has not run.
   */
  generated: { path: string; md5: string }[];
}

export interface Source {
  title: string;
  url: string;
}

export interface ParamSpec {
  name: string;
  description: string;
  /** Value used when none is given; absent means the fix needs input. */
  default?: string;
  /** A reason the value is unacceptable, or undefined when it is fine. */
  validate?: (value: string) => string | undefined;
}

export interface Applicability {
  models: ConfigModel[];
  /** Inclusive lower and exclusive upper kernel bounds, when the rule depends on the kernel. */
  kernel?: { from?: string; before?: string };
}

export interface TransformMeta {
  id: string;
  title: string;
  rationale: string;
  severity: Severity;
  fixClass: FixClass;
  sources: Source[];
  appliesTo: Applicability;
  /** Files the transform reads, as HOME-relative globs ('*' within one path segment, a whole '**' segment for any depth). */
  files: (product: ProductInfo) => string[];
  /**
   * Files whose permission bits the transform needs but whose content it does not read (keystores and
   * other binary files, whole directories): HOME-relative globs, listed with their mode, never decoded.
   */
  stats?: (product: ProductInfo) => string[];
  params: ParamSpec[];
}

export type FindingStatus =
  | 'fixable'
  | 'compliant'
  | 'needs-input'
  | 'manual'
  | 'advisory'
  | 'not-applicable'
  | 'error'
  /** Open, but covered by an unexpired waiver in harden.toml: reported, not fixed, not counted as open. */
  | 'waived';

/** Statuses that keep a home from being clean: check and fix exit 1 while any finding has one. */
export const OPEN_STATUSES: readonly FindingStatus[] = ['fixable', 'needs-input', 'manual', 'error'];

/** What an edit means, so the engine can prove that nothing else changed. */
export type Intent =
  | XmlIntent
  | TomlIntent
  | JsonIntent
  | PropertiesIntent
  | { kind: 'jvm-flag'; name: string; value: string }
  | DockerfileIntent;

export interface FileEdit extends TextEdit {
  file: string;
}

/** A change of a file's permission bits (mode & 0o7777), planned beside or instead of text edits. */
export interface ModeChange {
  file: string;
  from: number;
  to: number;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  status: FindingStatus;
  message: string;
  file?: string;
  line?: number;
  /** Text-range edits on the original files (fixable findings only). */
  edits?: FileEdit[];
  /** What the edits mean, per file. */
  intents?: { file: string; intent: Intent }[];
  /** Permission changes (fixable findings only); the file's bytes stay as they are. */
  modes?: ModeChange[];
  /** The harden.toml waiver that covers a "waived" finding. */
  waiver?: { reason: string; owner: string; expires: string };
}

export interface RunOptions {
  policy: TlsPolicy;
  params: Record<string, string>;
  /** Only these fixes are planned (keys from selectionKey: rule × file); all when absent. */
  selection?: ReadonlySet<string>;
}

export interface TransformContext {
  product: ProductInfo;
  files: SourceFiles;
  options: RunOptions;
  /** A parameter's value: given, else the spec's default, else undefined. */
  param(name: string): string | undefined;
}

export interface Transform extends TransformMeta {
  plan(ctx: TransformContext): Finding[];
}
