/** The shape of API keys (`/keys`), shared by the calls below. */
import type { z } from 'zod';
import { zCreatedKey, zKeyView } from '@/lib/api/generated/zod.gen';

export const keySchema = zKeyView;
export type ApiKey = z.infer<typeof keySchema>;

/** A key just created: `key` is the secret, shown this once. */
export const createdKeySchema = zCreatedKey;
export type CreatedKey = z.infer<typeof createdKeySchema>;

export const keysQueryKey = ['keys'] as const;
