/**
 * What the kubelet really does with a pod's fsGroup on each CSI-backed volume
 * (KEP-2317). It mirrors the kubelet's decision: fsGroup is applied when the
 * driver's policy is `File`, never when it is `None`, and under the default
 * `ReadWriteOnceWithFSType` only for a writable ReadWriteOnce volume with an
 * fsType (inline CSI volumes count as ReadWriteOnce).
 */
import type { KubeObject, PodSpec } from '../kubernetes';
import type {
  FsGroupOutcome,
  VolumeFsGroupResult,
  WorkloadRef,
} from '../reportSections';

type FsGroupPolicy = NonNullable<VolumeFsGroupResult['fsGroupPolicy']>;

/** The storage objects of one cluster; `undefined` collections could not be read. */
export interface StorageObjects {
  persistentVolumeClaims?: KubeObject[];
  persistentVolumes?: KubeObject[];
  csiDrivers?: KubeObject[];
  storageClasses?: KubeObject[];
}

const FSTYPE_PARAMETERS = ['csi.storage.k8s.io/fstype', 'fsType', 'fstype'];
const READ_WRITE_ONCE = new Set(['ReadWriteOnce', 'ReadWriteOncePod']);

interface VolumeSource {
  volume: string;
  source: VolumeFsGroupResult['source'];
  claim?: string;
  /** For claims not (yet) created: what their template asks for. */
  claimSpec?: Record<string, any>;
  inline?: Record<string, any>;
  readOnly: boolean;
}

/** Indexes a cluster's storage objects once for all workloads. */
export class StorageIndex {
  private readonly claims = new Map<string, KubeObject>();
  private readonly volumes = new Map<string, KubeObject>();
  private readonly drivers = new Map<string, KubeObject>();
  private readonly classes = new Map<string, KubeObject>();

  constructor(private readonly objects: StorageObjects) {
    for (const claim of objects.persistentVolumeClaims ?? []) {
      this.claims.set(
        `${claim.metadata?.namespace}/${claim.metadata?.name}`,
        claim,
      );
    }
    for (const volume of objects.persistentVolumes ?? [])
      this.volumes.set(volume.metadata?.name ?? '', volume);
    for (const driver of objects.csiDrivers ?? [])
      this.drivers.set(driver.metadata?.name ?? '', driver);
    for (const storageClass of objects.storageClasses ?? [])
      this.classes.set(storageClass.metadata?.name ?? '', storageClass);
  }

  claim(namespace: string, name: string) {
    return this.claims.get(`${namespace}/${name}`);
  }
  persistentVolume(name: string | undefined) {
    return name ? this.volumes.get(name) : undefined;
  }
  storageClass(name: string | undefined) {
    return name ? this.classes.get(name) : undefined;
  }
  /** The driver's policy; undefined when CSIDrivers could not be read. */
  driverPolicy(driver: string): FsGroupPolicy | undefined {
    if (!this.objects.csiDrivers) return undefined;
    const spec = (this.drivers.get(driver)?.spec ?? {}) as {
      fsGroupPolicy?: FsGroupPolicy;
    };
    // A driver without a CSIDriver object gets the default policy too.
    return spec.fsGroupPolicy ?? 'ReadWriteOnceWithFSType';
  }
  get claimsKnown() {
    return this.objects.persistentVolumeClaims !== undefined;
  }
}

function volumeSources(
  podSpec: PodSpec,
  kind: string,
  workload: KubeObject,
  podNames: string[],
): VolumeSource[] {
  const sources: VolumeSource[] = [];
  for (const volume of (podSpec.volumes as Record<string, any>[] | undefined) ??
    []) {
    if (volume.persistentVolumeClaim?.claimName) {
      sources.push({
        volume: volume.name,
        source: 'persistentVolumeClaim',
        claim: volume.persistentVolumeClaim.claimName,
        readOnly: Boolean(volume.persistentVolumeClaim.readOnly),
      });
    } else if (volume.csi?.driver) {
      sources.push({
        volume: volume.name,
        source: 'csi',
        inline: volume.csi,
        readOnly: Boolean(volume.csi.readOnly),
      });
    } else if (volume.ephemeral?.volumeClaimTemplate) {
      // The ephemeral volume controller names the claim <pod>-<volume>.
      sources.push({
        volume: volume.name,
        source: 'ephemeral',
        claim: podNames[0] ? `${podNames[0]}-${volume.name}` : undefined,
        claimSpec: volume.ephemeral.volumeClaimTemplate.spec,
        readOnly: false,
      });
    }
  }
  if (kind === 'StatefulSet') {
    const set = (workload.spec ?? {}) as {
      volumeClaimTemplates?: KubeObject[];
    };
    for (const template of set.volumeClaimTemplates ?? []) {
      const name = template.metadata?.name ?? '';
      if (sources.some(source => source.volume === name)) continue;
      // The StatefulSet controller names claims <template>-<pod>.
      sources.push({
        volume: name,
        source: 'persistentVolumeClaim',
        claim: podNames[0] ? `${name}-${podNames[0]}` : undefined,
        claimSpec: template.spec as Record<string, any>,
        readOnly: false,
      });
    }
  }
  return sources;
}

