/**
 * The Google integration's provider options the product checks: `permanentDeletes` (default false) makes a
 * pushed delete of a Drive file permanent (files.delete) instead of moving it to the trash (files.update with
 * trashed = true), from where the owner can restore it for 30 days. Other keys (calendarId …) pass through.
 */
import { z } from 'zod';

export const googleOptionsSchema = z.looseObject({
  permanentDeletes: z.boolean().optional(),
});

export type GoogleOptions = z.infer<typeof googleOptionsSchema>;
