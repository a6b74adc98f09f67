import { Injectable } from '@nestjs/common';
import { notFound } from '@app/common/errors/domain-error';
import { GroupCommentRepository } from '@app/database/repositories/group-comment.repository';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { CommentDto, CommentListDto } from '@app/modules/comments/dto/comment.dto';

/** GET …/groups/{fingerprint}/comments: Jira's comments and the notes added here, oldest first. */
@Injectable()
export class ListCommentsUseCase {
  constructor(
    private readonly groups: GroupQueryRepository,
    private readonly comments: GroupCommentRepository,
  ) {}

  async execute(projectId: string, fingerprint: string): Promise<CommentListDto> {
    const group = await this.groups.findByFingerprint(projectId, fingerprint);
    if (!group) throw notFound('GROUP_NOT_FOUND', `group '${fingerprint}' not found`);
    return { items: (await this.comments.listForGroup(group.id)).map(CommentDto.from) };
  }
}
