import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXPECTED_FINDINGS,
  fixtureSubjects as subjects,
  loadObjects as load,
} from '../__testUtils__/checkFixtures';
import { ALL_CHECKS } from './checkCatalogue';

describe.each(ALL_CHECKS.map(check => [check.id, check] as const))(
  'check %s',
  (id, check) => {
    const dir = join(__dirname, 'fixtures', id);

    it('has complete metadata', () => {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(check.title).not.toBe('');
      expect(check.rationale).not.toBe('');
      expect(check.remediation.text).not.toBe('');
      expect(check.remediation.yaml).not.toBe('');
      expect(check.docs).toMatch(
        /^https:\/\/(kubernetes\.io|github\.com\/kubernetes)\//,
      );
      expect(ALL_CHECKS.filter(other => other.id === id)).toHaveLength(1);
    });

    it('flags every subject of fail.yaml', () => {
      expect(existsSync(join(dir, 'fail.yaml'))).toBe(true);
      const results = subjects(load(join(dir, 'fail.yaml')), check);
      expect(results.length).toBeGreaterThan(0);
      for (const { subject, findings } of results) {
        const name = `${subject.kind}/${subject.metadata?.name}`;
        const expected = subject.metadata?.annotations?.[EXPECTED_FINDINGS];
        const own = findings.filter(f => f.checkId === id && f.path !== '');
        expect({ name, count: expected ? own.length : own.length > 0 }).toEqual(
          {
            name,
            count: expected ? Number(expected) : true,
          },
        );
        for (const finding of own) {
          expect(finding.message).not.toBe('');
          expect(finding.path).toMatch(/^(spec|metadata)/);
        }
      }
    });

    it('passes every subject of pass.yaml', () => {
      expect(existsSync(join(dir, 'pass.yaml'))).toBe(true);
      const results = subjects(load(join(dir, 'pass.yaml')), check);
      expect(results.length).toBeGreaterThan(0);
      for (const { subject, findings } of results) {
        expect({
          name: `${subject.kind}/${subject.metadata?.name}`,
          findings,
        }).toEqual({
          name: `${subject.kind}/${subject.metadata?.name}`,
          findings: [],
        });
      }
    });
  },
);
