/** The ids of sync-inbound page messages: duplicate detection depends on these exact strings. */
import { createHash } from 'node:crypto';
import { pageMessageId } from './sync-run';

describe('pageMessageId', () => {
  it('names a page by run and page number: the first page and every next page', () => {
    expect(pageMessageId('run-1', 0)).toBe('run-1:0');
    expect(pageMessageId('run-1', 7, { kind: 'page' })).toBe('run-1:7');
  });

  it("names a stale run's resume by the page and the run's resumes so far", () => {
    expect(pageMessageId('run-1', 3, { kind: 'resume', resumes: 0 })).toBe('run-1:3:resume0');
    expect(pageMessageId('run-1', 3, { kind: 'resume', resumes: 2 })).toBe('run-1:3:resume2');
  });

  it('names a rescheduled copy by attempt and the lineage of the delivered message', () => {
    const lineage = createHash('sha256').update('run-1:3').digest('hex').slice(0, 12);
    expect(pageMessageId('run-1', 3, { kind: 'retry', attempt: 2, deliveredMessageId: 'run-1:3' })).toBe(
      `run-1:3:a2.${lineage}`,
    );
    // A re-driven message has a new id, so its copies get new ids too.
    expect(pageMessageId('run-1', 3, { kind: 'retry', attempt: 2, deliveredMessageId: 'run-1:3#r1' })).not.toBe(
      `run-1:3:a2.${lineage}`,
    );
  });
});
