import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** End to end: the real bin, without a build, as users run it. */
const REPO_ROOT = resolve(__dirname, '../../..');
const BIN = join(REPO_ROOT, 'packages/cli/bin/kubernetes-security');

interface JsonFinding {
  checkId: string;
  severity: string;
  object: { kind: string; namespace?: string; name: string };
}

jest.setTimeout(60_000);

describe('kubernetes-security bin', () => {
  it('checks the demo prod cluster through the root `yarn kubernetes-security` script, from another directory', () => {
    // Paths are relative to where yarn was run, not to the repo root.
    const run = spawnSync(
      'yarn',
      ['kubernetes-security', 'check', 'clusters/prod', '--format', 'json'],
      {
        cwd: join(REPO_ROOT, 'examples'),
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    const { findings, summary } = JSON.parse(run.stdout) as {
      findings: JsonFinding[];
      summary: { files: number; workloads: number; errors: unknown[] };
    };
    expect(summary).toMatchObject({ files: 10, errors: [] });
    expect(summary.workloads).toBeGreaterThan(0);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toContainEqual(
      expect.objectContaining({
        checkId: 'privileged-container',
        object: expect.objectContaining({
          kind: 'DaemonSet',
          namespace: 'platform-tools',
          name: 'node-agent',
        }),
      }),
    );
    // Critical findings fail the default --fail-on high.
    expect(run.status).toBe(1);

    // The hardened example: its ReplicaSets and Pods fold into the Deployment,
    // which has nothing of medium severity or worse.
    const paymentsApi = findings.filter(
      f =>
        f.object.namespace === 'payments' &&
        f.object.name.startsWith('payments-api'),
    );
    expect(paymentsApi.filter(f => f.object.kind !== 'Deployment')).toEqual([]);
    expect(
      paymentsApi.filter(f =>
        ['critical', 'high', 'medium'].includes(f.severity),
      ),
    ).toEqual([]);
  });

  it('reads standard input', () => {
    const run = spawnSync(
      process.execPath,
      [BIN, 'check', '-', '--checks', 'privileged-container'],
      {
        input:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      securityContext:\n        privileged: true\n',
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Pod p  <stdin>:1');
    expect(run.status).toBe(1);
  });
});
