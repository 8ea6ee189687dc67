import { stringify } from 'yaml';
import { podMetadataPath, type ContainerListField } from './podSpec';
import type { WorkloadUnderCheck } from './types';

/*
 * A finding's own fix (`Finding.fix`), written where the finding is: a
 * strategic merge patch of the finding's object from its root, as
 * `kubectl patch --type strategic` takes it (maps merge, `null` removes a
 * field, containers, volumes and env vars merge by `name`, volume mounts by
 * `mountPath`, ports by `containerPort`, other lists are replaced whole), or
 * an object named by its apiVersion, kind and metadata, to apply.
 */

/** `value` under a dotted path from the object's root, e.g. `spec.template.spec`. */
function nestedAt(path: string, value: unknown): unknown {
  return path
    .split('.')
    .reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** Comment lines stay readable in a code block this wide. */
const COMMENT_WIDTH = 78;

/**
 * Comment lines for `text`, wrapped at word boundaries; characters a YAML
 * comment may not hold (line breaks, controls) become spaces, so any
 * message from a cluster is safe.
 */
function commentLines(text: string): string {
  const lines: string[] = [];
  for (const word of text.split(/[\p{C}\p{Z}\s]+/u).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= COMMENT_WIDTH)
      lines[last] += ` ${word}`;
    else lines.push(`# ${word}`);
  }
  return lines.join('\n');
}

/** Keys a manifest reader looks for first; the others follow in code-point order. */
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'policyName'];

const byCodePoint = (x: string, y: string) => (x < y ? -1 : Number(x > y));

const keyRank = (key: string) => {
  const rank = LEADING_KEYS.indexOf(key);
  return rank === -1 ? LEADING_KEYS.length : rank;
};

/**
 * YAML documents as a fix shows them, an explanatory comment first. Keys are
 * ordered, so values copied from a manifest read the same however its keys
 * were ordered.
 */
export function fixYaml(documents: unknown[], note?: string): string {
  const body = documents
    .map(document =>
      stringify(document, {
        lineWidth: 0,
        aliasDuplicateObjects: false,
        sortMapEntries: (a, b) => {
          const [x, y] = [String(a.key), String(b.key)];
          return keyRank(x) - keyRank(y) || byCodePoint(x, y);
        },
      }),
    )
    .join('---\n')
    .trimEnd();
  return note ? `${commentLines(note)}\n${body}` : body;
}

/** A patch of the workload's pod spec, from the object's root. */
export function podSpecPatch(
  workload: WorkloadUnderCheck,
  patch: Record<string, unknown>,
): unknown {
  return nestedAt(workload.podSpecPath, patch);
}

/** A patch of the workload's pod spec, at its path in the object. */
export function podSpecFix(
  workload: WorkloadUnderCheck,
  patch: Record<string, unknown>,
  note?: string,
): string {
  return fixYaml([podSpecPatch(workload, patch)], note);
}

/** A patch of the pod template's metadata (labels, annotations). */
export function podMetadataFix(
  workload: WorkloadUnderCheck,
  patch: Record<string, unknown>,
): string {
  return fixYaml([nestedAt(podMetadataPath(workload.podSpecPath), patch)]);
}

/** Where a container is, to patch it: its list and its name (the merge key). */
export interface ContainerLocation {
  field: ContainerListField;
  name: unknown;
}

/** A patch of one container; none for a container without a name, which no patch can address. */
export function containerFix(
  workload: WorkloadUnderCheck,
  { field, name }: ContainerLocation,
  patch: Record<string, unknown>,
  note?: string,
): string | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  return podSpecFix(workload, { [field]: [{ name, ...patch }] }, note);
}

/**
 * A patch of a security context where the setting is written: one
 * container's (`field` and `container` set), else the pod's.
 */
export function securityContextFix(
  workload: WorkloadUnderCheck,
  setting: { container?: string; field?: ContainerListField },
  patch: Record<string, unknown>,
): string | undefined {
  return setting.field === undefined
    ? podSpecFix(workload, { securityContext: patch })
    : containerFix(
        workload,
        { field: setting.field, name: setting.container },
        { securityContext: patch },
      );
}
