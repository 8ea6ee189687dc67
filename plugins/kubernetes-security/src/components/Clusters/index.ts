export { ClusterContent, ClustersContent } from './ClustersContent';
