import { DynamicModule, Global, Module } from '@nestjs/common';
import { LOG_LEVEL } from '@app/common/logging/log-levels';
import { APP_CONFIG, AppConfig } from './app-config';

/** Exposes the AppConfig validated in main.ts to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: LOG_LEVEL, useValue: config.logLevel }],
      exports: [APP_CONFIG, LOG_LEVEL],
    };
  }
}
