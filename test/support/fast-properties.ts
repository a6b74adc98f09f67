import { setFlagsFromString } from 'node:v8';

let check: ((o: object) => boolean) | undefined;

/**
 * V8's own test of whether an object still has fast properties or fell back to a dictionary (slower for every
 * read and write of it). The flag lets the one function compiled here use V8's natives syntax; nothing else changes.
 */
export function hasFastProperties(o: object): boolean {
  if (!check) {
    setFlagsFromString('--allow-natives-syntax');
    check = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
  }
  return check(o);
}
