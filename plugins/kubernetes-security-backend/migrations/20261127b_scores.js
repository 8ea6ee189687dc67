// @ts-check

/**
 * Scores in columns, so summaries and scorecards aggregate without reading
 * report JSON, and the API server version of each cluster.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('kubernetes_security_cluster_reports', table => {
    table
      .integer('score')
      .nullable()
      .comment("Weakest workload's score in this cluster");
    table.string('grade', 1).nullable();
  });
  await knex.schema.alterTable('kubernetes_security_cluster_scans', table => {
    table.string('git_version', 64).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('kubernetes_security_cluster_scans', table => {
    table.dropColumn('git_version');
  });
  await knex.schema.alterTable('kubernetes_security_cluster_reports', table => {
    table.dropColumn('grade');
    table.dropColumn('score');
  });
};
