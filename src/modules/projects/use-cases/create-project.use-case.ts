import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { generateToken, hashToken } from '@app/common/crypto';
import { pgCode } from '@app/common/errors/database-errors';
import { conflict } from '@app/common/errors/domain-error';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { CreateProjectDto } from '@app/modules/projects/dto/create-project.dto';
import { ProjectResponseDto, ProjectWithTokenResponseDto } from '@app/modules/projects/dto/project-response.dto';

export const INGEST_TOKEN_PREFIX = 'cb_ing_';

@Injectable()
export class CreateProjectUseCase {
  constructor(private readonly projects: ProjectRepository) {}

  async execute(dto: CreateProjectDto): Promise<ProjectWithTokenResponseDto> {
    const ingestToken = generateToken(INGEST_TOKEN_PREFIX);
    try {
      const saved = await this.projects.insert({ key: dto.key, name: dto.name, ingestTokenHash: hashToken(ingestToken) });
      return { ...ProjectResponseDto.from(saved), ingestToken };
    } catch (err) {
      if (err instanceof QueryFailedError && pgCode(err) === '23505') {
        throw conflict('PROJECT_KEY_TAKEN', `key '${dto.key}' is already used by another project`, 'key');
      }
      throw err;
    }
  }
}
