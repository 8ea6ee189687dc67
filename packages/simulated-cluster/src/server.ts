import type {
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import { randomUUID } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import type { ServedApis, ServedResource } from './servedApis';
import type { TokenAuthenticator, AuthenticatedUser } from './authentication';
import {
  apiGroupDocument,
  apiGroupListDocument,
  apiResourceListDocument,
  apiVersionsDocument,
} from './discovery';
import {
  type ResponseFormat,
  contentTypeOf,
  negotiateResponseFormat,
} from './negotiation';
import { getObject, listObjects } from './objects';
import type { ListSnapshots } from './pagination';
import { forbiddenReason, isAuthorized } from './rbac';
import { type RequestInfo, parseRequestInfo } from './requestInfo';
import {
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  tokenReview,
} from './reviews';
import {
  ApiError,
  badRequestError,
  forbiddenError,
  methodNotAllowedError,
  pathNotFoundError,
  unauthorizedError,
} from './status';
import type { ObjectStore } from './store';
import type { RequestLogEntry } from './types';
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

function ok(body: unknown, format: ResponseFormat = JSON_FORMAT): Reply {
  return { status: 200, body, format };
}

function created(body: unknown): Reply {
  return { status: 201, body, format: JSON_FORMAT };
}

function isPrettyPrinted(
  request: IncomingMessage,
  query: URLSearchParams,
): boolean {
  const pretty = query.get('pretty');
  if (pretty !== null) return pretty === 'true' || pretty === '1';
  // The apiserver indents for command-line clients, so `curl` output is readable.
  const userAgent = request.headers['user-agent'] ?? '';
  return userAgent.startsWith('curl') || userAgent.startsWith('Wget');
}

function render(
  reply: Reply,
  pretty: boolean,
): { contentType: string; text: string } {
  if (typeof reply.body === 'string') {
    return { contentType: 'text/plain; charset=utf-8', text: reply.body };
  }
  if (reply.format.type === 'yaml') {
    return {
      contentType: contentTypeOf(reply.format),
      text: toYaml(reply.body),
    };
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
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        'Request entity too large',
      );
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw badRequestError(
      `couldn't get version/kind; json parse error: ${
        (error as Error).message
      }`,
    );
  }
}

export function createRequestListener(state: ClusterState): RequestListener {
  function serveNonResource(
    method: string,
    path: string,
    format: ResponseFormat,
  ): Reply {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowedError();
    if (path === '/version' || path === '/version/')
      return ok(state.versionInfo, format);
    if (path === '/healthz' || path === '/livez' || path === '/readyz')
      return ok('ok');

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
      const servedGroup = apis.findGroup(group);
      if (servedGroup && version === undefined) {
        return ok(apiGroupDocument(servedGroup), format);
      }
      const document =
        servedGroup && version && apiResourceListDocument(apis, group, version);
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
        return created(
          selfSubjectAccessReview(await readJsonBody(request), user),
        );
      case 'authorization.k8s.io/selfsubjectrulesreviews':
        return created(
          selfSubjectRulesReview(await readJsonBody(request), user),
        );
      case 'authentication.k8s.io/selfsubjectreviews':
        return created(selfSubjectReview(resource.version, user));
      case 'authentication.k8s.io/tokenreviews':
        return created(
          tokenReview(await readJsonBody(request), state.authenticator),
        );
      default:
        return undefined;
    }
  }

  async function serveResource(
    info: RequestInfo,
    request: IncomingMessage,
    query: URLSearchParams,
    user: AuthenticatedUser,
  ): Promise<Reply> {
    const resource = state
      .servedApis()
      .find(info.apiGroup, info.apiVersion, info.resource);
    if (!resource) throw pathNotFoundError();
    const isCollection =
      info.verb === 'list' || info.verb === 'watch' || info.verb === 'create';
    // `/api/v1/namespaces/<name>` is the one cluster-scoped object addressed with a namespace.
    const isNamespaceObject =
      resource.group === '' && resource.plural === 'namespaces';
    const wrongScope = resource.namespaced
      ? !info.namespace && !isCollection
      : !!info.namespace && !isNamespaceObject;
    if (
      wrongScope ||
      (info.subresource &&
        !Object.hasOwn(resource.subresources, info.subresource))
    ) {
      throw pathNotFoundError();
    }

    if (
      request.method === 'POST' &&
      !info.subresource &&
      info.verb === 'create'
    ) {
      const reply = await serveReview(resource, request, user);
      if (reply) return reply;
    }
    const readable = (verb: string) =>
      info.verb === verb && resource.verbs.includes(verb);
    if (
      readable('get') &&
      (!info.subresource || info.subresource === 'status')
    ) {
      const format = negotiateResponseFormat(request.headers.accept);
      return ok(getObject(state.store, resource, info, format), format);
    }
    // Create-only resources such as the reviews cannot be listed.
    if (readable('list')) {
      const format = negotiateResponseFormat(request.headers.accept);
      return ok(
        listObjects(
          state.store,
          state.snapshots,
          resource,
          info.namespace,
          query,
          format,
        ),
        format,
      );
    }
    // The product under test is read-only; watches and writes are not simulated.
    throw methodNotAllowedError();
  }

  async function handle(
    request: IncomingMessage,
    query: URLSearchParams,
    path: string,
    caller: { username?: string },
  ): Promise<Reply> {
    const user = state.authenticator.authenticateHeader(
      request.headers.authorization,
    );
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
    if (info.isResourceRequest) {
      return serveResource(info, request, query, user);
    }
    // Discovery documents come as JSON or YAML; metadata-only views do not apply to them.
    const format = negotiateResponseFormat(request.headers.accept);
    return serveNonResource(
      method,
      path,
      format.type === 'yaml' ? format : JSON_FORMAT,
    );
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
            : new ApiError(
                500,
                'InternalError',
                `Internal error occurred: ${String(error)}`,
              );
        return {
          status: apiError.code,
          body: apiError.toStatus(),
          format: JSON_FORMAT,
        };
      })
      .then(reply => {
        const { contentType, text } = render(
          reply,
          isPrettyPrinted(request, query),
        );
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
          ...(caller.username !== undefined
            ? { username: caller.username }
            : {}),
          status: reply.status,
          timestamp,
        });
      });
  };
}
