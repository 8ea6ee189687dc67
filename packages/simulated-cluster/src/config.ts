import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type SimulatedCluster, startSimulatedCluster } from './cluster';
import { type FleetOptions, generateFleet } from './fleet';
import { loadManifests } from './manifests';
import type { AnonymousAccess } from './authentication';
import type { PolicyRule, TokenGrant } from './types';
import { type KubernetesVersion, resolveVersionInfo } from './version';

export interface SimulatedClusterConfig {
  name: string;
  port?: number;
  version?: KubernetesVersion;
  featureGates?: Record<string, boolean>;
  /** Absolute paths of manifest files or folders. */
  manifests: string[];
  tokens: TokenGrant[];
  anonymous?: AnonymousAccess;
  fleet?: FleetOptions;
}

export interface SimulatorConfig {
  clusters: SimulatedClusterConfig[];
}

/** Thrown for a config that does not have the documented shape. */
class ConfigError extends Error {}

type Checker<T> = (value: unknown, path: string) => T;

const fail = (path: string, expected: string): never => {
  throw new ConfigError(`${path} must be ${expected}`);
};

const aString: Checker<string> = (value, path) =>
  typeof value === 'string' ? value : fail(path, 'a string');

// Unquoted YAML such as `major: 1` arrives as a number; /version fields are strings.
const aStringOrNumber: Checker<string> = (value, path) =>
  typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : fail(path, 'a string');

const aNumber: Checker<number> = (value, path) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : fail(path, 'a non-negative integer');

function aRecord(value: unknown, path: string): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail(path, 'a mapping');
}

function aList<T>(check: Checker<T>): Checker<T[]> {
  return (value, path) =>
    Array.isArray(value)
      ? value.map((item, index) => check(item, `${path}[${index}]`))
      : fail(path, 'a list');
}

function optional<T>(
  record: Record<string, unknown>,
  key: string,
  path: string,
  check: Checker<T>,
): T | undefined {
  return record[key] === undefined || record[key] === null
    ? undefined
    : check(record[key], `${path}.${key}`);
}

const aPolicyRule: Checker<PolicyRule> = (value, path) => {
  const rule = aRecord(value, path);
  const strings = aList(aString);
  return {
    verbs: strings(rule.verbs, `${path}.verbs`),
    ...pickDefined({
      apiGroups: optional(rule, 'apiGroups', path, strings),
      resources: optional(rule, 'resources', path, strings),
      resourceNames: optional(rule, 'resourceNames', path, strings),
      nonResourceURLs: optional(rule, 'nonResourceURLs', path, strings),
      namespaces: optional(rule, 'namespaces', path, strings),
    }),
  };
};

const aTokenGrant: Checker<TokenGrant> = (value, path) => {
  const grant = aRecord(value, path);
  return {
    token: aString(grant.token, `${path}.token`),
    username: aString(grant.username, `${path}.username`),
    rules: optional(grant, 'rules', path, aList(aPolicyRule)) ?? [],
    ...pickDefined({
      uid: optional(grant, 'uid', path, aString),
      groups: optional(grant, 'groups', path, aList(aString)),
    }),
  };
};

const anAnonymousAccess: Checker<AnonymousAccess> = (value, path) => {
  const access = aRecord(value, path);
  return {
    rules: optional(access, 'rules', path, aList(aPolicyRule)) ?? [],
  };
};

const aVersion: Checker<KubernetesVersion> = (value, path) => {
  if (typeof value === 'string') return value;
  const fields = aRecord(value, path);
  const field = (key: string) => optional(fields, key, path, aStringOrNumber);
  return {
    gitVersion: aString(fields.gitVersion, `${path}.gitVersion`),
    ...pickDefined({
      major: field('major'),
      minor: field('minor'),
      gitCommit: field('gitCommit'),
      gitTreeState: field('gitTreeState'),
      buildDate: field('buildDate'),
      goVersion: field('goVersion'),
      compiler: field('compiler'),
      platform: field('platform'),
    }),
  };
};

