import { Transform } from 'class-transformer';
import { valueMapsProblem } from '@app/modules/jira-settings/domain/value-maps-problem';
import { PathRule } from './validators';

/**
 * `valueMaps`: named string → string maps for templates (`{{map "severity" $severity}}`, `*` the fallback).
 * Its keys are data, not members, so there is no class: the value is taken as sent (class-transformer's copy
 * would silently drop keys named like Object.prototype members, such as `constructor`) and checked whole.
 */
export const IsValueMaps = () => (target: object, key: string) => {
  Transform(({ obj }) => (obj as Record<string, unknown>)[key])(target, key);
  PathRule(valueMapsProblem)(target, key);
};
