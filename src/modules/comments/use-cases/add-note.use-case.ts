import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivitySource } from '@app/database/entities';
import { GroupCommentRepository } from '@app/database/repositories/group-comment.repository';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { CommentDto } from '@app/modules/comments/dto/comment.dto';
import { noteMarker } from '@app/modules/jira/client';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { lockGroup } from '@app/modules/tickets/linking/group-lookup';

/**
 * POST …/groups/{fingerprint}/comments: a note on the group. When comments.outbound is on and the group has a
 * Jira issue, the note's `comment.post` job is written in the same transaction, so it is posted exactly once
 * (see PostNoteJob) even if the process stops right after the answer.
 */
@Injectable()
export class AddNoteUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly comments: GroupCommentRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly outbox: OutboxService,
    private readonly activity: ActivityService,
  ) {}

  async execute(projectId: string, fingerprint: string, body: string, author: string, source: ActivitySource): Promise<CommentDto> {
    const { note, queued } = await inTransaction(this.dataSource, async (m) => {
      const group = await lockGroup(this.groups, m, projectId, fingerprint);
      const note = await this.comments.addNote(m, projectId, group.id, author, body, noteMarker);
      const settings = await this.integrations.findSettings(projectId, m);
      const queued = !!group.ticketRef && !!settings?.enabled && settings.comments.outbound;
      if (queued) await this.outbox.enqueue(m, { kind: 'comment.post', projectId, payload: { commentId: note.id }, dedupeKey: `comment.post:${note.id}` });
      await this.activity.record(m, {
        projectId, fingerprint, kind: 'comment.added', source,
        detail: queued ? 'Note added; it is being posted to the Jira issue' : 'Note added',
      });
      return { note, queued };
    });
    if (queued) this.outbox.kick();
    return CommentDto.from(note);
  }
}
