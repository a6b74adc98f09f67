import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { LinkedIssuesService } from '@app/modules/tickets/linking/linked-issues.service';
import { GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { GroupsService } from '@app/modules/ingestion/groups.service';

/** GET /api/v1/projects/:key/groups/:fingerprint: the group with its linked ticket. */
@Injectable()
export class GetGroupUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly groups: GroupsService,
    private readonly linked: LinkedIssuesService,
  ) {}

  async execute(projectKey: string, fingerprint: string): Promise<GroupResponseDto> {
    const project = await this.projects.getByKey(projectKey);
    const group = await this.groups.get(project.id, fingerprint);
    const tickets = await this.linked.viewsFor(this.dataSource.manager, [group]);
    return GroupResponseDto.from(group, tickets.get(group.id) ?? null);
  }
}
