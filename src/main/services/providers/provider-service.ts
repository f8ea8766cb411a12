import {
  AppError,
  LOCAL_PROVIDER_ID,
  type Provider,
  type ProviderHealth,
  type ProviderModel,
  type RemoteProviderKind,
} from '../../../shared/contract';
import { clientFor } from './client-factory';
import type { ProviderStore } from './provider-store';
import type { ProviderClient } from './provider-types';
import { hostOf, normalizeBaseUrl } from './provider-url';
import type { RemoteLimits } from './remote-http';
import type { SecretStore } from './secret-store';

export interface ProviderServiceOptions {
  store: ProviderStore;
  secrets: SecretStore;
  /** The whole list, after each change. */
  onChange: (providers: Provider[]) => void;
  /** This machine's models, for providers.models('local'). */
  localModels: () => Promise<ProviderModel[]>;
  /** This Hearth's version, for the local provider's health. */
  version: string;
  now?: () => number;
  /** Tests shrink the bounds. */
  limits?: Partial<RemoteLimits>;
}

/** A remote provider with its client, for the chat to send through. */
export interface RemoteTarget {
  provider: Provider;
  client: ProviderClient;
  /** "gpu-box (192.168.1.20:7860)": how errors name the machine. */
  label: string;
}

const secretName = (id: string): string => `provider:${id}`;

/** "gpu-box (192.168.1.20:7860)", or the host alone when it is the name. */
const labelOf = (provider: Provider): string => {
  const host = hostOf(provider.baseUrl ?? '');
  return provider.name === host ? host : `${provider.name} (${host})`;
};

/** This machine and the remote servers a person added: list, add (tested first), test, models. */
export class ProviderService {
  constructor(private readonly options: ProviderServiceOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private local(): Provider {
    return {
      id: LOCAL_PROVIDER_ID,
      name: 'This machine',
      kind: 'local',
      baseUrl: null,
      hasKey: false,
      createdAt: 0,
    };
  }

  list(): Provider[] {
    return [this.local(), ...this.options.store.list()];
  }

  private changed(): void {
    this.options.onChange(this.list());
  }

  private remote(id: string): Provider {
    if (id === LOCAL_PROVIDER_ID)
      throw new AppError('BAD_INPUT', 'This machine cannot be changed or removed');
    const provider = this.options.store.get(id);
    if (!provider) throw new AppError('NOT_FOUND', 'No such provider (it may have been removed)');
    return provider;
  }

  private clientOf(provider: Provider, key?: string | null): ProviderClient {
    if (provider.kind === 'local' || provider.baseUrl === null)
      throw new AppError('BAD_INPUT', 'This machine has no remote client');
    return clientFor(provider.kind, {
      baseUrl: provider.baseUrl!,
      key: key === undefined ? this.options.secrets.get(secretName(provider.id)) : key,
      limits: this.options.limits,
    });
  }

  /** The provider and client a conversation sends through; 'local' and null are this machine (undefined). */
  target(id: string | null): RemoteTarget | undefined {
    if (id === null || id === LOCAL_PROVIDER_ID) return undefined;
    const provider = this.remote(id);
    return { provider, client: this.clientOf(provider), label: labelOf(provider) };
  }

  async add(input: {
    name?: string;
    kind: RemoteProviderKind;
    baseUrl: string;
    key?: string;
  }): Promise<Provider> {
    const baseUrl = normalizeBaseUrl(input.baseUrl);
    const draft: Provider = {
      id: 'new',
      name: input.name ?? hostOf(baseUrl),
      kind: input.kind,
      baseUrl,
      hasKey: input.key !== undefined,
      createdAt: this.now(),
    };
    // Tested before it is kept: a typo or a wrong key is said now, not at the first chat.
    const health = await this.check(this.clientOf(draft, input.key ?? null));
    if (!health.ok) throw new AppError('NETWORK', `Could not use ${hostOf(baseUrl)}: ${health.error}`);
    // Listing its models proves the key too (a version route may answer without one).
    await this.clientOf(draft, input.key ?? null)
      .models()
      .catch((error: Error) => {
        throw new AppError('NETWORK', `Could not use ${hostOf(baseUrl)}: ${error.message}`);
      });
    const provider = this.options.store.add({
      name: draft.name,
      kind: input.kind,
      baseUrl,
      hasKey: input.key !== undefined,
    });
    if (input.key !== undefined) this.options.secrets.set(secretName(provider.id), input.key);
    this.changed();
    return provider;
  }

  update(input: { id: string; name?: string; key?: string | null }): Provider {
    const provider = this.remote(input.id);
    if (input.key === null) this.options.secrets.delete(secretName(provider.id));
    else if (input.key !== undefined) this.options.secrets.set(secretName(provider.id), input.key);
    this.options.store.update(provider.id, {
      name: input.name,
      hasKey: input.key === undefined ? undefined : input.key !== null,
    });
    this.changed();
    return this.options.store.get(provider.id)!;
  }

  remove(id: string): { ok: true } {
    const provider = this.remote(id);
    this.options.store.remove(provider.id);
    this.options.secrets.delete(secretName(provider.id));
    this.changed();
    return { ok: true };
  }

  async test(id: string): Promise<ProviderHealth> {
    if (id === LOCAL_PROVIDER_ID)
      return {
        ok: true,
        latencyMs: 0,
        version: `Hearth ${this.options.version}`,
        error: null,
        checkedAt: this.now(),
      };
    return this.check(this.clientOf(this.remote(id)));
  }

  private async check(client: ProviderClient): Promise<ProviderHealth> {
    const started = performance.now();
    try {
      const version = await client.version();
      return {
        ok: true,
        latencyMs: Math.round(performance.now() - started),
        version,
        error: null,
        checkedAt: this.now(),
      };
    } catch (error) {
      return {
        ok: false,
        latencyMs: null,
        version: null,
        error: (error as Error).message,
        checkedAt: this.now(),
      };
    }
  }

  async models(id: string): Promise<ProviderModel[]> {
    if (id === LOCAL_PROVIDER_ID) return this.options.localModels();
    const provider = this.remote(id);
    try {
      const models = await this.clientOf(provider).models();
      return models.map((m) => ({ providerId: provider.id, ...m }));
    } catch (error) {
      throw new AppError('NETWORK', `${labelOf(provider)}: ${(error as Error).message}`);
    }
  }
}
