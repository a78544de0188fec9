// The registry: every transform harden knows, in the order their edits are merged.
import type { Transform } from '../src/engine/types.js';
import { tomcatServerHeader } from './tomcat-server-header/index.js';

export const ALL_TRANSFORMS: Transform[] = [tomcatServerHeader];
