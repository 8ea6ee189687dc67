const {
  noSimulatorOutsideTests,
} = require('../../scripts/eslint/restrictedImports');

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  restrictedSrcImports: noSimulatorOutsideTests,
});
