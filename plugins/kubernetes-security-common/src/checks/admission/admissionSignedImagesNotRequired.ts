import type { AdmissionCheck } from '../types';
import { admissionSignedImagesNotRequiredMetadata } from './metadata';

export const admissionSignedImagesNotRequired: AdmissionCheck = {
  ...admissionSignedImagesNotRequiredMetadata,
  scope: 'admission',
  run: context => {
    if (context.subject !== 'namespace') return [];
    const cell = context.coverage.cells.find(
      c => c.requirement === 'signed-images',
    );
    if (cell?.strongestAction === 'deny') return [];
    const weaker =
      cell?.controls.map(c => `${c.mechanism} ${c.name} (${c.action})`) ?? [];
    return [
      {
        message: weaker.length
          ? `Signed images are checked in namespace "${
              context.namespace
            }" but not enforced: ${weaker.join(', ')}`
          : `No admission control requires signed images in namespace "${context.namespace}"`,
        path: 'metadata.labels',
      },
    ];
  },
};
