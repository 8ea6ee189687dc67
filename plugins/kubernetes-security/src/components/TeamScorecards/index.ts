export {
  TeamScorecardsContent,
  TeamScorecardsPage,
} from './TeamScorecardsPage';
export { GroupSecurityContent } from './GroupSecurityContent';
