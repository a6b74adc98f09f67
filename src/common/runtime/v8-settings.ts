// V8 settings of the service process. main.ts imports this file first, so that they hold before the
// application's code is loaded and compiled.
import { setFlagsFromString } from 'node:v8';

/**
 * Allocation-site pretenuring off. V8 sends the objects of an allocation site straight to the old generation
 * once many of them outlived a young-generation GC. Under a webhook load that took the requests in flight
 * (their request objects, bodies and parsed payloads) for long-lived ones: a third of all the service allocated
 * was promoted, garbage that waits for a full mark-compact. Off, half as much was promoted, GC took a third
 * less time and CPU per webhook fell by about a tenth (npm run bench, webhooks; bench/where-the-time-goes.md).
 */
export const V8_FLAGS = ['--no-allocation-site-pretenuring'] as const;

for (const flag of V8_FLAGS) setFlagsFromString(flag);
