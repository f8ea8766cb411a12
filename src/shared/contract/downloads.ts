import { z } from 'zod';
import { route } from './route';

export const downloadStatusSchema = z.enum([
  'queued',
  'downloading',
  'paused',
  'done',
  'failed',
  'cancelled',
]);

export const downloadJobSchema = z.object({
  id: z.string(),
  repo: z.string(),
  revision: z.string(),
  quant: z.string(),
  /** The file to load: the only file, or the first part of a split model. */
  modelPath: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number(), sha256: z.string(), done: z.boolean() })),
  status: downloadStatusSchema,
  bytesDone: z.number(),
  bytesTotal: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.number(),
});

const repoInput = z.string().min(3).max(200);

export const downloadRoutes = {
  'downloads.list': route({ input: z.object({}).strict().optional(), output: z.array(downloadJobSchema) }),
  'downloads.start': route({
    input: z
      .object({
        repo: repoInput,
        quant: z.string().min(1).max(40).optional(),
        file: z.string().min(1).max(500).optional(),
        revision: z.string().min(1).max(100).default('main'),
      })
      .strict(),
    output: downloadJobSchema,
  }),
  'downloads.pause': route({ input: z.object({ id: z.string() }).strict(), output: downloadJobSchema }),
  'downloads.resume': route({ input: z.object({ id: z.string() }).strict(), output: downloadJobSchema }),
  'downloads.cancel': route({ input: z.object({ id: z.string() }).strict(), output: downloadJobSchema }),
};

export const downloadEvents = {
  /** A job changed: progress (throttled to a few per second) or status. */
  'downloads.changed': downloadJobSchema,
};
