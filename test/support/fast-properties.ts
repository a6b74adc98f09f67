import { setFlagsFromString } from 'node:v8';

/**
 * V8's own test of whether an object still has fast properties or fell back to a dictionary (slower for every
 * read and write of it). The flag lets this one function use V8's natives syntax; nothing else changes.
 */
export function hasFastProperties(o: object): boolean {
  setFlagsFromString('--allow-natives-syntax');
  return (new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean)(o);
}
