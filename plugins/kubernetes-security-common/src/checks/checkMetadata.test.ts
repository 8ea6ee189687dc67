import path from 'node:path';
import { filesWithCheckLogic, moduleGraph } from '../__testUtils__';
import { ALL_CHECKS } from './checkCatalogue';
import { CHECK_METADATA, checkMetadata } from './checkMetadata';

const METADATA_ENTRY = path.join(__dirname, 'checkMetadata.ts');

describe('check metadata', () => {
  it('loads no check logic', () => {
    const graph = moduleGraph(METADATA_ENTRY);

    expect(filesWithCheckLogic(graph)).toEqual([]);
    for (const file of graph) {
      expect(path.relative(__dirname, file)).toMatch(
        /^(checkMetadata|types|\w+\/metadata|podSecurity\/baselineCapabilities)\.ts$/,
      );
    }
  });

  it('is told apart from check logic by the same walk', () => {
    // Guards the test above: the executable catalogue must be flagged.
    const graph = moduleGraph(path.join(__dirname, 'checkCatalogue.ts'));

    expect(filesWithCheckLogic(graph)).toContain(
      path.join(__dirname, 'hardening', 'privilegedContainer.ts'),
    );
  });

  it('is the metadata the executable checks carry, in the same order', () => {
    expect(CHECK_METADATA.map(meta => meta.id)).toEqual(
      ALL_CHECKS.map(check => check.id),
    );
    for (const check of ALL_CHECKS) {
      expect(check).toMatchObject(checkMetadata(check.id)!);
    }
  });

  it('looks checks up by id', () => {
    expect(checkMetadata('privileged-container')?.title).toBe(
      'Privileged container',
    );
    expect(checkMetadata('no-such-check')).toBeUndefined();
  });
});
