/** Media types and annotation keys cosign writes (sigstore/cosign pkg/oci/static). */
export const SIMPLESIGNING_MEDIA_TYPE =
  'application/vnd.dev.cosign.simplesigning.v1+json';
export const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature';
export const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate';
export const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain';
export const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle';
export const ANNOTATION_RFC3161 = 'dev.sigstore.cosign/rfc3161timestamp';

export const BUNDLE_V03_MEDIA_TYPE =
  'application/vnd.dev.sigstore.bundle.v0.3+json';
/** cosign v3 `sign` writes an in-toto statement with this predicate; anything else is an attestation. */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The tag of cosign's legacy signature manifest and of the referrers fallback index. */
export function digestTag(digest: string, suffix = ''): string {
  return `${digest.replace(':', '-')}${suffix}`;
}
