/** What hands a lead over at once (triggers) and what keeps it out whatever it scores (exclusions). */
import { z } from 'zod';
import { localizedTextSchema } from '../i18n';
import { idSchema } from './schema-blocks';
import { activityAlternativesSchema, fitConditionSchema } from './schema-scoring';

/**
 * A trigger hands the lead over at once, whatever its fit and engagement (a demo request from a free-mail
 * address with nothing else known too); only an exclusion rule keeps a lead out.
 */
export const triggerSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  activities: activityAlternativesSchema,
});
export type Trigger = z.infer<typeof triggerSchema>;

/**
 * A lead this condition holds for is never handed over, by trigger or by score: competitors, students,
 * job seekers. Explicit, so a team sees who is kept out and why, rather than a fit floor doing it unseen.
 */
export const exclusionSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  condition: fitConditionSchema,
});
export type Exclusion = z.infer<typeof exclusionSchema>;
