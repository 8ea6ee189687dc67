import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realApiServerAvailability } from './availability';

describe('realApiServerAvailability', () => {
  let dir: string;
  let kubeApiServer: string;
  let etcd: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'availability-'));
    kubeApiServer = join(dir, 'kube-apiserver');
    etcd = join(dir, 'etcd');
    for (const file of [kubeApiServer, etcd]) {
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o755);
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('skips with the reason the build script exported', () => {
    expect(
      realApiServerAvailability({
        KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE:
          'apt-get is not available',
        KUBERNETES_SECURITY_KUBE_APISERVER: kubeApiServer,
      }),
    ).toEqual({ available: false, reason: 'apt-get is not available' });
  });

  it('skips when no binary is named, saying how to get one', () => {
    const result = realApiServerAvailability({ PATH: dir });
    expect(result).toEqual({
      available: false,
      reason: expect.stringContaining(
        'KUBERNETES_SECURITY_KUBE_APISERVER is not set',
      ),
    });
  });

  it('fails when the named binary is missing', () => {
    expect(() =>
      realApiServerAvailability({
        KUBERNETES_SECURITY_KUBE_APISERVER: join(dir, 'missing'),
        KUBERNETES_SECURITY_ETCD: etcd,
      }),
    ).toThrow(/missing is not an executable file/);
  });

  it('fails when etcd cannot be found', () => {
    expect(() =>
      realApiServerAvailability({
        KUBERNETES_SECURITY_KUBE_APISERVER: kubeApiServer,
        KUBERNETES_SECURITY_ETCD: join(dir, 'no-etcd'),
      }),
    ).toThrow(/etcd not found/);
  });

  it('finds etcd on PATH when it is not named', () => {
    expect(
      realApiServerAvailability({
        KUBERNETES_SECURITY_KUBE_APISERVER: kubeApiServer,
        PATH: dir,
      }),
    ).toEqual({ available: true, binaries: { kubeApiServer, etcd } });
  });
});
