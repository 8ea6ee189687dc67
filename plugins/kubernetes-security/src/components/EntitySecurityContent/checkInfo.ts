import {
  CheckArea,
  CheckMetadata,
  checkMetadata,
} from '@internal/plugin-kubernetes-security-common/checkMetadata';

const AREA_LABELS: Record<CheckArea, string> = {
  'workload-hardening': 'Workload hardening',
  'host-access': 'Host access',
  images: 'Images',
  'service-accounts': 'Service accounts',
  'pod-security-admission': 'Pod Security Admission',
  'image-signatures': 'Image signatures',
  storage: 'Storage',
  admission: 'Admission',
};

/** A readable area name; areas added later show as they are. */
export function areaLabel(area: string): string {
  return AREA_LABELS[area as CheckArea] ?? area;
}

/**
 * The catalogue entry of a finding's check. Checks are added all the time:
 * an id this build does not know yet still renders, under its id.
 */
export function checkInfo(checkId: string): {
  title: string;
  check?: CheckMetadata;
} {
  const check = checkMetadata(checkId);
  return { title: check?.title ?? checkId, ...(check ? { check } : {}) };
}

/** "KEP-2799" for KEP links, else "Kubernetes documentation". */
export function docsLabel(url: string): string {
  const kep = url.match(/keps\/sig-[^/]+\/(\d+)-/);
  return kep ? `KEP-${kep[1]}` : 'Kubernetes documentation';
}
