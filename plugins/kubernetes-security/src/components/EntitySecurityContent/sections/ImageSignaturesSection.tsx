import type { TableColumn } from '@backstage/core-components';
import type {
  ClusterReport,
  ImageSignatureState,
  ImageVerification,
} from '@internal/plugin-kubernetes-security-common';
import Typography from '@material-ui/core/Typography';
import type { StatusTone } from '../../grades/gradeStyles';
import { StatusChip } from '../../grades/StatusChip';
import { SectionCard, SectionTable, workloadName } from './SectionCard';

const STATE_LABELS: Record<
  ImageSignatureState,
  { label: string; tone: StatusTone }
> = {
  verified: { label: 'Verified', tone: 'ok' },
  'policy-mismatch': { label: 'Signed, policy mismatch', tone: 'error' },
  unsigned: { label: 'Unsigned', tone: 'error' },
  'invalid-signature': { label: 'Invalid signature', tone: 'error' },
  unverifiable: { label: 'Could not verify', tone: 'unknown' },
  'registry-auth-failed': { label: 'Registry auth failed', tone: 'unknown' },
  'registry-unreachable': { label: 'Registry unreachable', tone: 'unknown' },
  'registry-refused': { label: 'Registry access blocked', tone: 'unknown' },
  'digest-unknown': { label: 'Digest unknown', tone: 'unknown' },
};

export function SignatureStateChip({ state }: { state: ImageSignatureState }) {
  const known = STATE_LABELS[state] ?? { label: state, tone: 'unknown' };
  return <StatusChip tone={known.tone} label={known.label} />;
}

function shortDigest(digest?: string) {
  return digest?.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
}

/** Also the cluster panel's control-plane images. */
export const imageColumns: TableColumn<ImageVerification>[] = [
  {
    title: 'Image',
    field: 'image',
    render: row => (
      <>
        <code>{row.image}</code>
        {row.digest && (
          <Typography variant="caption" component="div" title={row.digest}>
            {shortDigest(row.digest)}
            {row.digestSource === 'tag-resolution'
              ? ' (resolved from the tag: may differ from what runs)'
              : ''}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Signature',
    field: 'state',
    render: row => (
      <>
        <SignatureStateChip state={row.state} />
        <Typography variant="caption" component="div">
          {row.reason}
        </Typography>
      </>
    ),
  },
  {
    title: 'Signer',
    render: row => {
      const accepted =
        row.signatures.find(s => s.accepted) ?? row.signatures[0];
      if (!accepted) return '—';
      return (
        <>
          {accepted.identity ?? accepted.keyId ?? 'unknown signer'}
          {accepted.issuer && (
            <Typography variant="caption" component="div">
              issuer {accepted.issuer}
            </Typography>
          )}
          {accepted.logIndex !== undefined && (
            <Typography variant="caption" component="div">
              Rekor log index {accepted.logIndex}
            </Typography>
          )}
        </>
      );
    },
  },
  { title: 'Policy', render: row => row.policy ?? 'no matching policy' },
  {
    title: 'Used by',
    render: row =>
      row.usedBy.map(u => `${workloadName(u)} (${u.container})`).join(', '),
  },
];

export function ImageSignaturesSection({
  clusters,
}: {
  clusters: ClusterReport[];
}) {
  return (
    <SectionCard
      id="image-signatures"
      title="Image signatures"
      subheader="Sigstore signatures of every image the workloads run, checked against the image policies"
      clusters={clusters}
      section="images"
      what="image signatures"
    >
      {images => (
        <SectionTable<ImageVerification>
          columns={imageColumns}
          data={images}
          empty="The workloads run no images."
          paging={images.length > 10}
        />
      )}
    </SectionCard>
  );
}
