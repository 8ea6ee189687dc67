export * from './arbitraries';
export * from './fuzz';
export * from './importGraph';
