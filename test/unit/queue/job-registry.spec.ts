import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, AppConfig, Role } from '@app/config/app-config';
import { ReopenJiraJob } from '@app/modules/regression/reopen-jira.job';
import { JiraWebhookJob } from '@app/modules/sync/inbound/jira-webhook.job';
import { OutboundSyncJob } from '@app/modules/sync/outbound/outbound-sync.job';
import { ResyncJob } from '@app/modules/sync/resync/resync.job';
import { PruneJob } from '@app/modules/retention/prune.job';
import { PostNoteJob } from '@app/modules/comments/post-note.job';
import { DeliverNotificationsJob } from '@app/modules/notifications/delivery/deliver-notifications.job';
import { CreateTicketJob } from '@app/modules/tickets/creation/create-ticket.job';
import { BackfillJob } from '@app/modules/tickets/backfill/backfill.job';
import { ImportJob } from '@app/modules/tickets/import/import.job';
import { BacklinkJob } from '@app/modules/tickets/linking/backlink.job';
import { JOB_HANDLER, JobHandler } from '@app/queue/job-handler.decorator';
import { JOB_KINDS, JobKind, JobPayloads } from '@app/queue/job-kinds';
import { JobRegistry } from '@app/queue/job-registry';
import { HandlesJob } from '@app/queue/job-types';
import { MilestoneCommentJob } from '@app/modules/issue-updates/milestone-comment.job';
import { UpdateFieldsJob } from '@app/modules/issue-updates/update-fields.job';

/** A handler class for one kind that records what it was given. */
function handlerFor<K extends JobKind>(kind: K) {
  @Injectable()
  @JobHandler(kind)
  class TestHandler implements HandlesJob<K> {
    readonly seen: Array<JobPayloads[K]> = [];
    async handle(payload: JobPayloads[K]): Promise<void> {
      this.seen.push(payload);
    }
  }
  Object.defineProperty(TestHandler, 'name', { value: `Handler_${kind}` });
  return TestHandler;
}

async function startRegistry(role: Role, handlers: Array<new (...args: never[]) => unknown>): Promise<JobRegistry> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobRegistry, { provide: APP_CONFIG, useValue: { role } as AppConfig }, ...handlers],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(JobRegistry);
}

const allBut = (...left: JobKind[]) => JOB_KINDS.filter((k) => !left.includes(k)).map((k) => handlerFor(k));

describe('JobRegistry', () => {
  it('finds one @JobHandler provider per kind', async () => {
    const registry = await startRegistry('all', allBut());
    for (const kind of JOB_KINDS) expect(registry.get(kind)).toBeDefined();
    expect(registry.get('no.such.job')).toBeUndefined();
    await registry.get('jira.sync')!.handle({ groupId: '7' }, undefined as never);
    expect((registry.get('jira.sync') as unknown as { seen: unknown[] }).seen).toEqual([{ groupId: '7' }]);
  });

  it.each<Role>(['all', 'worker'])('refuses to start a process with ROLE=%s when a kind has no handler, naming the kind', async (role) => {
    await expect(startRegistry(role, allBut('jira.regression'))).rejects.toThrow('no handler for job kind jira.regression');
  });

  it('lets a process with ROLE=api start without handlers: it runs no jobs', async () => {
    const registry = await startRegistry('api', []);
    expect(registry.get('ticket.create')).toBeUndefined();
  });

  it.each<Role>(['all', 'api'])('refuses two handlers of one kind (ROLE=%s), naming the kind and both classes', async (role) => {
    const second = handlerFor('ticket.create');
    Object.defineProperty(second, 'name', { value: 'SecondTicketHandler' });
    await expect(startRegistry(role, [...allBut(), second])).rejects.toThrow(
      'job kind ticket.create has 2 handlers (Handler_ticket.create, SecondTicketHandler); it needs exactly one',
    );
  });

  it("the service's job classes handle every kind of the list, each kind once", () => {
    const classes = [
      CreateTicketJob, OutboundSyncJob, JiraWebhookJob, ReopenJiraJob, ResyncJob, PruneJob, PostNoteJob, BackfillJob, ImportJob, BacklinkJob,
      DeliverNotificationsJob, UpdateFieldsJob, MilestoneCommentJob,
    ];
    const kinds = classes.map((c) => (Reflect.getMetadata(JOB_HANDLER.KEY, c) as { kind: JobKind }).kind);
    expect([...kinds].sort()).toEqual([...JOB_KINDS].sort());
  });
});
