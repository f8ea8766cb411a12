import { AppError } from '../../../shared/contract';
import type { RepoFile } from '../../../shared/domain/gguf-files';

export interface HubModelSummary {
  id: string;
  author: string;
  downloads: number;
  likes: number;
  tags: string[];
  gated: false | 'auto' | 'manual';
  lastModified: string | null;
  license: string | null;
}

export interface HubModelInfo extends HubModelSummary {
  sha: string;
  files: RepoFile[];
  gguf: {
    parameters: number | null;
    architecture: string | null;
    contextLength: number | null;
    hasChatTemplate: boolean;
  } | null;
}

export interface FileMetadata {
  commit: string;
  /** sha256 of the content for LFS files (the X-Linked-Etag). */
  etag: string;
  size: number;
  /** Where the bytes are (the CDN, after the 302). */
  location: string;
}

export interface HubClientOptions {
  /** https://huggingface.co by default; HF_ENDPOINT points it elsewhere (a mirror, or a fake in tests). */
  endpoint: string;
  token?: () => string | undefined;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  maxRetries?: number;
}

/** Repo ids as the Hub allows them: owner/name, letters, digits, '-', '_', '.', no '--' or '..'. */
export function validateRepoId(repo: string): string {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(repo) ||
    repo.includes('..') ||
    repo.includes('--')
  ) {
    throw new AppError('BAD_INPUT', `"${repo}" is not a Hugging Face repo id (owner/name)`);
  }
  return repo;
}

/** Paths inside a repo: relative, forward slashes, no '..', no control characters. */
export function validateRepoPath(path: string): string {
  const parts = path.split('/');
  if (
    !path ||
    path.startsWith('/') ||
    path.includes('\\') ||
    [...path].some((c) => c.charCodeAt(0) < 0x20) ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new AppError('BAD_INPUT', `"${path}" is not a file path inside a repo`);
  }
  return path;
}

const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** Seconds to wait from a 429: RateLimit t= (when r=0), else Retry-After (seconds), else backoff. */
export function retryDelayMs(response: Response, attempt: number): number {
  const rate = /r=(\d+);\s*t=(\d+)/.exec(response.headers.get('ratelimit') ?? '');
  if (rate && rate[1] === '0') return Math.min(300, Number(rate[2]) + 1) * 1000;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(300, retryAfter) * 1000;
  return Math.min(8, 2 ** attempt) * 1000;
}

function licenseOf(tags: string[], cardLicense?: unknown): string | null {
  if (typeof cardLicense === 'string') return cardLicense;
  return tags.find((t) => t.startsWith('license:'))?.slice('license:'.length) ?? null;
}

interface RawModel {
  id: string;
  author?: string;
  downloads?: number;
  likes?: number;
  tags?: string[];
  gated?: false | 'auto' | 'manual';
  lastModified?: string;
  sha?: string;
  cardData?: { license?: unknown };
  siblings?: { rfilename: string; size?: number; lfs?: { sha256: string; size: number } }[];
  gguf?: { total?: number; architecture?: string; context_length?: number; chat_template?: string };
}

/** The Hugging Face Hub, as hf-hub-api.md describes it: search, model info, files, resolve. */
export class HubClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HubClientOptions) {
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get endpoint(): string {
    return this.options.endpoint.replace(/\/+$/, '');
  }

