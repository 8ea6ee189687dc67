// Import boundaries shared by the plugins' .eslintrc.js files, passed to
// @backstage/cli's eslint-factory as `restrictedSrcImports` (tests are exempt).
const { builtinModules } = require('node:module');

const COMMON_IS_PURE =
  'The common package holds types and pure logic, shared with the frontend: do I/O in the backend, node or CLI packages and pass the data in.';

const IO_PACKAGES = [
  'node-fetch',
  'cross-fetch',
  'undici',
  'axios',
  'knex',
  'pg',
  'better-sqlite3',
  'sqlite3',
  'ws',
  'express',
  '@kubernetes/client-node',
  '@backstage/backend-plugin-api',
  '@backstage/backend-defaults',
];

/** Node built-ins (with and without `node:`) and I/O clients. */
const noIoInCommon = [
  ...builtinModules.flatMap(name => [name, `node:${name}`]),
  ...IO_PACKAGES,
].map(name => ({ name, message: COMMON_IS_PURE }));

/** The simulator is a test and demo fixture, never part of a plugin. */
const noSimulatorOutsideTests = [
  {
    name: '@internal/simulated-cluster',
    message:
      'The simulated cluster is for tests and the demo only: import it from test files or __testUtils__.',
  },
];

module.exports = { noIoInCommon, noSimulatorOutsideTests };
