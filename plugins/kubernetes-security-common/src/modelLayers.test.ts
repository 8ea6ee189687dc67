import path from 'node:path';
import { localImports } from './__testUtils__';

/**
 * The report model, bottom to top. Each file may import (types included)
 * only files below it, so the model reads as a straight line: Kubernetes
 * objects and scan errors, report sections, the checks' types, scores, the
 * report, and scoring on top.
 */
const LAYERS = [
  'kubernetes.ts',
  'scanError.ts',
  'reportSections.ts',
  'admission/checkContext.ts',
  'checks/types.ts',
  'scoreModel.ts',
  'report.ts',
  'scoring.ts',
].map(file => path.resolve(__dirname, file));

describe('the report model', () => {
  it.each(LAYERS.map((file, index) => [path.relative(__dirname, file), index]))(
    '%s imports only the layers below it',
    (_, index) => {
      const above = LAYERS.slice(Number(index));
      const upward = localImports(LAYERS[Number(index)], true).filter(file =>
        above.includes(file),
      );
      expect(upward.map(file => path.relative(__dirname, file))).toEqual([]);
    },
  );
});
