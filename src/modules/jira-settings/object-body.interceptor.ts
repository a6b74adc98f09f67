import { BadRequestException, CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request } from 'express';
import { Observable } from 'rxjs';
import { droppedKeyProblem } from './domain/value-maps-problem';

/**
 * Refuses a JSON body that is not an object (an array, notably, which the body
 * parser accepts) before validation, which would otherwise list every member as
 * missing; and value map keys the validation pipe would silently delete
 * (`constructor`…). Interceptors run before pipes.
 */
@Injectable()
export class ObjectBodyInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body: unknown = ctx.switchToHttp().getRequest<Request>().body;
    if (Array.isArray(body) || (body !== undefined && (typeof body !== 'object' || body === null))) {
      throw new BadRequestException(['body must be a JSON object']);
    }
    const dropped = body && droppedKeyProblem((body as { valueMaps?: unknown }).valueMaps);
    if (dropped) throw new BadRequestException([dropped]);
    return next.handle();
  }
}
