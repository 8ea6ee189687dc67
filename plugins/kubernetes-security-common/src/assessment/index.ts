export * from './assessCluster';
export * from './clusterSnapshot';
export * from './imageVerdicts';
