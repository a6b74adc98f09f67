import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GroupCommentRow } from '@app/database/repositories/group-comment.repository';
import { Str } from '@app/modules/jira-settings/dto/validators';
import { MARKER_SUFFIX_CHARS } from '@app/modules/jira/client';

/** Jira Cloud's limit for a comment body (Data Center's default is the same). */
export const JIRA_COMMENT_MAX_CHARS = 32_767;
/** A note's Jira copy carries our marker line, so a note may use the limit less that line. */
export const NOTE_MAX_CHARS = JIRA_COMMENT_MAX_CHARS - MARKER_SUFFIX_CHARS;

export class AddCommentDto {
  /** The note's text (Jira wiki markup when it becomes a Jira comment). */
  @ApiProperty({ maxLength: NOTE_MAX_CHARS, example: 'Seen again after the 2.4 rollout; looking into it.' })
  @Str({ max: NOTE_MAX_CHARS, required: true })
  body: string;
}

export class CommentDto {
  @ApiProperty({ example: '42' })
  id: string;
  /** `jira`: a comment made in Jira; `local`: a note added here (also posted to Jira when comments.outbound is on). */
  @ApiProperty({ enum: ['jira', 'local'] })
  source: 'jira' | 'local';
  @ApiProperty({ example: 'Ada Lovelace' })
  author: string;
  @ApiProperty()
  body: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  /** The Jira comment's id: a Jira comment's, or a note's once posted. */
  @ApiPropertyOptional({ example: '10100' })
  jiraCommentId?: string;

  static from(r: GroupCommentRow): CommentDto {
    return {
      id: r.id, source: r.source, author: r.author, body: r.body, createdAt: r.createdAt.toISOString(),
      ...(r.jiraCommentId ? { jiraCommentId: r.jiraCommentId } : {}),
    };
  }
}

export class CommentListDto {
  /** Oldest first; comments deleted in Jira are left out. */
  @ApiProperty({ type: [CommentDto] })
  items: CommentDto[];
}
