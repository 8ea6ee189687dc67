export {
  KubernetesSecurityPage,
  KubernetesSecurityTabs,
} from './KubernetesSecurityPage';
