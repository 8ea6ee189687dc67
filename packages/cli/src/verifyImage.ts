import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  ImageVerificationService,
  keyAuthority,
  keylessAuthority,
  KUBERNETES_RELEASE,
  parseImageReference,
  PolicyConfigError,
  policyForImage,
  RegistryClient,
  repositoryName,
  TrustProvider,
} from '@internal/plugin-kubernetes-security-signatures-node';
import type { SignaturePolicy } from '@internal/plugin-kubernetes-security-signatures-node';
import type {
  ImageSignatureState,
  ImageVerification,
} from '@internal/plugin-kubernetes-security-common';
import type { CliIo } from './cli';

/** Same meaning as `check`: 1 = a finding (not signed as required), 2 = the check could not be completed. */
const EXIT_CODES: Record<ImageSignatureState, number> = {
  verified: 0,
  unsigned: 1,
  'policy-mismatch': 1,
  'invalid-signature': 1,
  unverifiable: 2,
  'registry-auth-failed': 2,
  'registry-unreachable': 2,
  'registry-refused': 2,
  'digest-unknown': 2,
};
const EXIT_INPUT_ERROR = 2;

export interface VerifyImageOptions {
  trustedRoot?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  key?: string;
  format: 'json' | 'table';
  platform?: string;
  allowLoopback?: boolean;
}

/** Adds `verify-image` to the program; `setExitCode` receives its exit code. */
export function registerVerifyImage(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  program
    .command('verify-image')
    .description(
      "Verify an image's cosign/sigstore signatures (legacy .sig and bundles) against an identity or key",
    )
    .argument(
      '<ref>',
      'image reference, e.g. registry.k8s.io/kube-proxy:v1.30.1 or repo@sha256:…',
    )
    .option(
      '--trusted-root <file>',
      'sigstore trusted_root.json (default: public-good via TUF)',
    )
    .addOption(
      new Option(
        '--certificate-identity <san>',
        'exact certificate SAN (email or URI)',
      ).conflicts('certificateIdentityRegexp'),
    )
    .option(
      '--certificate-identity-regexp <re>',
      'certificate SAN regex, matched in full',
    )
    .option(
      '--certificate-oidc-issuer <issuer>',
      'exact OIDC issuer of the certificate',
    )
    .option('--key <pem>', 'PEM public key file, for keyed signatures')
    .option(
      '--platform <os/arch>',
      'platform whose manifest to check when the index is unsigned',
    )
    .option(
      '--allow-loopback',
      'allow a registry on a loopback address (127.0.0.1, localhost), refused by default',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .action(async (ref: string, options: VerifyImageOptions) => {
      setExitCode(await verifyImage(ref, options, io));
    });
}

export async function verifyImage(
  ref: string,
  options: VerifyImageOptions,
  io: CliIo,
): Promise<number> {
  let policy: SignaturePolicy | undefined;
  let reference;
  try {
    reference = parseImageReference(ref);
    policy = await policyFromOptions(
      options,
      repositoryName(reference),
      io.cwd,
    );
  } catch (error) {
    io.stderr(
      `error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_INPUT_ERROR;
  }
  const [os, architecture, variant] = options.platform?.split('/') ?? [];
  const service = new ImageVerificationService({
    client: new RegistryClient({
      access: { allowLoopback: options.allowLoopback },
    }),
    trust: new TrustProvider(
      options.trustedRoot
        ? { trustedRootFiles: [resolve(io.cwd, options.trustedRoot)] }
        : {},
    ),
    policies: { policies: policy ? [policy] : [] },
  });
  const [result] = await service.verifyAll([
    {
      image: ref,
      ...(policy ? { requiredPolicy: policy.name } : {}),
      ...(os && architecture
        ? { platform: { os, architecture, ...(variant ? { variant } : {}) } }
        : {}),
    },
  ]);
  io.stdout(
    options.format === 'json'
      ? formatVerificationJson(result)
      : formatVerificationTable(result),
  );
  return EXIT_CODES[result.state];
}

/** The policy the flags describe, or the built-in one covering the image (e.g. `kubernetes-release`). */
async function policyFromOptions(
  options: VerifyImageOptions,
  repository: string,
  cwd: string,
): Promise<SignaturePolicy | undefined> {
  const authorities: SignaturePolicy['authorities'] = [];
  if (options.key)
    authorities.push(
      keyAuthority(await readFile(resolve(cwd, options.key), 'utf8')),
    );
  if (
    options.certificateIdentity ||
    options.certificateIdentityRegexp ||
    options.certificateOidcIssuer
  ) {
    if (!options.certificateOidcIssuer)
      throw new PolicyConfigError(
        '--certificate-oidc-issuer is required with a certificate identity',
      );
    if (!options.certificateIdentity && !options.certificateIdentityRegexp)
      throw new PolicyConfigError(
        '--certificate-identity or --certificate-identity-regexp is required with --certificate-oidc-issuer',
      );
    authorities.push(
      keylessAuthority({
        identity: options.certificateIdentity,
        identityRegExp: options.certificateIdentityRegexp,
        issuer: options.certificateOidcIssuer,
      }),
    );
  }
  if (authorities.length)
    return { name: 'command-line', images: ['**'], authorities, threshold: 1 };
  return policyForImage({ policies: [KUBERNETES_RELEASE] }, repository);
}

export function formatVerificationJson(result: ImageVerification): string {
  return `${JSON.stringify(
    {
      image: result.image,
      digest: result.digest ?? null,
      state: result.state,
      signatures: result.signatures,
      reason: result.reason,
    },
    null,
    2,
  )}\n`;
}

export function formatVerificationTable(result: ImageVerification): string {
  const lines = [
    `Image:   ${result.image}`,
    `Digest:  ${result.digest ?? '(unknown)'}${
      result.digestSource ? ` (${result.digestSource})` : ''
    }`,
    ...(result.policy ? [`Policy:  ${result.policy}`] : []),
    `State:   ${result.state}`,
    `Reason:  ${result.reason}`,
  ];
  if (result.signatures.length) {
    const rows = result.signatures.map(s => [
      s.accepted ? 'yes' : 'no',
      s.format,
      s.identity ?? s.keyId ?? '-',
      s.issuer ?? '-',
      s.logIndex === undefined ? '-' : String(s.logIndex),
      s.reason ?? '',
    ]);
    const header = [
      'ACCEPTED',
      'FORMAT',
      'SIGNER',
      'ISSUER',
      'LOG INDEX',
      'REASON',
    ];
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map(r => r[i].length)),
    );
    const render = (row: string[]) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    lines.push('', render(header), ...rows.map(render));
  }
  return `${lines.join('\n')}\n`;
}
