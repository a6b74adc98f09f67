import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'projects' })
export class ProjectEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** sha256 of the ingest token; the token itself is shown once and never stored. */
  @Column({ name: 'ingest_token_hash', type: 'char', length: 64, unique: true })
  ingestTokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
