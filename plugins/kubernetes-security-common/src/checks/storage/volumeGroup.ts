/** The group a fix gives a pod's volumes: any group but root's (0) would do. */
export const VOLUME_GROUP = 2000;
