import type {
  AdmissionControl,
  AdmissionEvaluation,
  NamespaceAdmissionCoverage,
} from '../reportSections';

/** A policy bound in a namespace that the cluster would not run. */
export interface PolicyNotRun {
  policy: string;
  binding?: string;
  reason: string;
}

/** What an admission check sees: one workload's dry runs, or one namespace. */
export type AdmissionCheckContext =
  | {
      subject: 'workload';
      evaluations: AdmissionEvaluation[];
      /** Where the pod spec is in the workload, e.g. `spec.template.spec`. */
      podSpecPath: string;
      /** The ValidatingAdmissionPolicy API the cluster serves, e.g. `admissionregistration.k8s.io/v1`. */
      policyApiVersion: string;
    }
  | {
      subject: 'namespace';
      namespace: string;
      controls: AdmissionControl[];
      coverage: NamespaceAdmissionCoverage;
      policiesNotRun: PolicyNotRun[];
      /** Type-checking warnings of the policies bound in the namespace. */
      typeWarnings: { policy: string; warning: string }[];
      /** The ValidatingAdmissionPolicy API the cluster serves, e.g. `admissionregistration.k8s.io/v1`. */
      policyApiVersion: string;
    };
