import { useApi } from '@backstage/core-plugin-api';
import { kubernetesSecurityScanPermission } from '@internal/plugin-kubernetes-security-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';

const POLL_MS = 2_000;
const GIVE_UP_MS = 120_000;

export interface ScanNowButtonProps {
  /** The entity's clusters; all clusters when it has no result yet. */
  clusters?: string[];
  /** Resolves to each cluster's last attempt time, to tell when new results arrived. */
  lastAttempts(): Promise<Record<string, string>>;
  /** Called once every started cluster has a newer result. */
  onScanned(): void;
}

/** Starts a scan outside the schedule, for callers with the scan permission. */
export function ScanNowButton({
  clusters,
  lastAttempts,
  onScanned,
}: ScanNowButtonProps) {
  const api = useApi(kubernetesSecurityApiRef);
  const { allowed, loading: permissionLoading } = usePermission({
    permission: kubernetesSecurityScanPermission,
  });
  const [status, setStatus] = useState<string | undefined>();
  const [scanning, setScanning] = useState(false);

  const scan = async () => {
    setScanning(true);
    setStatus('Starting scan…');
    try {
      const before = await lastAttempts();
      const { started } = await api.startScan(clusters);
      if (started.length === 0) {
        setStatus('A scan is already running; its results will appear here.');
        return;
      }
      setStatus(`Scanning ${started.join(', ')}…`);
      const deadline = Date.now() + GIVE_UP_MS;
      for (;;) {
        await new Promise(resolve => setTimeout(resolve, POLL_MS));
        const now = await lastAttempts();
        if (
          started.every(
            cluster => now[cluster] && now[cluster] !== before[cluster],
          )
        )
          break;
        if (Date.now() > deadline) {
          setStatus(
            'The scan is taking longer than expected; results will appear when it ends.',
          );
          return;
        }
      }
      setStatus(undefined);
      onScanned();
    } catch (error) {
      setStatus(`Could not start the scan: ${(error as Error).message}`);
    } finally {
      setScanning(false);
    }
  };

  const button = (
    <span>
      <Button
        variant="outlined"
        color="primary"
        onClick={scan}
        disabled={!allowed || scanning || permissionLoading}
        startIcon={scanning ? <CircularProgress size={16} /> : undefined}
      >
        Scan now
      </Button>
    </span>
  );
  return (
    <Box display="flex" alignItems="center" style={{ gap: 12 }}>
      {allowed || permissionLoading ? (
        button
      ) : (
        <Tooltip title="You do not have permission to start scans">
          {button}
        </Tooltip>
      )}
      {status && (
        <Typography variant="body2" role="status">
          {status}
        </Typography>
      )}
    </Box>
  );
}
