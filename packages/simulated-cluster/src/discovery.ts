import type { ServedApis, ServedGroup, ServedResource } from './servedApis';
import { apiVersionOf } from './kinds';
import { compareCodeUnits } from './ordering';

/** One entry of an APIResourceList, in the apiserver's field order. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

function groupVersionEntry(group: string, version: string) {
  return { groupVersion: apiVersionOf(group, version), version };
}

/** `GET /api`. */
export function apiVersionsDocument(apis: ServedApis, serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: apis.findGroup('')?.versions ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis/<group>` and the entries of `GET /apis`. */
function apiGroupEntry(group: ServedGroup) {
  return {
    name: group.name,
    versions: group.versions.map(version =>
      groupVersionEntry(group.name, version),
    ),
    preferredVersion: groupVersionEntry(group.name, group.versions[0]),
  };
}

export function apiGroupListDocument(apis: ServedApis) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: apis.groups.filter(group => group.name !== '').map(apiGroupEntry),
  };
}

export function apiGroupDocument(group: ServedGroup) {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupEntry(group) };
}

function resourceEntries(resource: ServedResource): APIResource[] {
  const main: APIResource = {
    name: resource.plural,
    singularName: resource.singular,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: [...resource.verbs],
    ...(resource.shortNames && { shortNames: [...resource.shortNames] }),
    ...(resource.categories && { categories: [...resource.categories] }),
  };
  const subresources = Object.entries(resource.subresources).map(
    ([name, definition]): APIResource => ({
      name: `${resource.plural}/${name}`,
      singularName: '',
      namespaced: resource.namespaced,
      ...(definition.group !== undefined && { group: definition.group }),
      ...(definition.version !== undefined && { version: definition.version }),
      kind: definition.kind ?? resource.kind,
      verbs: [...definition.verbs],
    }),
  );
  return [main, ...subresources];
}

/**
 * `GET /api/v1` or `GET /apis/<group>/<version>`; undefined when not served.
 * The core list carries no apiVersion, group lists do — as the real server.
 */
export function apiResourceListDocument(
  apis: ServedApis,
  group: string,
  version: string,
) {
  const resources = apis.resourcesIn(group, version);
  if (!resources) return undefined;
  const entries = resources
    .flatMap(resourceEntries)
    .sort((a, b) => compareCodeUnits(a.name, b.name));
  return {
    kind: 'APIResourceList',
    ...(group !== '' && { apiVersion: 'v1' }),
    groupVersion: apiVersionOf(group, version),
    resources: entries,
  };
}
