/**
 * The create-only "review" APIs: they compute an answer from the request
 * instead of storing anything, and reply 201 Created like any create.
 */
import {
  type AuthenticatedUser,
  type TokenAuthenticator,
  userInfoOf,
} from './authentication';
import {
  type AuthorizationAttributes,
  isAuthorized,
  rulesInNamespace,
} from './rbac';
import { badRequestError, invalidError } from './status';

type Body = Record<string, unknown>;

// Created-but-not-stored objects carry this metadata in real responses.
const UNSAVED_METADATA = { creationTimestamp: null };
const DEFAULT_TOKEN_AUDIENCES = [
  'https://kubernetes.default.svc.cluster.local',
];

function asRecord(value: unknown): Body | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Body)
    : undefined;
}

function stringField(record: Body, field: string): string {
  const value = record[field];
  return typeof value === 'string' ? value : '';
}

function specOf(body: unknown, kind: string): Body {
  const record = asRecord(body);
  if (!record)
    throw badRequestError(`the body of the request was not a ${kind}`);
  return asRecord(record.spec) ?? {};
}

export function selfSubjectAccessReview(
  body: unknown,
  user: AuthenticatedUser,
) {
  const spec = specOf(body, 'SelfSubjectAccessReview');
  const resourceAttributes = asRecord(spec.resourceAttributes);
  const nonResourceAttributes = asRecord(spec.nonResourceAttributes);
  if (!resourceAttributes === !nonResourceAttributes) {
    throw invalidError(
      { group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' },
      'spec.resourceAttributes',
      `Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
    );
  }
  const request: AuthorizationAttributes = resourceAttributes
    ? {
        isResourceRequest: true,
        path: '',
        verb: stringField(resourceAttributes, 'verb'),
        apiGroup: stringField(resourceAttributes, 'group'),
        namespace: stringField(resourceAttributes, 'namespace'),
        resource: stringField(resourceAttributes, 'resource'),
        subresource: stringField(resourceAttributes, 'subresource'),
        name: stringField(resourceAttributes, 'name'),
      }
    : {
        isResourceRequest: false,
        path: stringField(nonResourceAttributes ?? {}, 'path'),
        verb: stringField(nonResourceAttributes ?? {}, 'verb'),
        apiGroup: '',
        namespace: '',
        resource: '',
        subresource: '',
        name: '',
      };
  const allowed = isAuthorized(user.rules, request);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: UNSAVED_METADATA,
    spec,
    // RBAC never denies explicitly, so `denied` stays unset (omitted) as on a real cluster.
    status: allowed
      ? {
          allowed,
          reason: `RBAC: allowed by a rule granted to User "${user.username}"`,
        }
      : { allowed },
  };
}

export function selfSubjectRulesReview(body: unknown, user: AuthenticatedUser) {
  const spec = specOf(body, 'SelfSubjectRulesReview');
  const namespace = stringField(spec, 'namespace');
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: UNSAVED_METADATA,
    spec,
    status: { ...rulesInNamespace(user.rules, namespace), incomplete: false },
  };
}

export function selfSubjectReview(version: string, user: AuthenticatedUser) {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: `authentication.k8s.io/${version}`,
    metadata: UNSAVED_METADATA,
    status: { userInfo: userInfoOf(user) },
  };
}

export function tokenReview(body: unknown, authenticator: TokenAuthenticator) {
  const spec = specOf(body, 'TokenReview');
  const reviewed = authenticator.authenticateToken(stringField(spec, 'token'));
  const audiences = Array.isArray(spec.audiences)
    ? spec.audiences
    : DEFAULT_TOKEN_AUDIENCES;
  return {
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: UNSAVED_METADATA,
    spec,
    status: reviewed
      ? { authenticated: true, user: userInfoOf(reviewed), audiences }
      : { user: {}, error: '[invalid bearer token, token lookup failed]' },
  };
}
