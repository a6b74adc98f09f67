import { Injectable } from '@nestjs/common';
import { generateToken, hashToken } from '@app/common/crypto';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { ProjectResponseDto, ProjectWithTokenResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { INGEST_TOKEN_PREFIX } from './create-project.use-case';

/** Issues a new ingest token; the old one stops working at once. */
@Injectable()
export class RotateIngestTokenUseCase {
  constructor(
    private readonly rows: ProjectRepository,
    private readonly projects: ProjectsService,
  ) {}

  async execute(key: string): Promise<ProjectWithTokenResponseDto> {
    const project = await this.projects.getByKey(key);
    const ingestToken = generateToken(INGEST_TOKEN_PREFIX);
    project.ingestTokenHash = hashToken(ingestToken);
    const saved = await this.rows.save(project);
    return { ...ProjectResponseDto.from(saved), ingestToken };
  }
}
