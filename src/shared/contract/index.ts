import type { z } from 'zod';
import type { fitEstimateSchema, kvCacheTypeSchema, memoryBreakdownSchema } from './estimator';
import type { downloadJobSchema } from './downloads';
import type { gpuSchema, hardwareProfileSchema } from './hardware';
import type { libraryModelSchema } from './library';
import type { catalogEntrySchema } from './models';
import { appEvents, appRoutes } from './app';
import { chatEvents, chatRoutes } from './chats';
import { engineEvents, engineRoutes } from './engine';
import { downloadEvents, downloadRoutes } from './downloads';
import { estimatorRoutes } from './estimator';
import { hardwareRoutes } from './hardware';
import { libraryEvents, libraryRoutes } from './library';
import { modelSettingsRoutes } from './model-settings';
import { modelRoutes } from './models';
import { monitorEvents, monitorRoutes } from './monitor';
import { providerEvents, providerRoutes } from './providers';
import { providerInsightRoutes } from './provider-insight';
import { serverEvents, serverRoutes } from './server';
import { settingsEvents, settingsRoutes } from './settings';

export * from './errors';
export * from './route';
export * from './bridge';
export { appInfoSchema } from './app';
export { settingsSchema, settingsPatchSchema } from './settings';
export { hardwareProfileSchema, gpuSchema } from './hardware';
export { fitEstimateSchema, kvCacheTypeSchema, memoryBreakdownSchema } from './estimator';
export * from './monitor';
export * from './server';
export * from './providers';
export * from './provider-insight';

/** Every request Hearth answers, by name (`domain.verb`). */
export const routes = {
  ...appRoutes,
  ...settingsRoutes,
  ...engineRoutes,
  ...hardwareRoutes,
  ...estimatorRoutes,
  ...downloadRoutes,
  ...libraryRoutes,
  ...modelRoutes,
  ...modelSettingsRoutes,
  ...chatRoutes,
  ...monitorRoutes,
  ...serverRoutes,
  ...providerRoutes,
  ...providerInsightRoutes,
};
/** Every event Hearth pushes to its windows. */
export const events = {
  ...appEvents,
  ...settingsEvents,
  ...engineEvents,
  ...downloadEvents,
  ...libraryEvents,
  ...chatEvents,
  ...monitorEvents,
  ...serverEvents,
  ...providerEvents,
};

export type Routes = typeof routes;
export type RouteName = keyof Routes;
/** What a caller may send (before defaults are applied). */
export type RouteInput<R extends RouteName> = z.input<Routes[R]['input']>;
/** What a handler receives (after validation). */
export type RouteParsedInput<R extends RouteName> = z.output<Routes[R]['input']>;
export type RouteOutput<R extends RouteName> = z.output<Routes[R]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export type AppInfo = RouteOutput<'app.info'>;
export type Settings = RouteOutput<'settings.get'>;
export type EngineStatus = RouteOutput<'engine.status'>;
export type HardwareProfile = z.output<typeof hardwareProfileSchema>;
export type GpuInfo = z.output<typeof gpuSchema>;
export type FitEstimate = z.output<typeof fitEstimateSchema>;
export type KvCacheType = z.output<typeof kvCacheTypeSchema>;
export type MemoryBreakdown = z.output<typeof memoryBreakdownSchema>;
export type DownloadJob = z.output<typeof downloadJobSchema>;
export type LibraryModel = z.output<typeof libraryModelSchema>;
export type CatalogEntry = z.output<typeof catalogEntrySchema>;
export type HubModelDetails = RouteOutput<'hub.model'>;
export type Recommendation = RouteOutput<'catalog.recommend'>;

export const isRouteName = (name: string): name is RouteName => Object.hasOwn(routes, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);
