import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Node } from 'yaml';
import { kubeObjectShapeProblems } from '@internal/plugin-kubernetes-security-common';
import type { KubeObject } from '@internal/plugin-kubernetes-security-common';
import type { InputError, InputFile } from './readInputs';

/**
 * How many aliases a document may resolve (yaml's own default, made explicit):
 * an alias bomb ("billion laughs") is refused before it is expanded.
 */
export const MAX_ALIAS_COUNT = 100;

/** 1-based, as editors and SARIF count. Columns are in UTF-16 code units. */
export interface Position {
  line: number;
  column: number;
}

/** A Kubernetes object read from an input, and where it is written there. */
export interface ManifestObject {
  object: KubeObject;
  file: string;
  /**
   * Where a field of the object is written, e.g.
   * `spec.template.spec.containers[0].securityContext.privileged`. A field
   * that is not written gives its nearest written parent; `''` the object.
   */
  locate(path: string): Position;
}

/**
 * Parses every input as multi-document YAML (JSON is YAML too) and returns the
 * Kubernetes objects in input order, with the items of `List` kinds unpacked.
 * A document with a syntax error or too many aliases, and an object with a
 * field of the wrong type (which `kubectl apply` would refuse too), become
 * errors; the other documents of the file are still read. Documents without a
 * `kind` (empty documents between Helm templates, values files) are skipped.
 */
export function collectObjects(files: InputFile[]): {
  objects: ManifestObject[];
  errors: InputError[];
} {
  const objects: ManifestObject[] = [];
  const errors: InputError[] = [];
  for (const file of files) {
    const lineCounter = new LineCounter();
    const positionAt = (offset: number): Position => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    };
    for (const document of parseAllDocuments(file.text, {
      lineCounter,
      prettyErrors: false,
    })) {
      const [syntaxError] = document.errors;
      if (syntaxError) {
        errors.push({
          file: file.name,
          ...positionAt(syntaxError.pos[0]),
          message: syntaxError.message,
        });
        continue;
      }
      const root = document.contents;
      if (!isMap(root)) continue;
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        errors.push({
          file: file.name,
          ...positionAt(root.range[0]),
          message: describeToJsError(error),
        });
        continue;
      }
      const object = value as KubeObject;
      if (typeof object.kind !== 'string') continue;
      const accept = (item: KubeObject, node: Node) => {
        const manifest: ManifestObject = {
          object: item,
          file: file.name,
          locate: path => positionAt(offsetOf(node, pathSegments(path))),
        };
        const [problem, ...more] = kubeObjectShapeProblems(item);
        if (!problem) {
          objects.push(manifest);
          return;
        }
        errors.push({
          file: file.name,
          ...manifest.locate(problem.path),
          message: `${objectLabel(item)}: ${problem.message}${
            more.length ? ` (and ${more.length} more)` : ''
          }`,
        });
      };
      if (isList(object)) {
        const itemNodes = root.get('items', true);
        object.items.forEach((item, index) => {
          const node = isSeq(itemNodes) ? itemNodes.items[index] : undefined;
          if (!isKubeObject(item) || !isMap(node)) return;
          accept(withTypeFromList(item, object), node);
        });
      } else {
        accept(object, root);
      }
    }
  }
  return { objects, errors };
}

/** `Deployment/web`, from whichever of kind and name are strings. */
function objectLabel(object: KubeObject): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const name = object.metadata?.name;
  return typeof name === 'string' ? `${kind}/${name}` : kind;
}

function describeToJsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // yaml's words for a document over maxAliasCount
  return /excessive alias count/i.test(message)
    ? `refused: its YAML aliases expand beyond ${MAX_ALIAS_COUNT} resolutions, as in an alias bomb ("billion laughs")`
    : message;
}

type KubeList = KubeObject & { kind: string; items: unknown[] };

/** `List`, or a typed list such as `PodList` as `kubectl get -o json` prints it. */
function isList(object: KubeObject): object is KubeList {
  return !!object.kind?.endsWith('List') && Array.isArray(object.items);
}

function isKubeObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Items of a typed list (`PodList`) carry no apiVersion/kind of their own. */
function withTypeFromList(item: KubeObject, list: KubeList): KubeObject {
  if (list.kind === 'List') return item;
  return {
    ...item,
    apiVersion: item.apiVersion ?? list.apiVersion,
    kind: item.kind ?? list.kind.slice(0, -'List'.length),
  };
}

/** `spec.containers[0].securityContext` → `['spec', 'containers', 0, 'securityContext']`; also `labels["a.b/c"]`. */
function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|\[(["'])(.*?)\2\]|([^.[\]]+)/g)].map(
    ([, index, , quoted, plain]) =>
      index !== undefined ? Number(index) : quoted ?? plain,
  );
}

/** Offset of the deepest written part of a path: the key of a mapping entry, or the sequence item. */
function offsetOf(root: Node, segments: (string | number)[]): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        item =>
          isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair || !isScalar(pair.key)) break;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (
      isSeq(node) &&
      typeof segment === 'number' &&
      node.items[segment]
    ) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
