import { Readable } from 'node:stream';
// The demo registry is the test fixture: a real OCI registry and a fake sigstore world, in-process.
// eslint-disable-next-line @backstage/no-undeclared-imports
import {
  DEMO_IDENTITY,
  DEMO_ISSUER,
  startDemoRegistry,
} from '@internal/simulated-cluster';
import type { DemoRegistry } from '@internal/simulated-cluster';
import { runCli } from './cli';

jest.setTimeout(60_000);

let demo: DemoRegistry;
beforeAll(async () => {
  demo = await startDemoRegistry();
});
afterAll(() => demo.stop());

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: process.cwd(),
    stdin: Readable.from([]),
    stdout: text => (stdout += text),
    stderr: text => (stderr += text),
  });
  return { code, stdout, stderr };
}

const keyless = () => [
  '--trusted-root',
  demo.trustedRootPath,
  '--certificate-identity',
  DEMO_IDENTITY,
  '--certificate-oidc-issuer',
  DEMO_ISSUER,
];

describe('kubernetes-security verify-image', () => {
  it('prints JSON and exits 0 for a verified image', async () => {
    const { code, stdout } = await run([
      'verify-image',
      '--allow-loopback',
      demo.reference('payments/api'),
      ...keyless(),
      '--format',
      'json',
    ]);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual([
      'image',
      'digest',
      'state',
      'signatures',
      'reason',
    ]);
    expect(output).toMatchObject({
      state: 'verified',
      digest: expect.stringMatching(/^sha256:/),
    });
    expect(output.signatures[0]).toMatchObject({
      identity: DEMO_IDENTITY,
      issuer: DEMO_ISSUER,
      accepted: true,
    });
    expect(code).toBe(0);
  });

  it('exits 1 for unsigned, wrong-identity and tampered images, with a table', async () => {
    for (const [repository, tag] of [
      ['checkout/web', '2.14.0'],
      ['checkout/worker', '3.3.0-rc.1'],
      ['checkout/worker', '3.2.0'],
    ]) {
      const { code, stdout } = await run([
        'verify-image',
        '--allow-loopback',
        demo.reference(repository, tag),
        ...keyless(),
      ]);
      expect(code).toBe(1);
      expect(stdout).toMatch(
        /State: {3}(unsigned|policy-mismatch|invalid-signature)/,
      );
    }
  });

  it('verifies a keyed signature with --key', async () => {
    const { code, stdout } = await run([
      'verify-image',
      '--allow-loopback',
      demo.reference('platform/node-agent'),
      '--key',
      demo.publicKeyPath,
      '--trusted-root',
      demo.trustedRootPath,
    ]);
    expect(stdout).toContain('State:   verified');
    expect(stdout).toContain('ACCEPTED');
    expect(code).toBe(0);
  });

  it('accepts an anchored identity regexp', async () => {
    const args = [
      '--trusted-root',
      demo.trustedRootPath,
      '--certificate-oidc-issuer',
      DEMO_ISSUER,
    ];
    expect(
      (
        await run([
          'verify-image',
          '--allow-loopback',
          demo.reference('payments/ledger'),
          ...args,
          '--certificate-identity-regexp',
          '.*@payments\\.example\\.com',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await run([
          'verify-image',
          '--allow-loopback',
          demo.reference('payments/ledger'),
          ...args,
          '--certificate-identity-regexp',
          'payments',
        ])
      ).code,
    ).toBe(1);
  });

  it('exits 2 when it cannot check, or the flags are incomplete', async () => {
    const unreachable = await run([
      'verify-image',
      '--allow-loopback',
      '127.0.0.1:1/x/y:1',
      ...keyless(),
      '--format',
      'json',
    ]);
    expect(JSON.parse(unreachable.stdout).state).toBe('registry-unreachable');
    expect(unreachable.code).toBe(2);
    const noIssuer = await run([
      'verify-image',
      '--allow-loopback',
      demo.reference('payments/api'),
      '--certificate-identity',
      DEMO_IDENTITY,
    ]);
    expect(noIssuer.stderr).toContain('--certificate-oidc-issuer is required');
    expect(noIssuer.code).toBe(2);
    const bad = await run(['verify-image', 'NOT A REF', ...keyless()]);
    expect(bad.stderr).toContain('not a valid image reference');
    expect(bad.code).toBe(2);
  });

  it('refuses a registry on a loopback address without --allow-loopback', async () => {
    const requestsBefore = demo.registry.requests.length;
    const { code, stdout } = await run([
      'verify-image',
      demo.reference('payments/api'),
      ...keyless(),
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      state: 'registry-refused',
      reason: expect.stringContaining('a loopback address'),
    });
    expect(code).toBe(2);
    expect(demo.registry.requests.length).toBe(requestsBefore);
  });
});
