import { ExecutionContext, Type } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

// The argument hosts' types, through the public ExecutionContext (@nestjs/common does not export them).
type HttpArgumentsHost = ReturnType<ExecutionContext['switchToHttp']>;
type RpcArgumentsHost = ReturnType<ExecutionContext['switchToRpc']>;
type WsArgumentsHost = ReturnType<ExecutionContext['switchToWs']>;

/**
 * The ExecutionContext a guard sees for a direct route: the HTTP request of the controller
 * method the route serves, so guards read that method's metadata (@Public, @IngestTokenAllowed...)
 * exactly as they do when Nest's router calls them. Built on the public interface only.
 */
export class DirectRouteContext implements ExecutionContext {
  private readonly args: [Request, Response, NextFunction];

  constructor(
    req: Request,
    res: Response,
    next: NextFunction,
    private readonly controller: Type<unknown>,
    private readonly handler: (...args: unknown[]) => unknown,
  ) {
    this.args = [req, res, next];
  }

  getClass<T = unknown>(): Type<T> {
    return this.controller as Type<T>;
  }

  getHandler(): (...args: unknown[]) => unknown {
    return this.handler;
  }

  getArgs<T extends unknown[] = unknown[]>(): T {
    return this.args as unknown as T;
  }

  getArgByIndex<T = unknown>(index: number): T {
    return this.args[index] as T;
  }

  getType<T extends string = 'http'>(): T {
    return 'http' as T;
  }

  switchToHttp(): HttpArgumentsHost {
    const [req, res, next] = this.args;
    return { getRequest: <T>() => req as T, getResponse: <T>() => res as T, getNext: <T>() => next as T };
  }

  switchToRpc(): RpcArgumentsHost {
    return { getData: <T>() => this.args[0] as T, getContext: <T>() => this.args[1] as T };
  }

  switchToWs(): WsArgumentsHost {
    return { getData: <T>() => this.args[0] as T, getClient: <T>() => this.args[1] as T, getPattern: () => '' };
  }
}
