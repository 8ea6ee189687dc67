import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { TeamsTable } from './TeamsTable';
import { WindowSelect } from './WindowSelect';

/** Every team the user may see, ranked by the grades of its services. */
export function TeamScorecardsContent() {
  const api = useApi(kubernetesSecurityApiRef);
  const [days, setDays] = useState(30);
  const { value, loading, error } = useAsync(
    () => api.getTeamScorecards({ days }),
    [api, days],
  );
  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        marginBottom={2}
        style={{ gap: 16 }}
      >
        <Typography variant="body1" style={{ maxWidth: 720 }}>
          Teams ranked by the average security score of the Components they own,
          sub-teams included. Grades and trends only cover what you may see in
          the catalog.
        </Typography>
        <WindowSelect days={days} onChange={setDays} />
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {loading && !value && (
        <Skeleton
          variant="rect"
          height={420}
          aria-busy="true"
          aria-label="Loading team scorecards"
        />
      )}
      {value && !error && (
        <TeamsTable
          title="Team scorecards"
          teams={value.teams}
          days={value.days}
        />
      )}
    </Box>
  );
}
