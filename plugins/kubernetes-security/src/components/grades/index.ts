export { GradeBadge } from './GradeBadge';
export { SecurityGradeChip } from './SecurityGradeChip';
export type { SecurityGradeChipProps } from './SecurityGradeChip';
export {
  EntitySecurityGradeChip,
  useSecurityTabLink,
} from './EntitySecurityGradeChip';
export type { EntitySecurityGradeChipProps } from './EntitySecurityGradeChip';
export { createSecurityGradeColumn } from './securityGradeColumn';
export { GRADE_STYLES, SEVERITY_STYLES } from './gradeStyles';