interface ResolvedVolume {
  driver?: string;
  accessModes?: string[];
  fsType?: string;
  persistentVolume?: string;
  /** Why the volume could not be resolved, if so. */
  unresolved?: string;
  /** Backed by something other than CSI: not in scope. */
  notCsi?: boolean;
}

function fsTypeOfClass(
  storageClass: KubeObject | undefined,
): string | undefined {
  const parameters = (storageClass?.parameters ?? {}) as Record<string, string>;
  for (const key of FSTYPE_PARAMETERS)
    if (parameters[key]) return parameters[key];
  return undefined;
}

function resolveClaimSpec(
  spec: Record<string, any> | undefined,
  index: StorageIndex,
): ResolvedVolume {
  const storageClass = index.storageClass(spec?.storageClassName);
  if (!storageClass)
    return {
      unresolved: 'the claim is not bound and its StorageClass is unknown',
    };
  return {
    driver: storageClass.provisioner as string | undefined,
    accessModes: spec?.accessModes,
    // Provisioners default to ext4 when the class names no fsType.
    fsType: fsTypeOfClass(storageClass) ?? 'ext4',
  };
}

function resolve(
  source: VolumeSource,
  namespace: string,
  index: StorageIndex,
): ResolvedVolume {
  if (source.inline) {
    return {
      driver: source.inline.driver,
      accessModes: ['ReadWriteOnce'],
      fsType: source.inline.fsType,
    };
  }
  const claim = source.claim ? index.claim(namespace, source.claim) : undefined;
  if (!claim) {
    if (source.claimSpec) return resolveClaimSpec(source.claimSpec, index);
    return {
      unresolved: index.claimsKnown
        ? `PersistentVolumeClaim "${source.claim}" was not found`
        : 'PersistentVolumeClaims could not be read',
    };
  }
  const claimSpec = (claim.spec ?? {}) as Record<string, any>;
  const volume = index.persistentVolume(claimSpec.volumeName);
  if (!volume) return resolveClaimSpec(claimSpec, index);
  const volumeSpec = (volume.spec ?? {}) as Record<string, any>;
  if (!volumeSpec.csi) return { notCsi: true };
  return {
    driver: volumeSpec.csi.driver,
    accessModes: volumeSpec.accessModes ?? claimSpec.accessModes,
    fsType: volumeSpec.csi.fsType,
    persistentVolume: volume.metadata?.name,
  };
}

/** The kubelet's decision, with the reason in words. */
function decide(
  policy: FsGroupPolicy,
  resolved: ResolvedVolume,
  readOnly: boolean,
): { applied: boolean; why: string } {
  if (readOnly)
    return { applied: false, why: 'the volume is mounted read-only' };
  if (policy === 'None')
    return {
      applied: false,
      why: `driver ${resolved.driver} has fsGroupPolicy None`,
    };
  if (policy === 'File')
    return {
      applied: true,
      why: `driver ${resolved.driver} has fsGroupPolicy File`,
    };
  if (!resolved.fsType)
    return {
      applied: false,
      why: 'fsGroupPolicy ReadWriteOnceWithFSType applies fsGroup only with an fsType, and the volume has none',
    };
  if (!(resolved.accessModes ?? []).some(mode => READ_WRITE_ONCE.has(mode)))
    return {
      applied: false,
      why: `fsGroupPolicy ReadWriteOnceWithFSType applies fsGroup only to ReadWriteOnce volumes, and this one is ${
        (resolved.accessModes ?? []).join(', ') || 'without access modes'
      }`,
    };
  return {
    applied: true,
    why: `ReadWriteOnce volume with fsType ${resolved.fsType} under fsGroupPolicy ReadWriteOnceWithFSType`,
  };
}

