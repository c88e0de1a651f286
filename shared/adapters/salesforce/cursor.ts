/**
 * The Salesforce adapter's opaque cursor. A read walks (SystemModstamp, Id) in order, so the position after the
 * last record delivered is exact even when many records share one timestamp; `next` keeps a server-side
 * nextRecordsUrl when Salesforce split a batch, and the keyset is the fallback when that locator has expired.
 */
import { z } from 'zod';
import { AppError } from '../../core/app-error';

const cursorSchema = z.object({
  v: z.literal(1),
  /** full: /query without deleted rows; incremental: /queryAll, deleted rows included. */
  mode: z.enum(['full', 'incremental']),
  after: z.object({ stamp: z.string(), id: z.string() }).optional(),
  next: z.string().optional(),
});

export type SalesforceCursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: SalesforceCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string | undefined): SalesforceCursor {
  if (value === undefined || value === '') return { v: 1, mode: 'full' };
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch (error) {
    throw new AppError('validation', 'cursor was not issued by the Salesforce adapter', {
      target: 'cursor',
      cause: error,
    });
  }
}
