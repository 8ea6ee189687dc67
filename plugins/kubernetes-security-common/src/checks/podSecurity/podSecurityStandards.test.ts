import type { ObjectMeta, PodSpec } from '../../kubernetes';
import {
  evaluatePodSecurity,
  NEWEST_POD_SECURITY_MINOR,
  podSecurityMinor,
  type PodSecurityLevel,
} from './podSecurityStandards';

/** A pod that meets restricted at every version. */
function hardened(
  container: Record<string, unknown> = {},
  pod: Partial<PodSpec> = {},
): PodSpec {
  return {
    ...pod,
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      ...(pod.securityContext as object),
    },
    containers: [
      {
        name: 'app',
        image: 'app:1.0',
        ...container,
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          ...(container.securityContext as object),
        },
      },
    ],
  };
}

const minimal: PodSpec = { containers: [{ name: 'app', image: 'app:1.0' }] };

function checkIds(
  spec: PodSpec,
  level: PodSecurityLevel,
  version = 'latest',
  metadata?: ObjectMeta,
): string[] {
  return evaluatePodSecurity({ spec, metadata }, level, version).map(
    ({ checkId }) => checkId,
  );
}

function fields(
  spec: PodSpec,
  level: PodSecurityLevel,
  version = 'latest',
  metadata?: ObjectMeta,
) {
  return evaluatePodSecurity({ spec, metadata }, level, version).flatMap(v =>
    v.fields.map(f => `${f.path}=${f.value}`),
  );
}