/** Every CSI-backed volume of a workload, with what happens to its fsGroup. */
export function fsGroupVolumes(
  workload: {
    kind: string;
    object: KubeObject;
    podSpec: PodSpec;
    podNames: string[];
  },
  index: StorageIndex,
): VolumeFsGroupResult[] {
  const ref: WorkloadRef = {
    kind: workload.kind,
    namespace: workload.object.metadata?.namespace ?? 'default',
    name: workload.object.metadata?.name ?? '',
  };
  const securityContext = (workload.podSpec.securityContext ?? {}) as {
    fsGroup?: number;
    fsGroupChangePolicy?: 'Always' | 'OnRootMismatch';
  };
  const { fsGroup, fsGroupChangePolicy } = securityContext;
  const results: VolumeFsGroupResult[] = [];
  for (const source of volumeSources(
    workload.podSpec,
    workload.kind,
    workload.object,
    workload.podNames,
  )) {
    const resolved = resolve(source, ref.namespace, index);
    if (resolved.notCsi) continue;
    const base: VolumeFsGroupResult = {
      workload: ref,
      volume: source.volume,
      source: source.source,
      ...(source.claim ? { claim: source.claim } : {}),
      ...(resolved.persistentVolume
        ? { persistentVolume: resolved.persistentVolume }
        : {}),
      ...(resolved.driver ? { driver: resolved.driver } : {}),
      ...(resolved.accessModes ? { accessModes: resolved.accessModes } : {}),
      ...(resolved.fsType ? { fsType: resolved.fsType } : {}),
      ...(fsGroup !== undefined ? { fsGroup } : {}),
      ...(fsGroupChangePolicy ? { fsGroupChangePolicy } : {}),
      outcome: 'unknown',
      reason: '',
    };
    const policy = resolved.driver
      ? index.driverPolicy(resolved.driver)
      : undefined;
    if (policy) base.fsGroupPolicy = policy;
    let outcome: FsGroupOutcome;
    let reason: string;
    if (resolved.unresolved || !resolved.driver) {
      outcome = 'unknown';
      reason = `Cannot tell how fsGroup is handled: ${
        resolved.unresolved ?? 'no CSI driver found'
      }.`;
    } else if (!policy) {
      outcome = 'unknown';
      reason = `Cannot tell how fsGroup is handled: CSIDrivers could not be read, so the policy of ${resolved.driver} is unknown.`;
    } else if (fsGroup === undefined) {
      const { applied } = decide(policy, resolved, source.readOnly);
      outcome = 'no-fs-group';
      base.fsGroupWouldApply = applied;
      reason = applied
        ? 'The pod sets no fsGroup: files keep the ownership the volume was created with.'
        : 'The pod sets no fsGroup, and the kubelet would not apply one to this volume anyway.';
    } else {
      const { applied, why } = decide(policy, resolved, source.readOnly);
      if (!applied && source.readOnly) {
        // Nothing is written through a read-only mount: ownership does not matter.
        outcome = 'no-fs-group';
        reason = `fsGroup ${fsGroup} is not applied because ${why}; nothing can be written through it.`;
      } else if (!applied) {
        outcome = 'not-applied';
        reason = `fsGroup ${fsGroup} is silently not applied: ${why}. The driver may still honour it if it supports fsGroup delegation (VOLUME_MOUNT_GROUP, GA in 1.26), which the API does not show.`;
      } else if (fsGroupChangePolicy === 'OnRootMismatch') {
        outcome = 'applied-on-mismatch';
        reason = `fsGroup ${fsGroup} is applied (${why}), only when the volume root's ownership does not match.`;
      } else {
        outcome = 'applied-recursively';
        reason = `fsGroup ${fsGroup} is applied (${why}) by changing the ownership of every file on every mount (fsGroupChangePolicy ${
          fsGroupChangePolicy ?? 'Always, the default'
        }).`;
      }
    }
    results.push({ ...base, outcome, reason });
  }
  return results;
}
