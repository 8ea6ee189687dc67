export { TeamScorecardsContent } from './TeamScorecardsContent';
export { GroupSecurityContent } from './GroupSecurityContent';
