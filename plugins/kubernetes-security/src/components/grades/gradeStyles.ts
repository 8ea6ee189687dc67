import type {
  Grade,
  Severity,
} from '@internal/plugin-kubernetes-security-common';

/**
 * Fixed colours that read the same in light and dark themes; each pair keeps
 * a contrast of at least 4.5:1 (WCAG AA) between text and background.
 */
export const GRADE_STYLES: Record<Grade, { background: string; text: string }> =
  {
    A: { background: '#1b5e20', text: '#fff' },
    B: { background: '#33691e', text: '#fff' },
    C: { background: '#f9a825', text: '#000' },
    D: { background: '#bf360c', text: '#fff' },
    F: { background: '#b71c1c', text: '#fff' },
  };

export const SEVERITY_STYLES: Record<
  Severity,
  { background: string; text: string }
> = {
  critical: { background: '#b71c1c', text: '#fff' },
  high: { background: '#bf360c', text: '#fff' },
  medium: { background: '#f9a825', text: '#000' },
  low: { background: '#1565c0', text: '#fff' },
  info: { background: '#616161', text: '#fff' },
};

/** How an outcome reads: fine, worth a look, bad, or not known. */
export type StatusTone = 'ok' | 'warning' | 'error' | 'unknown';

export const STATUS_STYLES: Record<
  StatusTone,
  { background: string; text: string }
> = {
  ok: { background: '#1b5e20', text: '#fff' },
  warning: { background: '#f9a825', text: '#000' },
  error: { background: '#b71c1c', text: '#fff' },
  // "Could not check" must not look like any outcome.
  unknown: { background: '#616161', text: '#fff' },
};
