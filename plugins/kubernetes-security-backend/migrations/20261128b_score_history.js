// @ts-check

/**
 * One score per entity and day, for trends and team scorecards. A row is
 * rewritten by every scan of that day, so it holds the day's last result.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubernetes_security_score_history', table => {
    table.comment('Score of each entity per day, over all its clusters');
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table
      .integer('score')
      .notNullable()
      .comment('Score of the weakest cluster, as on the report');
    table.string('grade', 1).notNullable();
    table
      .string('recorded_at', 32)
      .notNullable()
      .comment('ISO time of the scan that wrote it');
    table.primary(['entity_ref', 'day']);
    // Retention deletes by day.
    table.index(['day'], 'kubernetes_security_score_history_day_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubernetes_security_score_history');
};
