import { ProjectEntity } from '@app/database/entities';

export class ProjectResponseDto {
  key: string;
  name: string;
  createdAt: string;

  static from(p: ProjectEntity): ProjectResponseDto {
    return { key: p.key, name: p.name, createdAt: p.createdAt.toISOString() };
  }
}

/** Only returned on creation and rotation: the token is never stored in clear. */
export class ProjectWithTokenResponseDto extends ProjectResponseDto {
  ingestToken: string;
}
