// @ts-check

/**
 * The latest result per entity and cluster, and the state of each cluster's
 * last scan.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'kubernetes_security_cluster_reports',
    table => {
      table.comment('Latest scan result of one entity in one cluster');
      table.string('entity_ref', 255).notNullable();
      table.string('cluster', 255).notNullable();
      table.text('report').notNullable().comment('ClusterReport JSON');
      table
        .string('scanned_at', 32)
        .notNullable()
        .comment('ISO time the data was collected');
      table
        .string('attempted_at', 32)
        .notNullable()
        .comment('ISO time of the last attempt');
      table.boolean('stale').notNullable().defaultTo(false);
      table.text('stale_reason').nullable();
      table
        .integer('workload_count')
        .notNullable()
        .comment('For summaries without parsing reports');
      table.integer('error_count').notNullable();
      table.primary(['entity_ref', 'cluster']);
      table.index(
        ['cluster'],
        'kubernetes_security_cluster_reports_cluster_idx',
      );
    },
  );
  await knex.schema.createTable('kubernetes_security_cluster_scans', table => {
    table.comment('Outcome of the last scan of each cluster');
    table.string('cluster', 255).primary();
    table.string('attempted_at', 32).notNullable();
    table.string('succeeded_at', 32).nullable();
    table
      .text('errors')
      .notNullable()
      .comment('ScanError[] JSON of the last attempt');
    table.integer('duration_ms').notNullable();
    table.integer('entity_count').notNullable();
    table.integer('workload_count').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubernetes_security_cluster_scans');
  await knex.schema.dropTable('kubernetes_security_cluster_reports');
};
