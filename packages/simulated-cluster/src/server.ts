import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import type { ServedApis, ServedResource } from './apis';
import type { TokenAuthenticator, AuthenticatedUser } from './authentication';
import {
  apiGroupDocument,
  apiGroupListDocument,
  apiResourceListDocument,
  apiVersionsDocument,
} from './discovery';
import { apiVersionOf } from './kinds';
import {
  type ResponseFormat,
  contentTypeOf,
  negotiateResponseFormat,
} from './negotiation';
import {
  LATEST_REVISION,
  type ListSnapshots,
  decodeContinueToken,
  encodeContinueToken,
  selectPage,
} from './pagination';
import { forbiddenReason, isAuthorized } from './rbac';
import { type RequestInfo, parseRequestInfo } from './requestInfo';
import {
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  tokenReview,
} from './reviews';
import {
  SelectorError,
  fieldMatcher,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectableFields,
} from './selectors';
import {
  ApiError,
  badRequestError,
  expiredError,
  forbiddenError,
  methodNotAllowedError,
  notAcceptableError,
  notFoundError,
  pathNotFoundError,
  unauthorizedError,
} from './status';
import type { ObjectStore } from './store';
import type { KubeObject, RequestLogEntry } from './types';
import type { VersionInfo } from './version';

/** Everything a simulated cluster's request handler reads. */
export interface ClusterState {
  store: ObjectStore;
  servedApis: () => ServedApis;
  versionInfo: VersionInfo;
  authenticator: TokenAuthenticator;
  snapshots: ListSnapshots;
  /** host:port advertised in `GET /api`. */
  serverAddress: () => string;
  onRequest: (entry: RequestLogEntry) => void;
}

interface Reply {
  status: number;
  /** A string is sent as text/plain, anything else rendered in `format`. */
  body: unknown;
  format: ResponseFormat;
}

const JSON_FORMAT: ResponseFormat = { type: 'json' };
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const INCONSISTENT_CONTINUE_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter, or use the continue token in this response ' +
  'to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent ' +
  'list - objects that were created, modified, or deleted between the time the first chunk was returned ' +
  'and now may show up in the list.';

function ok(body: unknown, format: ResponseFormat = JSON_FORMAT): Reply {
  return { status: 200, body, format };
}

function created(body: unknown): Reply {
  return { status: 201, body, format: JSON_FORMAT };
}

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

function isPrettyPrinted(request: IncomingMessage, query: URLSearchParams): boolean {
  const pretty = query.get('pretty');
  if (pretty !== null) return pretty === 'true' || pretty === '1';
  // The apiserver indents for command-line clients, so `curl` output is readable.
  const userAgent = request.headers['user-agent'] ?? '';
  return userAgent.startsWith('curl') || userAgent.startsWith('Wget');
}

function render(reply: Reply, pretty: boolean): { contentType: string; text: string } {
  if (typeof reply.body === 'string') {
    return { contentType: 'text/plain; charset=utf-8', text: reply.body };
  }
  if (reply.format.type === 'yaml') {
    return { contentType: contentTypeOf(reply.format), text: toYaml(reply.body) };
  }
  return {
    contentType: contentTypeOf(reply.format),
    text: `${JSON.stringify(reply.body, null, pretty ? 2 : undefined)}\n`,
  };
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large');
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw badRequestError(
      `couldn't get version/kind; json parse error: ${(error as Error).message}`,
    );
  }
}

function parseSelectors(query: URLSearchParams) {
  try {
    return {
      labels: parseLabelSelector(query.get('labelSelector') ?? ''),
      fields: parseFieldSelector(query.get('fieldSelector') ?? ''),
    };
  } catch (error) {
    if (error instanceof SelectorError) throw badRequestError(error.message);
    throw error;
  }
}

