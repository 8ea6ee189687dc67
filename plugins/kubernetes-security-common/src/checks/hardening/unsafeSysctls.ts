import { podSpecFix } from '../fix';
import { field } from '../podSpec';
import { clusterAtLeast } from '../securityContext';
import type { ClusterVersion, WorkloadCheck } from '../types';
import { unsafeSysctlsMetadata } from './metadata';

/** The sysctls Pod Security Standards allow, with the Kubernetes minor version that added each group. */
const SAFE_SYSCTLS: { since: number; names: string[] }[] = [
  {
    since: 0,
    names: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.ip_unprivileged_port_start',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
    ],
  },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    since: 29,
    names: [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  {
    since: 37,
    names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'],
  },
];

function safeSysctls(version: ClusterVersion | undefined): string[] {
  return SAFE_SYSCTLS.filter(group =>
    clusterAtLeast(version, group.since),
  ).flatMap(group => group.names);
}

export const unsafeSysctls: WorkloadCheck = {
  scope: 'workload',
  ...unsafeSysctlsMetadata,
  run({ workload, clusterVersion }) {
    const sysctls = field<{ name?: string }[]>(
      workload.template.spec?.securityContext,
      'sysctls',
    );
    if (!Array.isArray(sysctls)) return [];
    const safe = safeSysctls(clusterVersion);
    // The list is replaced whole by a patch: it keeps the safe sysctls.
    const kept = sysctls.filter(sysctl => safe.includes(sysctl?.name ?? ''));
    const fix = podSpecFix(workload, {
      securityContext: { sysctls: kept.length ? kept : null },
    });
    return sysctls.flatMap((sysctl, index) =>
      safe.includes(sysctl?.name ?? '')
        ? []
        : [
            {
              message: `The pod sets the unsafe sysctl ${sysctl?.name}`,
              path: `${workload.podSpecPath}.securityContext.sysctls[${index}].name`,
              evidence: String(sysctl?.name),
              fix,
            },
          ],
    );
  },
};
