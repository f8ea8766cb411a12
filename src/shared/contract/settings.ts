import { z } from 'zod';
import { route } from './route';

export const settingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  /** Where downloaded models live; null means the default folder under the data dir. */
  modelsDir: z.string().min(1).nullable(),
  /** For gated models; falls back to HF_TOKEN and the huggingface token file. */
  hfToken: z
    .string()
    .regex(/^hf_[A-Za-z0-9]{34,253}$/, 'a Hugging Face token starts with hf_')
    .nullable(),
  /** Free the model's memory after this long without a request; 0 keeps it loaded. */
  unloadAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  /** Models kept in memory at once, memory allowing; the least recently used leaves first. */
  maxLoadedModels: z.number().int().min(1).max(8),
  /** How often the resource monitor samples while someone watches it. */
  monitorIntervalMs: z.number().int().min(500).max(5000),
});

export const settingsPatchSchema = settingsSchema.partial().strict();

/** Settings as windows and API clients see them: the token only as a hint ("hf_…Wxyz"), never whole. */
export const publicSettingsSchema = settingsSchema.extend({ hfToken: z.string().nullable() });

export const settingsRoutes = {
  'settings.get': route({ input: z.object({}).strict().optional(), output: publicSettingsSchema }),
  'settings.update': route({ input: settingsPatchSchema, output: publicSettingsSchema }),
};

export const settingsEvents = {
  'settings.changed': publicSettingsSchema,
};
