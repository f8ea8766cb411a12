import type { AppInfo } from '../../../shared/contract';

export interface RuntimeFacts {
  runtime: AppInfo['runtime'];
  version: string;
  dataDir: string;
  versions: { node: string; electron?: string; chrome?: string };
  platform?: string;
  arch?: string;
}

export class AppInfoService {
  constructor(
    private readonly facts: RuntimeFacts,
    private readonly startedAt: number,
  ) {}

  info(): AppInfo {
    const { facts } = this;
    return {
      name: 'Hearth',
      version: facts.version,
      platform: facts.platform ?? process.platform,
      arch: facts.arch ?? process.arch,
      dataDir: facts.dataDir,
      runtime: facts.runtime,
      versions: {
        node: facts.versions.node,
        electron: facts.versions.electron ?? null,
        chrome: facts.versions.chrome ?? null,
      },
      startedAt: this.startedAt,
    };
  }
}
