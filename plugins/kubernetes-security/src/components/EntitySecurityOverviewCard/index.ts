export { EntitySecurityOverviewCard } from './EntitySecurityOverviewCard';
