// Data only: check metadata quotes this list, and metadata must stay free of check logic.
/**
 * The default set of container runtimes, which Pod Security Standards
 * Baseline allows to be added. Compared as written, like Pod Security
 * admission: `CAP_CHOWN` or `chown` are not in the set.
 */
export const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