const aFeatureGateMap: Checker<Record<string, boolean>> = (value, path) =>
  Object.fromEntries(
    Object.entries(aRecord(value, path)).map(([gate, enabled]) => [
      gate,
      typeof enabled === 'boolean'
        ? enabled
        : fail(`${path}.${gate}`, 'true or false'),
    ]),
  );

const aFleet: Checker<FleetOptions> = (value, path) => {
  const fleet = aRecord(value, path);
  const count = (key: string) => aNumber(fleet[key], `${path}.${key}`);
  const optionalCount = (key: string) => optional(fleet, key, path, aNumber);
  return {
    namespaces: count('namespaces'),
    podsPerNamespace: count('podsPerNamespace'),
    uniqueImages: count('uniqueImages'),
    ...pickDefined({
      services: optionalCount('services'),
      deploymentsPerNamespace: optionalCount('deploymentsPerNamespace'),
      legacyTokenSecrets: optionalCount('legacyTokenSecrets'),
      seed: optionalCount('seed'),
    }),
  };
};

function pickDefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function clusterConfig(baseDir: string): Checker<SimulatedClusterConfig> {
  return (value, path) => {
    const cluster = aRecord(value, path);
    return {
      name: aString(cluster.name, `${path}.name`),
      manifests: (
        optional(cluster, 'manifests', path, aList(aString)) ?? []
      ).map(manifest => resolve(baseDir, manifest)),
      tokens: optional(cluster, 'tokens', path, aList(aTokenGrant)) ?? [],
      ...pickDefined({
        port: optional(cluster, 'port', path, aNumber),
        version: optional(cluster, 'version', path, aVersion),
        featureGates: optional(cluster, 'featureGates', path, aFeatureGateMap),
        anonymous: optional(cluster, 'anonymous', path, anAnonymousAccess),
        fleet: optional(cluster, 'fleet', path, aFleet),
      }),
    };
  };
}

/** Reads the simulator's YAML config; manifest paths are resolved relative to the file. */
export async function loadSimulatorConfig(
  file: string,
): Promise<SimulatorConfig> {
  const text = await readFile(file, 'utf8');
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const [error] = document.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new Error(
      `Invalid YAML in ${file} at line ${line}, column ${col}: ${
        error.message.split('\n')[0]
      }`,
    );
  }
  try {
    const root = aRecord(document.toJS(), 'the config');
    const clusters = aList(clusterConfig(dirname(resolve(file))))(
      root.clusters,
      'clusters',
    );
    const names = clusters.map(cluster => cluster.name);
    const duplicate = names.find(
      (name, index) => names.indexOf(name) !== index,
    );
    if (duplicate)
      throw new ConfigError(`cluster name "${duplicate}" is used twice`);
    return { clusters };
  } catch (problem) {
    if (problem instanceof ConfigError)
      throw new Error(`${file}: ${problem.message}`);
    throw problem;
  }
}

/** Starts every configured cluster with its manifests and synthetic fleet; all or none. */
export async function startSimulatorFromConfig(
  config: SimulatorConfig,
): Promise<SimulatedCluster[]> {
  const started: SimulatedCluster[] = [];
  try {
    for (const cluster of config.clusters) {
      const manifests = cluster.manifests.length
        ? await loadManifests(cluster.manifests)
        : [];
      const fleet = cluster.fleet
        ? generateFleet({
            kubeletVersion: resolveVersionInfo(cluster.version).gitVersion,
            ...cluster.fleet,
          })
        : [];
      started.push(
        await startSimulatedCluster({
          name: cluster.name,
          port: cluster.port,
          version: cluster.version,
          featureGates: cluster.featureGates,
          tokens: cluster.tokens,
          anonymous: cluster.anonymous,
          objects: [...manifests, ...fleet],
        }),
      );
    }
    return started;
  } catch (error) {
    await Promise.all(started.map(cluster => cluster.stop()));
    throw error;
  }
}
