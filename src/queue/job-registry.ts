import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { APP_CONFIG, AppConfig, runsWorkers } from '@app/config/app-config';
import { JOB_HANDLER } from './job-handler.decorator';
import { JOB_KINDS, JobKind } from './job-kinds';
import { HandlesJob } from './job-types';

interface FoundHandler {
  kind: JobKind;
  name: string;
  handler: HandlesJob<JobKind>;
}

/**
 * The handler of each job kind: the providers marked @JobHandler(kind), found when
 * the modules initialise. Start-up fails when a kind has two handlers, and, in a
 * process that runs jobs (ROLE=worker|all), when a kind of JOB_KINDS has none:
 * better than rows that fail one by one at run time.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, HandlesJob<JobKind>>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const byKind = new Map<JobKind, FoundHandler[]>();
    for (const found of this.discover()) byKind.set(found.kind, [...(byKind.get(found.kind) ?? []), found]);
    for (const [kind, found] of byKind) {
      if (found.length > 1) throw new Error(`job kind ${kind} has ${found.length} handlers (${found.map((f) => f.name).join(', ')}); it needs exactly one`);
    }
    if (runsWorkers(this.config)) {
      const missing = JOB_KINDS.filter((kind) => !byKind.has(kind));
      if (missing.length > 0) throw new Error(`no handler for job kind ${missing.join(', ')}: a provider marked @JobHandler(kind) must handle each kind of JOB_KINDS`);
    }
    for (const [kind, [found]] of byKind) this.handlers.set(kind, found.handler);
  }

  get(kind: string): HandlesJob<JobKind> | undefined {
    return this.handlers.get(kind);
  }

  private discover(): FoundHandler[] {
    return this.discovery.getProviders({ metadataKey: JOB_HANDLER.KEY }).flatMap((wrapper) => {
      const meta = this.discovery.getMetadataByDecorator(JOB_HANDLER, wrapper);
      const handler = wrapper.instance as HandlesJob<JobKind> | undefined;
      if (!meta || !handler) return [];
      return [{ kind: meta.kind, name: wrapper.name, handler }];
    });
  }
}
