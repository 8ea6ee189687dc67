import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, LoggedProcess } from './processes';
import { rawRequest, RawResponse } from './rawRequest';

/** The reader is the ServiceAccount that `rbac/cluster-role.yaml` binds. */
export const READER_USERNAME =
  'system:serviceaccount:backstage:kubernetes-security';
export const RESTRICTED_USERNAME = 'restricted-reader';

export interface RealApiServerBinaries {
  kubeApiServer: string;
  etcd: string;
}

/** One request as the API server's audit log recorded it. */
export interface AuditEvent {
  verb: string;
  requestURI: string;
  user: { username: string };
  responseStatus?: { code?: number };
}

export interface RealApiServer {
  url: string;
  /** The cluster CA (PEM) that signed the serving certificate. */
  caPem: string;
  /** The same CA as kubeconfig's `certificate-authority-data` (base64 PEM). */
  caData: string;
  caFile: string;
  tokens: { admin: string; reader: string; restricted: string };
  request(
    path: string,
    options?: {
      token?: string;
      method?: string;
      body?: unknown;
      accept?: string;
    },
  ): Promise<RawResponse>;
  /**
   * Every request served so far, from the audit log. The apiserver writes an
   * event just after answering, so this waits until the log stops growing.
   */
  auditEvents(): Promise<AuditEvent[]>;
  stop(): Promise<void>;
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

async function settledAuditEvents(auditLog: string): Promise<AuditEvent[]> {
  const read = () =>
    existsSync(auditLog) ? readFileSync(auditLog, 'utf8') : '';
  let text = read();
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise(r => setTimeout(r, 50));
    const again = read();
    if (again === text) break;
    text = again;
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as AuditEvent);
}

const token = () => randomBytes(24).toString('hex');

/**
 * The certificate file the API server writes to `--cert-dir` holds the
 * serving certificate followed by the CA that signed it.
 */
function clusterCa(certFile: string): string {
  const blocks =
    readFileSync(certFile, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    ) ?? [];
  if (blocks.length === 0) throw new Error(`No certificate in ${certFile}`);
  return `${blocks[blocks.length - 1]}\n`;
}

async function waitUntilReady(
  url: string,
  adminToken: string,
  processes: LoggedProcess[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    for (const proc of processes) {
      if (proc.exitReason) {
        throw new Error(`${proc.exitReason}:\n${proc.logTail()}`);
      }
    }
    try {
      // Certificates are only verified once the server has written them.
      const response = await rawRequest(`${url}/readyz`, {
        token: adminToken,
        timeoutMs: 2_000,
      });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${response.body.slice(0, 500)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(
    `kube-apiserver not ready after ${timeoutMs} ms (${last}):\n${processes
      .map(p => `--- ${p.name}\n${p.logTail()}`)
      .join('\n')}`,
  );
}

/**
 * Starts etcd and a real kube-apiserver on free loopback ports in a
 * temporary directory, with static bearer tokens and RBAC. No
 * controller-manager runs: nothing reconciles, so the seeded objects stay as
 * they were written.
 */
export async function startRealApiServer(
  binaries: RealApiServerBinaries,
): Promise<RealApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kubernetes-security-apiserver-'));
  const tokens = { admin: token(), reader: token(), restricted: token() };
  writeFileSync(
    join(dir, 'tokens.csv'),
    [
      `${tokens.admin},admin,uid-admin,"system:masters"`,
      `${tokens.reader},${READER_USERNAME},uid-reader`,
      `${tokens.restricted},${RESTRICTED_USERNAME},uid-restricted`,
    ].join('\n'),
  );
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(join(dir, 'sa.pub'), publicKey);
  writeFileSync(join(dir, 'sa.key'), privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'audit-policy.yaml'), AUDIT_POLICY);
  const auditLog = join(dir, 'audit.log');

  const [clientPort, peerPort, securePort] = [
    await freeLoopbackPort(),
    await freeLoopbackPort(),
    await freeLoopbackPort(),
  ];
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const processes: LoggedProcess[] = [];
  const stop = async () => {
    // The API server first, so it never sees its storage disappear.
    for (const proc of [...processes].reverse()) await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    processes.push(
      LoggedProcess.start(
        'etcd',
        binaries.etcd,
        [
          '--name=default',
          `--data-dir=${join(dir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=default=${peerUrl}`,
        ],
        join(dir, 'etcd.log'),
      ),
    );
    processes.push(
      LoggedProcess.start(
        'kube-apiserver',
        binaries.kubeApiServer,
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${securePort}`,
          `--cert-dir=${join(dir, 'certs')}`,
          `--token-auth-file=${join(dir, 'tokens.csv')}`,
          '--authorization-mode=RBAC',
          '--anonymous-auth=false',
          '--service-account-issuer=https://kubernetes.default.svc',
          `--service-account-key-file=${join(dir, 'sa.pub')}`,
          `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
          '--service-cluster-ip-range=10.0.0.0/24',
          '--allow-privileged=true',
          // No token controller runs: without bound tokens, pod creation
          // waits for token Secrets that never come.
          '--feature-gates=BoundServiceAccountTokenVolume=true',
          `--audit-policy-file=${join(dir, 'audit-policy.yaml')}`,
          `--audit-log-path=${auditLog}`,
          '--audit-log-mode=blocking',
        ],
        join(dir, 'kube-apiserver.log'),
      ),
    );
    const url = `https://127.0.0.1:${securePort}`;
    await waitUntilReady(url, tokens.admin, processes, 60_000);

    const caPem = clusterCa(join(dir, 'certs', 'apiserver.crt'));
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, caPem);
    return {
      url,
      caPem,
      caData: Buffer.from(caPem).toString('base64'),
      caFile,
      tokens,
      request: (path, options = {}) =>
        rawRequest(url + path, {
          ...options,
          token: options.token ?? tokens.admin,
          ca: caPem,
        }),
      auditEvents: () => settledAuditEvents(auditLog),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