  private headers(): Record<string, string> {
    const token = this.options.token?.();
    return { 'User-Agent': 'Hearth/0.1', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  }

  /** GET/HEAD with the token, retrying rate limits and server errors, mapping Hub errors to messages. */
  async request(url: string, init: RequestInit = {}, context = ''): Promise<Response> {
    const maxRetries = this.options.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          ...init,
          headers: { ...this.headers(), ...(init.headers as Record<string, string>) },
        });
      } catch (error) {
        if (attempt >= maxRetries)
          throw new AppError(
            'INTERNAL',
            `Cannot reach Hugging Face (${this.endpoint}): ${(error as Error).message}`,
          );
        await this.sleep(Math.min(8, 2 ** attempt) * 1000);
        continue;
      }
      if ((response.status === 429 || response.status >= 500) && attempt < maxRetries) {
        await response.body?.cancel();
        await this.sleep(retryDelayMs(response, attempt));
        continue;
      }
      if (response.ok || (response.status >= 300 && response.status < 400)) return response;
      throw await this.toError(response, context);
    }
  }

  private async toError(response: Response, context: string): Promise<AppError> {
    const code = response.headers.get('x-error-code');
    const message = response.headers.get('x-error-message') ?? '';
    await response.body?.cancel();
    const what = context ? `${context}: ` : '';
    if (code === 'GatedRepo') {
      return new AppError(
        'FORBIDDEN',
        `${what}this model is gated. Accept its terms on huggingface.co, then add a Hugging Face token in Settings (or HF_TOKEN).`,
      );
    }
    if (code === 'RepoNotFound')
      return new AppError('NOT_FOUND', `${what}no such model repo on Hugging Face (or it is private)`);
    if (code === 'EntryNotFound') return new AppError('NOT_FOUND', `${what}that file is not in the repo`);
    if (code === 'RevisionNotFound') return new AppError('NOT_FOUND', `${what}no such revision`);
    if (response.status === 401 && /Invalid credentials/i.test(message)) {
      return new AppError('FORBIDDEN', `${what}the Hugging Face token was refused; check it in Settings`);
    }
    if (response.status === 429)
      return new AppError(
        'INTERNAL',
        `${what}Hugging Face is rate-limiting requests; try again in a few minutes`,
      );
    return new AppError(
      'INTERNAL',
      `${what}Hugging Face answered HTTP ${response.status}${message ? `: ${message}` : ''}`,
    );
  }

  private toSummary(raw: RawModel): HubModelSummary {
    const tags = raw.tags ?? [];
    return {
      id: raw.id,
      author: raw.author ?? raw.id.split('/')[0] ?? '',
      downloads: raw.downloads ?? 0,
      likes: raw.likes ?? 0,
      tags,
      gated: raw.gated ?? false,
      lastModified: raw.lastModified ?? null,
      license: licenseOf(tags, raw.cardData?.license),
    };
  }

  /** GGUF repos matching `query`, most downloaded first; `cursor` is the next page's URL. */
  async search(options: {
    query?: string;
    author?: string;
    sort?: 'downloads' | 'likes' | 'lastModified' | 'trendingScore';
    limit?: number;
    cursor?: string;
  }): Promise<{ models: HubModelSummary[]; next: string | null }> {
    let url: string;
    if (options.cursor) {
      if (!options.cursor.startsWith(`${this.endpoint}/api/models?`))
        throw new AppError('BAD_INPUT', 'Invalid search cursor');
      url = options.cursor;
    } else {
      const params = new URLSearchParams({
        filter: 'gguf',
        sort: options.sort ?? 'downloads',
        limit: String(Math.min(options.limit ?? 20, 100)),
      });
      if (options.query) params.set('search', options.query);
      if (options.author) params.set('author', options.author);
      for (const e of ['downloads', 'likes', 'tags', 'gated', 'lastModified', 'author'])
        params.append('expand', e);
      url = `${this.endpoint}/api/models?${params}`;
    }
    const response = await this.request(url, {}, 'search');
    const body = (await response.json()) as RawModel[];
    const next = /<(https?:\/\/[^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    return { models: body.map((m) => this.toSummary(m)), next };
  }

  async modelInfo(repo: string, revision = 'main'): Promise<HubModelInfo> {
    validateRepoId(repo);
    const url = `${this.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const raw = (await (await this.request(url, {}, repo)).json()) as RawModel;
    return {
      ...this.toSummary(raw),
      sha: raw.sha ?? revision,
      files: (raw.siblings ?? []).map((s) => ({
        path: s.rfilename,
        size: s.lfs?.size ?? s.size ?? 0,
        sha256: s.lfs?.sha256 ?? null,
      })),
      gguf: raw.gguf
        ? {
            parameters: raw.gguf.total ?? null,
            architecture: raw.gguf.architecture ?? null,
            contextLength: raw.gguf.context_length ?? null,
            hasChatTemplate: !!raw.gguf.chat_template,
          }
        : null,
    };
  }

  resolveUrl(repo: string, revision: string, path: string): string {
    return `${this.endpoint}/${validateRepoId(repo)}/resolve/${encodeURIComponent(revision)}/${encodePath(validateRepoPath(path))}`;
  }

  /** HEAD on resolve, without following the redirect: the 302 carries the commit, sha256 and size. */
  async fileMetadata(repo: string, revision: string, path: string): Promise<FileMetadata> {
    const url = this.resolveUrl(repo, revision, path);
    const response = await this.request(url, { method: 'HEAD', redirect: 'manual' }, `${repo}/${path}`);
    const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '')
      .replace(/^W\//, '')
      .replace(/"/g, '');
    const size = Number(response.headers.get('x-linked-size') ?? response.headers.get('content-length'));
    const commit = response.headers.get('x-repo-commit');
    if (!commit || !etag || !Number.isFinite(size))
      throw new AppError(
        'INTERNAL',
        `${repo}/${path}: the Hub's answer lacks the file's commit, hash or size`,
      );
    const location = response.headers.get('location');
    return { commit, etag, size, location: location ? new URL(location, url).toString() : url };
  }
}
