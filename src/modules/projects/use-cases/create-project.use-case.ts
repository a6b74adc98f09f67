import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { generateToken, hashToken } from '@app/common/crypto';
import { pgCode } from '@app/common/errors/database-errors';
import { conflict } from '@app/common/errors/domain-error';
import { ProjectEntity } from '@app/database/entities';
import { CreateProjectDto } from '@app/modules/projects/dto/create-project.dto';
import { ProjectResponseDto, ProjectWithTokenResponseDto } from '@app/modules/projects/dto/project-response.dto';

export const INGEST_TOKEN_PREFIX = 'cb_ing_';

@Injectable()
export class CreateProjectUseCase {
  constructor(@InjectRepository(ProjectEntity) private readonly repo: Repository<ProjectEntity>) {}

  async execute(dto: CreateProjectDto): Promise<ProjectWithTokenResponseDto> {
    const ingestToken = generateToken(INGEST_TOKEN_PREFIX);
    try {
      const saved = await this.repo.save(this.repo.create({ key: dto.key, name: dto.name, ingestTokenHash: hashToken(ingestToken) }));
      return { ...ProjectResponseDto.from(saved), ingestToken };
    } catch (err) {
      if (err instanceof QueryFailedError && pgCode(err) === '23505') {
        throw conflict('PROJECT_KEY_TAKEN', `key '${dto.key}' is already used by another project`, 'key');
      }
      throw err;
    }
  }
}
