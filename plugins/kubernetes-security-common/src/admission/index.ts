export {
  assessAdmission,
  type AdmissionAssessment,
  type AdmissionAssessmentOptions,
} from './assessAdmission';
export {
  admissionInventoryFromManifests,
  emptyAdmissionInventory,
  paramsErrorResource,
  paramsNotReadReason,
  type AdmissionInventory,
} from './inventory';
export type { AdmissionCheckContext, PolicyNotRun } from './checkContext';
export { formatLabelSelector, type LabelSelectorObject } from './selectors';
