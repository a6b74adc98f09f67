import { Controller, Get, INestApplication, LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { serveOpenApi } from '@app/common/http/openapi-docs';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class DocsTestModule {}

/** Every log call, with its arguments. */
function recordingLogger() {
  const calls: Array<{ level: string; args: unknown[] }> = [];
  const at = (level: string) => (...args: unknown[]) => void calls.push({ level, args });
  const logger: LoggerService = { log: at('log'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('verbose') };
  return { logger, calls };
}

describe('serveOpenApi (#19 item 11: /docs-json while the document cannot be built)', () => {
  let app: INestApplication;

  async function start(build: () => OpenAPIObject, logger: LoggerService) {
    app = await NestFactory.create(DocsTestModule, { logger: false });
    serveOpenApi(app, build, logger);
    await app.init();
    return app.getHttpServer();
  }
  afterEach(async () => {
    await app?.close();
  });

  it('logs one line without a stack, builds once, and answers 503 DOCS_UNAVAILABLE on every docs request', async () => {
    const { logger, calls } = recordingLogger();
    let builds = 0;
    const server = await start(() => {
      builds++;
      throw new Error('circular dependency in SomeDto');
    }, logger);
    for (const path of ['/docs-json', '/docs-json', '/docs', '/docs-json']) {
      const res = await request(server).get(path).expect(503);
      expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', code: 'DOCS_UNAVAILABLE', message: [expect.any(String)] });
    }
    expect(builds).toBe(1);
    expect(calls).toEqual([{ level: 'error', args: ['the OpenAPI document could not be built: circular dependency in SomeDto'] }]);
    await request(server).get('/ping').expect(200, { ok: true });
  });

  it('serves a document that builds, built once', async () => {
    const { logger, calls } = recordingLogger();
    let builds = 0;
    const doc: OpenAPIObject = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {} };
    const server = await start(() => {
      builds++;
      return doc;
    }, logger);
    expect((await request(server).get('/docs-json').expect(200)).body).toMatchObject({ info: { title: 't' } });
    await request(server).get('/docs-json').expect(200);
    await request(server).get('/docs').expect(200);
    expect(builds).toBe(1);
    expect(calls).toEqual([]);
  });
});