describe('evaluatePodSecurity', () => {
  describe('levels and versions', () => {
    it('checks nothing at privileged', () => {
      expect(checkIds({ ...minimal, hostNetwork: true }, 'privileged')).toEqual(
        [],
      );
    });

    it('admits a pod without security settings at baseline but not at restricted', () => {
      expect(checkIds(minimal, 'baseline')).toEqual([]);
      expect(checkIds(minimal, 'restricted')).toEqual([
        'allowPrivilegeEscalation',
        'runAsNonRoot',
        'seccompProfile_restricted',
        'capabilities_restricted',
      ]);
    });

    it('checks only what existed at old versions', () => {
      expect(checkIds(minimal, 'restricted', 'v1.7')).toEqual(['runAsNonRoot']);
      expect(checkIds(minimal, 'restricted', 'v1.18')).toEqual([
        'allowPrivilegeEscalation',
        'runAsNonRoot',
      ]);
      expect(checkIds(minimal, 'restricted', 'v1.21')).toEqual([
        'allowPrivilegeEscalation',
        'runAsNonRoot',
        'seccompProfile_restricted',
      ]);
    });

    it('admits a hardened pod at restricted at every version', () => {
      for (let minor = 0; minor <= NEWEST_POD_SECURITY_MINOR + 1; minor++) {
        expect({
          minor,
          ids: checkIds(hardened(), 'restricted', `v1.${minor}`),
        }).toEqual({ minor, ids: [] });
      }
    });

    it('evaluates versions past the newest change, and invalid ones, as latest', () => {
      const pod = hardened({
        livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } },
      });
      expect(NEWEST_POD_SECURITY_MINOR).toBe(37);
      expect(checkIds(pod, 'baseline', 'v1.99')).toEqual([
        'hostProbesAndHostLifecycle',
      ]);
      expect(checkIds(pod, 'baseline', '1.30')).toEqual([
        'hostProbesAndHostLifecycle',
      ]);
    });

    it('parses versions like the namespace labels', () => {
      expect(podSecurityMinor('latest')).toBe('latest');
      expect(podSecurityMinor('v1.30')).toBe(30);
      expect(podSecurityMinor('v1.0')).toBe(0);
      expect(podSecurityMinor('v1.05')).toBe('latest');
      expect(podSecurityMinor('1.30')).toBe('latest');
      expect(podSecurityMinor('v2.0')).toBe('latest');
      expect(podSecurityMinor(undefined)).toBe('latest');
    });

    it('reports paths inside workload objects', () => {
      const [violation] = evaluatePodSecurity(
        {
          spec: {
            containers: [
              { name: 'app', securityContext: { privileged: true } },
            ],
          },
          metadata: {
            annotations: {
              'container.apparmor.security.beta.kubernetes.io/app':
                'unconfined',
            },
          },
          specPath: 'spec.template.spec',
          metadataPath: 'spec.template.metadata',
        },
        'baseline',
        'latest',
      );
      expect(violation).toEqual({
        checkId: 'privileged',
        control: 'Privileged Containers',
        level: 'baseline',
        fields: [
          {
            path: 'spec.template.spec.containers[0].securityContext.privileged',
            field: 'securityContext.privileged',
            value: 'true',
            container: 'app',
          },
        ],
      });
    });
  });

  describe('baseline controls', () => {
    it('HostProcess: pod and container level', () => {
      const pod = hardened(
        { securityContext: { windowsOptions: { hostProcess: true } } },
        { securityContext: { windowsOptions: { hostProcess: true } } },
      );
      expect(fields(pod, 'baseline')).toEqual([
        'spec.securityContext.windowsOptions.hostProcess=true',
        'spec.containers[0].securityContext.windowsOptions.hostProcess=true',
      ]);
    });

    it('Host Namespaces: each of hostNetwork, hostPID, hostIPC', () => {
      expect(
        fields(
          { ...minimal, hostNetwork: true, hostPID: true, hostIPC: false },
          'baseline',
        ),
      ).toEqual(['spec.hostNetwork=true', 'spec.hostPID=true']);
    });

    it('Privileged Containers: init and ephemeral containers too', () => {
      const spec: PodSpec = {
        initContainers: [
          { name: 'init', securityContext: { privileged: true } },
        ],
        containers: [{ name: 'app', securityContext: { privileged: false } }],
        ephemeralContainers: [
          { name: 'debug', securityContext: { privileged: true } },
        ],
      };
      expect(fields(spec, 'baseline')).toEqual([
        'spec.initContainers[0].securityContext.privileged=true',
        'spec.ephemeralContainers[0].securityContext.privileged=true',
      ]);
    });

    it('Capabilities: only the default set may be added, spelled without CAP_', () => {
      const add = (caps: string[]) =>
        hardened({ securityContext: { capabilities: { add: caps } } });
      expect(
        checkIds(
          add(['CHOWN', 'KILL', 'NET_BIND_SERVICE', 'SYS_CHROOT']),
          'baseline',
        ),
      ).toEqual([]);
      expect(
        fields(add(['CHOWN', 'NET_RAW', 'CAP_CHOWN']), 'baseline'),
      ).toEqual([
        'spec.containers[0].securityContext.capabilities.add=["NET_RAW","CAP_CHOWN"]',
      ]);
    });

    it('HostPath Volumes: reported as Volume Types at restricted', () => {
      const spec = hardened(
        {},
        {
          volumes: [
            { name: 'config', configMap: { name: 'x' } },
            { name: 'host', hostPath: { path: '/etc' } },
          ],
        },
      );
      expect(fields(spec, 'baseline')).toEqual([
        'spec.volumes[1].hostPath=/etc',
      ]);
      expect(checkIds(spec, 'restricted')).toEqual(['restrictedVolumes']);
    });

    it('Host Ports: any non-zero hostPort', () => {
      const spec: PodSpec = {
        initContainers: [
          {
            name: 'init',
            ports: [
              { containerPort: 53 },
              { containerPort: 8080, hostPort: 8080 },
            ],
          },
        ],
        containers: [
          { name: 'app', ports: [{ containerPort: 80, hostPort: 0 }] },
        ],
      };
      expect(fields(spec, 'baseline')).toEqual([
        'spec.initContainers[0].ports[1].hostPort=8080',
      ]);
    });

    it('Host Probes / Lifecycle Hooks: from v1.34', () => {
      const spec = hardened({
        readinessProbe: { httpGet: { host: '', port: 80 } },
        livenessProbe: { tcpSocket: { host: 'db.internal', port: 5432 } },
        lifecycle: {
          preStop: {
            httpGet: { host: '169.254.169.254', path: '/', port: 80 },
          },
        },
      });
      expect(checkIds(spec, 'baseline', 'v1.33')).toEqual([]);
      expect(fields(spec, 'baseline', 'v1.34')).toEqual([
        'spec.containers[0].livenessProbe.tcpSocket.host=db.internal',
        'spec.containers[0].lifecycle.preStop.httpGet.host=169.254.169.254',
      ]);
    });

    it('AppArmor: fields and annotations, for any container name', () => {
      const annotations = {
        'container.apparmor.security.beta.kubernetes.io/app':
          'localhost/custom',
        'container.apparmor.security.beta.kubernetes.io/gone': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/other':
          'runtime/default',
      };
      const spec = hardened(
        {
          securityContext: {
            appArmorProfile: { type: 'Localhost', localhostProfile: 'p' },
          },
        },
        {
          securityContext: { appArmorProfile: { type: 'Unconfined' } },
        },
      );
      expect(fields(spec, 'baseline', 'latest', { annotations })).toEqual([
        'spec.securityContext.appArmorProfile.type=Unconfined',
        "metadata.annotations['container.apparmor.security.beta.kubernetes.io/gone']=unconfined",
      ]);
    });

    it('SELinux: allowed types by version, never user or role', () => {
      const selinux = (options: object) =>
        hardened({ securityContext: { seLinuxOptions: options } });
      expect(
        checkIds(
          selinux({ type: 'container_t', level: 's0:c1,c2' }),
          'baseline',
        ),
      ).toEqual([]);
      expect(
        checkIds(selinux({ type: 'container_engine_t' }), 'baseline', 'v1.30'),
      ).toEqual(['seLinuxOptions']);
      expect(
        checkIds(selinux({ type: 'container_engine_t' }), 'baseline', 'v1.31'),
      ).toEqual([]);
      expect(
        fields(
          selinux({ type: 'spc_t', user: 'system_u', role: '' }),
          'baseline',
        ),
      ).toEqual([
        'spec.containers[0].securityContext.seLinuxOptions.type=spc_t',
        'spec.containers[0].securityContext.seLinuxOptions.user=system_u',
      ]);
    });

    it('/proc Mount Type: relaxed in user namespaces from v1.35, at baseline only', () => {
      const unmasked = (hostUsers?: boolean) =>
        hardened(
          { securityContext: { procMount: 'Unmasked' } },
          hostUsers === undefined ? {} : { hostUsers },
        );
      expect(
        checkIds(
          hardened({ securityContext: { procMount: 'Default' } }),
          'restricted',
        ),
      ).toEqual([]);
      expect(checkIds(unmasked(), 'baseline')).toEqual(['procMount']);
      expect(checkIds(unmasked(false), 'baseline', 'v1.34')).toEqual([
        'procMount',
      ]);
      expect(checkIds(unmasked(false), 'baseline', 'v1.35')).toEqual([]);
      expect(checkIds(unmasked(false), 'restricted', 'v1.35')).toEqual([
        'procMount_restricted',
      ]);
      expect(checkIds(unmasked(false), 'restricted', 'v1.34')).toEqual([
        'procMount',
      ]);
    });

    it('Seccomp: annotations before v1.19, fields from v1.19', () => {
      const metadata = {
        annotations: {
          'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
          'container.seccomp.security.alpha.kubernetes.io/app':
            'docker/default',
          'container.seccomp.security.alpha.kubernetes.io/gone': 'unconfined',
        },
      };
      const spec: PodSpec = {
        containers: [
          {
            name: 'app',
            securityContext: { seccompProfile: { type: 'Unconfined' } },
          },
        ],
      };
      expect(fields(spec, 'baseline', 'v1.18', metadata)).toEqual([
        "metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']=unconfined",
      ]);
      expect(fields(spec, 'baseline', 'v1.19', metadata)).toEqual([
        'spec.containers[0].securityContext.seccompProfile.type=Unconfined',
      ]);
      expect(
        fields(
          {
            containers: [
              { name: 'app', securityContext: { seccompProfile: {} } },
            ],
          },
          'baseline',
        ),
      ).toEqual([
        'spec.containers[0].securityContext.seccompProfile.type=unset',
      ]);
    });

    it.each([
      ['net.ipv4.ip_local_reserved_ports', 27],
      ['net.ipv4.tcp_keepalive_time', 29],
      ['net.ipv4.tcp_fin_timeout', 29],
      ['net.ipv4.tcp_rmem', 32],
      ['net.ipv4.tcp_slow_start_after_idle', 37],
    ])('Sysctls: %s is allowed from v1.%i', (name, since) => {
      const spec = hardened(
        {},
        {
          securityContext: {
            sysctls: [{ name: 'kernel.shm_rmid_forced' }, { name }],
          },
        },
      );
      expect(fields(spec, 'baseline', `v1.${since - 1}`)).toEqual([
        `spec.securityContext.sysctls[1].name=${name}`,
      ]);
      expect(checkIds(spec, 'baseline', `v1.${since}`)).toEqual([]);
    });

    it('Sysctls: unsafe ones never', () => {
      const spec = hardened(
        {},
        {
          securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
        },
      );
      expect(checkIds(spec, 'baseline')).toEqual(['sysctls']);
    });
  });

  describe('restricted controls', () => {
    it('Volume Types: core and ephemeral sources only; no source means emptyDir', () => {
      const volumes = [
        { name: 'a', csi: { driver: 'x' } },
        { name: 'b', ephemeral: { volumeClaimTemplate: {} } },
        { name: 'c', image: { reference: 'data:1.0' } },
        { name: 'd' },
        { name: 'e', nfs: { server: 'nfs', path: '/' } },
      ];
      expect(fields(hardened({}, { volumes }), 'restricted')).toEqual([
        'spec.volumes[4].nfs=nfs',
      ]);
    });

    it('Privilege Escalation: must be false; Windows pods exempt from v1.25', () => {
      const windows: PodSpec = {
        ...hardened(),
        os: { name: 'windows' },
        containers: [{ name: 'app' }],
      };
      expect(
        fields(
          hardened({ securityContext: { allowPrivilegeEscalation: true } }),
          'restricted',
        ),
      ).toEqual([
        'spec.containers[0].securityContext.allowPrivilegeEscalation=true',
      ]);
      expect(checkIds(windows, 'restricted', 'v1.24')).toEqual([
        'allowPrivilegeEscalation',
        'capabilities_restricted',
      ]);
      expect(checkIds(windows, 'restricted', 'v1.25')).toEqual([]);
    });

    it('Capabilities: Windows pods are not checked at all from v1.25', () => {
      const windows: PodSpec = {
        securityContext: { runAsNonRoot: true },
        os: { name: 'windows' },
        containers: [
          {
            name: 'app',
            securityContext: { capabilities: { add: ['SYS_ADMIN'] } },
          },
        ],
      };
      expect(checkIds(windows, 'restricted', 'v1.25')).toEqual([]);
      expect(checkIds(windows, 'baseline', 'v1.25')).toEqual([
        'capabilities_baseline',
      ]);
    });

    it('Running as Non-root: the pod default covers containers that leave it unset', () => {
      const spec: PodSpec = {
        securityContext: {
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        initContainers: [
          {
            name: 'init',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
        containers: [hardened().containers![0]],
      };
      expect(checkIds(spec, 'restricted')).toEqual([]);
    });

    it('Running as Non-root: explicit false is reported alone, even under containers that set true', () => {
      const pod = hardened(
        { securityContext: { runAsNonRoot: true } },
        { securityContext: { runAsNonRoot: false } },
      );
      expect(fields(pod, 'restricted')).toEqual([
        'spec.securityContext.runAsNonRoot=false',
      ]);
      const spec: PodSpec = {
        ...hardened(),
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          { ...hardened().containers![0], name: 'a' },
          {
            ...hardened().containers![0],
            name: 'b',
            securityContext: {
              ...(hardened().containers![0].securityContext as object),
              runAsNonRoot: false,
            },
          },
        ],
      };
      expect(fields(spec, 'restricted')).toEqual([
        'spec.containers[1].securityContext.runAsNonRoot=false',
      ]);
    });

    it('Running as Non-root: unset everywhere reports every container; user namespaces exempt from v1.35', () => {
      const spec: PodSpec = {
        ...hardened(),
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        initContainers: [
          {
            name: 'init',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      };
      expect(fields(spec, 'restricted')).toEqual([
        'spec.initContainers[0].securityContext.runAsNonRoot=unset',
        'spec.containers[0].securityContext.runAsNonRoot=unset',
      ]);
      expect(
        checkIds({ ...spec, hostUsers: false }, 'restricted', 'v1.34'),
      ).toEqual(['runAsNonRoot']);
      expect(
        checkIds({ ...spec, hostUsers: false }, 'restricted', 'v1.35'),
      ).toEqual([]);
    });

    it('Running as Non-root user: runAsUser 0 from v1.23; user namespaces exempt from v1.35', () => {
      const root = hardened(
        { securityContext: { runAsUser: 1000 } },
        { securityContext: { runAsUser: 0 } },
      );
      expect(checkIds(root, 'restricted', 'v1.22')).toEqual([]);
      expect(fields(root, 'restricted', 'v1.23')).toEqual([
        'spec.securityContext.runAsUser=0',
      ]);
      expect(
        checkIds({ ...root, hostUsers: false }, 'restricted', 'v1.35'),
      ).toEqual([]);
    });

    it('Seccomp: required from v1.19, on the pod or every container', () => {
      const spec: PodSpec = {
        securityContext: { runAsNonRoot: true },
        containers: [
          {
            name: 'a',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' },
            },
          },
          {
            name: 'b',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      };
      expect(checkIds(spec, 'restricted', 'v1.18')).toEqual([]);
      expect(fields(spec, 'restricted', 'v1.19')).toEqual([
        'spec.containers[1].securityContext.seccompProfile.type=unset',
      ]);
      const unconfined: PodSpec = {
        ...spec,
        securityContext: {
          runAsNonRoot: true,
          seccompProfile: { type: 'Unconfined' },
        },
      };
      expect(fields(unconfined, 'restricted')).toEqual([
        'spec.securityContext.seccompProfile.type=Unconfined',
      ]);
    });

    it('Capabilities: drop ALL (exact spelling) from v1.22; add only NET_BIND_SERVICE', () => {
      const caps = (capabilities: object) =>
        hardened({
          securityContext: { allowPrivilegeEscalation: false, capabilities },
        });
      expect(
        checkIds(
          caps({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
          'restricted',
        ),
      ).toEqual([]);
      expect(
        fields(caps({ drop: ['all'], add: ['CHOWN'] }), 'restricted'),
      ).toEqual([
        'spec.containers[0].securityContext.capabilities.drop=["all"]',
        'spec.containers[0].securityContext.capabilities.add=["CHOWN"]',
      ]);
      expect(checkIds(caps({ add: ['CHOWN'] }), 'restricted', 'v1.21')).toEqual(
        [],
      );
      expect(
        checkIds(caps({ add: ['SYS_ADMIN'] }), 'restricted', 'v1.21'),
      ).toEqual(['capabilities_baseline']);
    });
  });
});
