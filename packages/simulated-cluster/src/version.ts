import { createHash } from 'node:crypto';

/** The body of `GET /version`, exactly as the apiserver returns it. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/**
 * A cluster version: either just a gitVersion (`v1.30.1`, `v1.27.8-eks-1234`)
 * or explicit fields, for managed offerings that report e.g. minor `27+`.
 */
export type KubernetesVersion = string | KubernetesVersionFields;

export interface KubernetesVersionFields
  extends Partial<Omit<VersionInfo, 'gitVersion'>> {
  gitVersion: string;
}

export const DEFAULT_KUBERNETES_VERSION = 'v1.30.1';

// The Go release each Kubernetes minor was built with, so /version looks plausible.
const GO_VERSION_BY_MINOR: Record<number, string> = {
  24: 'go1.18.10',
  25: 'go1.19.9',
  26: 'go1.19.8',
  27: 'go1.20.10',
  28: 'go1.20.11',
  29: 'go1.21.5',
  30: 'go1.22.2',
  31: 'go1.22.5',
  32: 'go1.23.3',
  33: 'go1.24.2',
};

const GIT_VERSION_PATTERN = /^v(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

export function resolveVersionInfo(
  version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION,
): VersionInfo {
  const fields =
    typeof version === 'string' ? { gitVersion: version } : version;
  const match = GIT_VERSION_PATTERN.exec(fields.gitVersion);
  if (!match) {
    throw new Error(
      `Invalid Kubernetes gitVersion "${fields.gitVersion}", expected e.g. v1.30.1`,
    );
  }
  const [, major, minor] = match;
  return {
    major: fields.major ?? major,
    minor: fields.minor ?? minor,
    gitVersion: fields.gitVersion,
    gitCommit:
      fields.gitCommit ??
      createHash('sha1').update(fields.gitVersion).digest('hex'),
    gitTreeState: fields.gitTreeState ?? 'clean',
    buildDate: fields.buildDate ?? '2024-05-14T10:42:02Z',
    goVersion:
      fields.goVersion ?? GO_VERSION_BY_MINOR[Number(minor)] ?? 'go1.22.2',
    compiler: fields.compiler ?? 'gc',
    platform: fields.platform ?? 'linux/amd64',
  };
}

/** The numeric minor version (`27+` → 27), which decides what the cluster serves. */
export function minorVersionOf(info: VersionInfo): number {
  const minor = Number.parseInt(info.minor, 10);
  if (Number.isNaN(minor)) {
    throw new Error(`Invalid Kubernetes minor version "${info.minor}"`);
  }
  return minor;
}