export function createRequestListener(state: ClusterState): RequestListener {
  function serveNonResource(method: string, path: string, format: ResponseFormat): Reply {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowedError();
    if (path === '/version' || path === '/version/') return ok(state.versionInfo, format);
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return ok('ok');

    const apis = state.servedApis();
    const [prefix, group, version, ...rest] = path.split('/').filter(Boolean);
    if (rest.length === 0 && prefix === 'api') {
      if (group === undefined) {
        return ok(apiVersionsDocument(apis, state.serverAddress()), format);
      }
      if (version === undefined) {
        const document = apiResourceListDocument(apis, '', group);
        if (document) return ok(document, format);
      }
    }
    if (rest.length === 0 && prefix === 'apis') {
      if (group === undefined) return ok(apiGroupListDocument(apis), format);
      const servedGroup = group ? apis.findGroup(group) : undefined;
      if (servedGroup && version === undefined) {
        return ok(apiGroupDocument(servedGroup), format);
      }
      const document = servedGroup && version && apiResourceListDocument(apis, group, version);
      if (document) return ok(document, format);
    }
    throw pathNotFoundError();
  }

  async function serveReview(
    resource: ServedResource,
    request: IncomingMessage,
    user: AuthenticatedUser,
  ): Promise<Reply | undefined> {
    const review = `${resource.group}/${resource.plural}`;
    switch (review) {
      case 'authorization.k8s.io/selfsubjectaccessreviews':
        return created(selfSubjectAccessReview(await readJsonBody(request), user));
      case 'authorization.k8s.io/selfsubjectrulesreviews':
        return created(selfSubjectRulesReview(await readJsonBody(request), user));
      case 'authentication.k8s.io/selfsubjectreviews':
        return created(selfSubjectReview(resource.version, user));
      case 'authentication.k8s.io/tokenreviews':
        return created(tokenReview(await readJsonBody(request), state.authenticator));
      default:
        return undefined;
    }
  }

  function getObject(resource: ServedResource, info: RequestInfo, accept?: string): Reply {
    const format = negotiateResponseFormat(accept);
    const object = state.store.get(
      resource.group,
      resource.plural,
      resource.namespaced ? info.namespace : undefined,
      info.name,
    );
    if (!object) {
      throw notFoundError({ group: resource.group, resource: resource.plural }, info.name);
    }
    if (format.type !== 'partialObjectMetadata') {
      return ok(atVersion(object, resource), format);
    }
    if (format.list) {
      throw notAcceptableError(
        `you requested PartialObjectMetadataList, but the requested object is not a list (${goTypeName(resource, false)})`,
      );
    }
    return ok(partialObjectMetadata(object), format);
  }

  /** The objects a list reads from: the current ones, or the snapshot its continue token refers to. */
  function listSource(resource: ServedResource, continueParam: string | null) {
    const { store, snapshots } = state;
    const current = () => store.list(resource.group, resource.plural);
    if (!continueParam) {
      return { objects: current(), revision: store.resourceVersion };
    }
    const token = decodeContinueToken(continueParam);
    if (token.resourceVersion === LATEST_REVISION) {
      return { objects: current(), revision: store.resourceVersion, startKey: token.startKey };
    }
    const objects =
      snapshots.recall(`${resource.group}/${resource.plural}`, token.resourceVersion) ??
      (token.resourceVersion === store.resourceVersion ? current() : undefined);
    if (!objects) {
      throw expiredError(
        INCONSISTENT_CONTINUE_MESSAGE,
        encodeContinueToken({ resourceVersion: LATEST_REVISION, startKey: token.startKey }),
      );
    }
    return { objects, revision: token.resourceVersion, startKey: token.startKey };
  }

  function listObjects(
    resource: ServedResource,
    info: RequestInfo,
    query: URLSearchParams,
    accept?: string,
  ): Reply {
    const format = negotiateResponseFormat(accept);
    if (format.type === 'partialObjectMetadata' && !format.list) {
      throw notAcceptableError(
        `you requested PartialObjectMetadata, but the requested object is a list (${goTypeName(resource, true)})`,
      );
    }
    const selectors = parseSelectors(query);
    let matchesFields: (object: KubeObject) => boolean;
    try {
      matchesFields = fieldMatcher(
        selectors.fields,
        selectableFields(resource.group, resource.plural, resource.namespaced),
      );
    } catch (error) {
      if (error instanceof SelectorError) throw badRequestError(error.message);
      throw error;
    }
    const filtered = selectors.labels.length > 0 || selectors.fields.length > 0;
    const limit = Number.parseInt(query.get('limit') ?? '', 10);

    const { objects, revision, startKey } = listSource(resource, query.get('continue'));
    const inScope = info.namespace
      ? objects.filter(object => object.metadata.namespace === info.namespace)
      : objects;
    const page = selectPage(inScope, {
      startKey,
      limit: limit > 0 ? limit : undefined,
      matches: filtered
        ? object =>
            matchesLabels(selectors.labels, object.metadata.labels) && matchesFields(object)
        : undefined,
    });

    let continueToken: string | undefined;
    if (page.nextStartKey) {
      state.snapshots.remember(`${resource.group}/${resource.plural}`, revision, objects);
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
      return ok(
        {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata,
          items: page.items.map(partialObjectMetadata),
        },
        format,
      );
    }
    return ok(
      {
        kind: resource.listKind,
        apiVersion: apiVersionOf(resource.group, resource.version),
        metadata,
        // Typed (built-in) lists drop apiVersion/kind from their items; custom resource lists keep them.
        items: page.items.map(object =>
          resource.custom ? atVersion(object, resource) : fieldsOf(object),
        ),
      },
      format,
    );
  }

  async function serveResource(
    info: RequestInfo,
    request: IncomingMessage,
    query: URLSearchParams,
    user: AuthenticatedUser,
  ): Promise<Reply> {
    const resource = state.servedApis().find(info.apiGroup, info.apiVersion, info.resource);
    if (!resource) throw pathNotFoundError();
    const isCollection = info.verb === 'list' || info.verb === 'watch' || info.verb === 'create';
    // `/api/v1/namespaces/<name>` is the one cluster-scoped object addressed with a namespace.
    const isNamespaceObject = resource.group === '' && resource.plural === 'namespaces';
    const wrongScope = resource.namespaced
      ? !info.namespace && !isCollection
      : !!info.namespace && !isNamespaceObject;
    if (wrongScope || (info.subresource && !Object.hasOwn(resource.subresources, info.subresource))) {
      throw pathNotFoundError();
    }

    const accept = request.headers.accept;
    if (request.method === 'POST' && !info.subresource && info.verb === 'create') {
      const reply = await serveReview(resource, request, user);
      if (reply) return reply;
    }
    if (info.verb === 'get' && (!info.subresource || info.subresource === 'status')) {
      return getObject(resource, info, accept);
    }
    if (info.verb === 'list') return listObjects(resource, info, query, accept);
    // The product under test is read-only; watches and writes are not simulated.
    throw methodNotAllowedError();
  }

  async function handle(
    request: IncomingMessage,
    query: URLSearchParams,
    path: string,
    caller: { username?: string },
  ): Promise<Reply> {
    const user = state.authenticator.authenticateHeader(request.headers.authorization);
    if (!user) throw unauthorizedError();
    caller.username = user.username;
    const method = request.method ?? 'GET';
    const info = parseRequestInfo(method, path, query);
    if (!isAuthorized(user.rules, info)) {
      throw forbiddenError(
        { group: info.apiGroup, resource: info.resource },
        info.name,
        forbiddenReason(user.username, info),
      );
    }
    return info.isResourceRequest
      ? serveResource(info, request, query, user)
      : serveNonResource(method, path, negotiateResponseFormat(request.headers.accept));
  }

  return (request: IncomingMessage, response: ServerResponse) => {
    const timestamp = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = url.searchParams;
    const caller: { username?: string } = {};

    handle(request, query, url.pathname, caller)
      .catch((error: unknown): Reply => {
          const apiError =
            error instanceof ApiError
              ? error
              : new ApiError(500, 'InternalError', `Internal error occurred: ${String(error)}`);
          return { status: apiError.code, body: apiError.toStatus(), format: JSON_FORMAT };
      })
      .then(reply => {
        const { contentType, text } = render(reply, isPrettyPrinted(request, query));
        response.writeHead(reply.status, {
          'Content-Type': contentType,
          'Cache-Control': 'no-cache, private',
          'Audit-Id': randomUUID(),
        });
        response.end(request.method === 'HEAD' ? undefined : text);
        state.onRequest({
          method: request.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(query),
          accept: request.headers.accept ?? '',
          ...(caller.username !== undefined ? { username: caller.username } : {}),
          status: reply.status,
          timestamp,
        });
      });
  };
}
