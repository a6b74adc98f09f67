import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { AddCommentDto, CommentDto, CommentListDto } from './dto/comment.dto';
import { AddNoteUseCase } from './use-cases/add-note.use-case';
import { ListCommentsUseCase } from './use-cases/list-comments.use-case';

@ApiTags('comments')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/groups/:fingerprint/comments')
export class CommentsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly list: ListCommentsUseCase,
    private readonly addNote: AddNoteUseCase,
  ) {}

  @Get()
  @ApiOkResponse({ type: CommentListDto })
  @ApiErrors(404)
  async get(@Param('key') key: string, @Param('fingerprint') fingerprint: string): Promise<CommentListDto> {
    const project = await this.projects.getByKey(key);
    return this.list.execute(project.id, fingerprint);
  }

  /** A note on the group; with comments.outbound on and a linked issue, it also becomes a Jira comment (once). */
  @Post()
  @ApiCreatedResponse({ type: CommentDto })
  @ApiErrors(400, 404)
  async add(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() dto: AddCommentDto): Promise<CommentDto> {
    const project = await this.projects.getByKey(key);
    return this.addNote.execute(project.id, fingerprint, dto.body, 'API', 'api');
  }
}
