/**
 * The Salesforce integration's provider options: `apiVersion` (optional, default SALESFORCE_FACTS'), which goes
 * into every REST path (/services/data/<version>), so anything but "v<major>.0" would make every call a 404.
 */
import { z } from 'zod';

export const salesforceOptionsSchema = z.looseObject({
  apiVersion: z
    .string()
    .regex(/^v\d{2,3}\.0$/, 'must be a Salesforce REST API version such as "v60.0"')
    .optional(),
});
