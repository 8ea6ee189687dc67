/**
 * GET and LIST of stored objects, shaped as the apiserver returns them:
 * typed lists, selectors, pagination and metadata-only views.
 */
import type { ServedResource } from './servedApis';
import { apiVersionOf } from './kinds';
import type { ResponseFormat } from './negotiation';
import {
  LATEST_REVISION,
  type ListSnapshots,
  decodeContinueToken,
  encodeContinueToken,
  selectPage,
} from './pagination';
import {
  SelectorError,
  fieldMatcher,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectableFields,
} from './selectors';
import {
  badRequestError,
  expiredError,
  notAcceptableError,
  notFoundError,
} from './status';
import type { ObjectStore } from './store';
import type { KubeObject } from './types';

const INCONSISTENT_CONTINUE_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter, or use the continue token in this response ' +
  'to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent ' +
  'list - objects that were created, modified, or deleted between the time the first chunk was returned ' +
  'and now may show up in the list.';

/** Top-level fields other than apiVersion/kind. */
function fieldsOf(object: KubeObject): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...object };
  delete fields.kind;
  delete fields.apiVersion;
  return fields;
}

/** The object as served at the requested version (storage is version-independent). */
function atVersion(object: KubeObject, resource: ServedResource) {
  return {
    kind: object.kind,
    apiVersion: apiVersionOf(resource.group, resource.version),
    ...fieldsOf(object),
  };
}

function partialObjectMetadata(object: KubeObject) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata,
  };
}

/** Go's %T of the object being transformed, which the apiserver puts in 406 messages. */
function goTypeName(resource: ServedResource, list: boolean): string {
  if (resource.custom) return `*unstructured.Unstructured${list ? 'List' : ''}`;
  return `*${resource.version}.${list ? resource.listKind : resource.kind}`;
}

export function getObject(
  store: ObjectStore,
  resource: ServedResource,
  target: { namespace: string; name: string },
  format: ResponseFormat,
): unknown {
  const object = store.get(
    resource.group,
    resource.plural,
    resource.namespaced ? target.namespace : undefined,
    target.name,
  );
  if (!object) {
    throw notFoundError(
      { group: resource.group, resource: resource.plural },
      target.name,
    );
  }
  if (format.type !== 'partialObjectMetadata') {
    return atVersion(object, resource);
  }
  if (format.list) {
    throw notAcceptableError(
      `you requested PartialObjectMetadataList, but the requested object is not a list (${goTypeName(
        resource,
        false,
      )})`,
    );
  }
  return partialObjectMetadata(object);
}

/** The label and field selectors of a list as one predicate; undefined when nothing is filtered. */
function selectorPredicate(
  resource: ServedResource,
  query: URLSearchParams,
): ((object: KubeObject) => boolean) | undefined {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    const matchesFields = fieldMatcher(
      fields,
      selectableFields(resource.group, resource.plural, resource.namespaced),
    );
    if (labels.length === 0 && fields.length === 0) return undefined;
    return object =>
      matchesLabels(labels, object.metadata.labels) && matchesFields(object);
  } catch (error) {
    if (error instanceof SelectorError) throw badRequestError(error.message);
    throw error;
  }
}

/** The objects a list reads from: the current ones, or the snapshot its continue token refers to. */
function listSource(
  store: ObjectStore,
  snapshots: ListSnapshots,
  resource: ServedResource,
  continueParam: string | null,
): { objects: readonly KubeObject[]; revision: number; startKey?: string } {
  const current = () => store.list(resource.group, resource.plural);
  if (!continueParam) {
    return { objects: current(), revision: store.resourceVersion };
  }
  const token = decodeContinueToken(continueParam);
  if (token.resourceVersion === LATEST_REVISION) {
    return {
      objects: current(),
      revision: store.resourceVersion,
      startKey: token.startKey,
    };
  }
  const objects =
    snapshots.recall(
      `${resource.group}/${resource.plural}`,
      token.resourceVersion,
    ) ??
    (token.resourceVersion === store.resourceVersion ? current() : undefined);
  if (!objects) {
    throw expiredError(
      INCONSISTENT_CONTINUE_MESSAGE,
      encodeContinueToken({
        resourceVersion: LATEST_REVISION,
        startKey: token.startKey,
      }),
    );
  }
  return { objects, revision: token.resourceVersion, startKey: token.startKey };
}

export function listObjects(
  store: ObjectStore,
  snapshots: ListSnapshots,
  resource: ServedResource,
  namespace: string,
  query: URLSearchParams,
  format: ResponseFormat,
): unknown {
  if (format.type === 'partialObjectMetadata' && !format.list) {
    throw notAcceptableError(
      `you requested PartialObjectMetadata, but the requested object is a list (${goTypeName(
        resource,
        true,
      )})`,
    );
  }
  const matches = selectorPredicate(resource, query);
  const limit = Number.parseInt(query.get('limit') ?? '', 10);
  const { objects, revision, startKey } = listSource(
    store,
    snapshots,
    resource,
    query.get('continue'),
  );
  const inScope = namespace
    ? objects.filter(object => object.metadata.namespace === namespace)
    : objects;
  const page = selectPage(inScope, {
    startKey,
    limit: limit > 0 ? limit : undefined,
    matches,
  });

  let continueToken: string | undefined;
  if (page.nextStartKey) {
    snapshots.remember(
      `${resource.group}/${resource.plural}`,
      revision,
      objects,
    );
    continueToken = encodeContinueToken({
      resourceVersion: revision,
      startKey: page.nextStartKey,
    });
  }
  const metadata = {
    resourceVersion: String(revision),
    ...(continueToken ? { continue: continueToken } : {}),
    ...(page.remainingItemCount !== undefined
      ? { remainingItemCount: page.remainingItemCount }
      : {}),
  };
  if (format.type === 'partialObjectMetadata') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      items: page.items.map(partialObjectMetadata),
    };
  }
  return {
    kind: resource.listKind,
    apiVersion: apiVersionOf(resource.group, resource.version),
    metadata,
    // Typed (built-in) lists drop apiVersion/kind from their items; custom resource lists keep them.
    items: page.items.map(object =>
      resource.custom ? atVersion(object, resource) : fieldsOf(object),
    ),
  };
}
