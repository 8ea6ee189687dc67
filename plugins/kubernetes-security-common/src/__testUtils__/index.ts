export * from './arbitraries';
export * from './fuzz';
