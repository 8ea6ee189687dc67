import type { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository's `examples/`: the demo catalog and clusters. */
export const EXAMPLES = resolve(__dirname, '../../../../examples');

/** The plugin's identity in the demo clusters' token grants. */
export const READER = 'system:serviceaccount:backstage:kubernetes-security';

/** A grant to read everything, as the demo's reader has it. */
export const READ_ALL = {
  apiGroups: ['*'],
  resources: ['*'],
  verbs: ['get', 'list', 'watch'],
};

/** The demo catalog's Components, as the catalog would serve them. */
export function demoComponents(): Entity[] {
  return parseAllDocuments(
    readFileSync(resolve(EXAMPLES, 'entities.yaml'), 'utf8'),
  )
    .map(doc => doc.toJS() as Entity)
    .filter(entity => entity?.kind === 'Component');
}
