/** The shape of API keys (`/keys`), shared by the calls below. */
import { z } from 'zod';

export const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullish(),
  revoked_at: z.string().nullish(),
  last_used_at: z.string().nullish(),
});
export type ApiKey = z.infer<typeof keySchema>;

/** A key just created: `key` is the secret, shown this once. */
export const createdKeySchema = keySchema.extend({ key: z.string().min(1) });
export type CreatedKey = z.infer<typeof createdKeySchema>;

export const keysQueryKey = ['keys'] as const;
