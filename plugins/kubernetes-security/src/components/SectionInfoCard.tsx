import { InfoCard } from '@backstage/core-components';
import type { ComponentProps } from 'react';

/**
 * An InfoCard whose title is a heading (h2), so the page's sections can be
 * found by heading; InfoCard's own title is a plain span.
 */
export function SectionInfoCard(props: ComponentProps<typeof InfoCard>) {
  return <InfoCard titleTypographyProps={{ component: 'h2' }} {...props} />;
}
