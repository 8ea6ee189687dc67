import {
  SelectorError,
  exactFieldValue,
  parseFieldSelector,
} from './selectors';

/**
 * What a request asks for, derived from its method and path exactly as the
 * apiserver's RequestInfoFactory does; authorization decides on these.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const VERB_BY_METHOD: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

// Paths below /namespaces/<name>/ that are subresources of the namespace itself.
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const TRUE_VALUES = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !/[/%]/.test(name);
}

export function parseRequestInfo(
  method: string,
  path: string,
  query: URLSearchParams,
): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
  let parts = path
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter(Boolean);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) {
    return info;
  }
  const prefix = parts[0];
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  info.verb = VERB_BY_METHOD[method] ?? '';

  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) {
      parts = parts.slice(2);
    }
  }
  if (parts.length >= 3) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  info.resource = parts[0];

  if (!info.name && info.verb === 'get') {
    info.verb = TRUE_VALUES.has(query.get('watch') ?? '') ? 'watch' : 'list';
    // A list narrowed to one name is authorized as that name, so resourceNames rules apply.
    try {
      const name = exactFieldValue(
        parseFieldSelector(query.get('fieldSelector') ?? ''),
        'metadata.name',
      );
      if (name && isValidPathSegmentName(name)) info.name = name;
    } catch (error) {
      // An unparsable selector is reported by the list handler, after authorization.
      if (!(error instanceof SelectorError)) throw error;
    }
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
