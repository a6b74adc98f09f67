import { Global, Module } from '@nestjs/common';
import { REPOSITORIES } from './repositories';

/** The repositories, available to every feature module without importing this one. */
@Global()
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class DatabaseModule {}
