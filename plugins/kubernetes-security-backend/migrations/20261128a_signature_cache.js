// @ts-check

/**
 * Image signature verification results, so a digest whose signatures,
 * policy and trust root have not changed is not verified again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'kubernetes_security_signature_cache',
    table => {
      table.comment('Image signature verification results by digest');
      table
        .string('cache_key', 64)
        .primary()
        .comment(
          'SHA-256 of repository, digest, signature artifacts, policy hash and trust-root hash',
        );
      table.string('repository', 512).notNullable();
      table.string('digest', 80).notNullable();
      table.string('state', 32).notNullable();
      table.text('result').notNullable().comment('Verdict JSON');
      table
        .string('verified_at', 32)
        .notNullable()
        .comment('ISO time of the verification');
      table
        .string('expires_at', 32)
        .notNullable()
        .comment('ISO time after which the entry is ignored');
      table.index(
        ['expires_at'],
        'kubernetes_security_signature_cache_expires_idx',
      );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubernetes_security_signature_cache');
};
