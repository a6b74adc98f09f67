import { ApiProperty } from '@nestjs/swagger';
import { ProjectEntity } from '@app/database/entities';

export class ProjectResponseDto {
  @ApiProperty({ example: 'checkout-web' })
  key: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static from(p: ProjectEntity): ProjectResponseDto {
    return { key: p.key, name: p.name, createdAt: p.createdAt.toISOString() };
  }
}

/** Only returned on creation and rotation: the token is never stored in clear. */
export class ProjectWithTokenResponseDto extends ProjectResponseDto {
  @ApiProperty({ description: 'The ingest token, shown in this answer only (only its hash is stored)' })
  ingestToken: string;
}
