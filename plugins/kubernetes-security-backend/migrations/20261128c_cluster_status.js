// @ts-check

/**
 * The cluster panel (version support, v1.26 features, the plugin's identity
 * and missing permissions) of each cluster's last scan, as JSON.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('kubernetes_security_cluster_scans', table => {
    table.text('status').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('kubernetes_security_cluster_scans', table => {
    table.dropColumn('status');
  });
};
