/** `metav1.StatusDetails`; empty fields are omitted as Go's omitempty does. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: Array<{ reason: string; message: string; field: string }>;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A failed request, answered with a `Status` body the way the apiserver does. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly continueToken?: string,
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.continueToken ? { continue: this.continueToken } : {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details && { details: this.details }),
      code: this.code,
    };
  }
}

export interface GroupResource {
  group: string;
  resource: string;
}

/** `pods` or `deployments.apps`, as Go's GroupResource.String(). */
function qualifiedResourceName({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

function detailsFor(
  { group, resource }: GroupResource,
  name: string,
): StatusDetails {
  return {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    ...(resource ? { kind: resource } : {}),
  };
}

export function notFoundError(resource: GroupResource, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualifiedResourceName(resource)} "${name}" not found`,
    detailsFor(resource, name),
  );
}

/** What the apiserver answers for paths and resources it does not serve. */
export function pathNotFoundError(): ApiError {
  return new ApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function badRequestError(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function unauthorizedError(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** `reason` is the authorizer's explanation of the denial; it follows the message. */
export function forbiddenError(
  resource: GroupResource,
  name: string,
  reason: string,
): ApiError {
  let message: string;
  if (!resource.resource) message = `forbidden: ${reason}`;
  else if (!name)
    message = `${qualifiedResourceName(resource)} is forbidden: ${reason}`;
  else
    message = `${qualifiedResourceName(
      resource,
    )} "${name}" is forbidden: ${reason}`;
  return new ApiError(403, 'Forbidden', message, detailsFor(resource, name));
}

export function methodNotAllowedError(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function notAcceptableError(message: string): ApiError {
  return new ApiError(406, 'NotAcceptable', message);
}

export function expiredError(
  message: string,
  continueToken?: string,
): ApiError {
  return new ApiError(410, 'Expired', message, undefined, continueToken);
}

/** A create whose body fails validation; `message` starts with e.g. `Invalid value: "null": `. */
export function invalidError(
  kind: { group: string; kind: string },
  field: string,
  message: string,
): ApiError {
  return new ApiError(
    422,
    'Invalid',
    `${kind.kind}.${kind.group} "" is invalid: ${field}: ${message}`,
    {
      group: kind.group,
      kind: kind.kind,
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    },
  );
}
