import type {
  AdmissionInventory,
  ImageVerification,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { collectAdmission } from '../collector/collectAdmission';
import {
  collectInventory,
  type CollectedInventory,
} from '../collector/collectInventory';
import {
  type ApiDiscovery,
  discoverApis,
  DISCOVERED_GROUPS,
} from '../collector/discoverApis';
import { type IdentityProbe, probeIdentity } from '../collector/probeIdentity';
import type { ClusterScanRecord } from '../store/ReportStore';
import { buildClusterStatus, explainMissingPermission } from './clusterStatus';

/** What a scan read from one cluster, before anything is assessed. */
export interface ClusterReading {
  discovery: ApiDiscovery;
  collected: CollectedInventory;
  /** Absent, like `admission`, when nothing at all could be read. */
  identity?: IdentityProbe;
  admission?: AdmissionInventory;
}

/**
 * Reads one cluster, each kind listed once. Never throws: every failed
 * request becomes a ScanError.
 */
export async function readCluster(
  client: KubernetesApiClient,
): Promise<ClusterReading> {
  const discovery = await discoverApis(client, DISCOVERED_GROUPS);
  const collected = await collectInventory(client, discovery);
  const [identity, admission] = collected.failed
    ? [undefined, undefined]
    : await Promise.all([
        probeIdentity(client, discovery, collected.context.clusterVersion),
        collectAdmission(client, discovery),
      ]);
  // Partial data says what is missing and why, never looks clean.
  collected.errors = collected.errors.map(explainMissingPermission);
  return { discovery, collected, identity, admission };
}

/** The cluster panel of one scan attempt. */
export function clusterStatusOf(
  reading: ClusterReading,
  scan: ClusterScanRecord,
  releaseImages?: ImageVerification[],
) {
  return buildClusterStatus({
    scan,
    context: reading.collected.context,
    discovery: reading.discovery,
    identity: reading.identity,
    releaseImages,
    otherErrors: reading.admission?.errors ?? [],
  });
}
