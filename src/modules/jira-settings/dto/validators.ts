import { Transform, Type } from 'class-transformer';
import { ValidateIf, ValidateNested, ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { JiraConfigError, normalizeApiUrl } from '@app/modules/jira/client';
import { JIRA_PROJECT_KEY, MAX_NAME } from '@app/modules/jira-settings/domain/limits';
import { compileTemplate } from '@app/modules/templates';

/** Optional, but an explicit null is an error (IsOptional would accept it and then store null). */
export const IsOptionalNotNull = () => ValidateIf((_, v) => v !== undefined);

/** Trims strings (pasted tokens and emails often carry a newline); other types pass through to fail Str. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Registers a one-off property rule; `message` gets the property name and value. */
function rule(name: string, test: (value: unknown, args: ValidationArguments) => boolean, message: (args: ValidationArguments) => string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name, target: target.constructor, propertyName, options, validator: { validate: test, defaultMessage: message } });
}

/**
 * A rule given as why a value fails (null: it passes). The message is the property's name and that reason;
 * a reason about a list entry starts with its index (`[2] must be a string` → `value[2] must be a string`).
 */
export const Problem = (name: string, problem: (value: unknown, object: object) => string | null) =>
  rule(name, (v, a) => problem(v, a.object) === null, (a) => {
    const reason = problem(a.value, a.object) ?? 'is invalid';
    return reason.startsWith('[') ? `${a.property}${reason}` : `${a.property} ${reason}`;
  });

/** What `Str` checks, in order; the first failure is the one message for the property. */
export interface StrOptions {
  max: number;
  /** Absent (or null) is an error: true → "is required", or this text. Optional members use IsOptionalNotNull instead. */
  required?: true | string;
  /** Templates may be empty; names and keys may not. */
  allowEmpty?: boolean;
  /** For values that reach HTTP headers or Jira identifiers. */
  noControl?: boolean;
  pattern?: { re: RegExp; message: string };
}

// Control characters would end up in HTTP headers (tokens, user names) or break Jira's own validation.
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `v` is not a string `Str(o)` accepts (`must be a string`, …), or null. */
export function strProblem(v: unknown, o: StrOptions): string | null {
  if (v === undefined || v === null) return o.required ? (o.required === true ? 'is required' : o.required) : 'must be a string';
  if (typeof v !== 'string') return 'must be a string';
  // PostgreSQL cannot store U+0000 (text or jsonb) nor a lone surrogate (jsonb): refuse them here, naming the member.
  if (v.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(v)) return 'must be well-formed Unicode (it has a lone UTF-16 surrogate)';
  if (!o.allowEmpty && v.trim() === '') return 'must not be empty';
  if (v.length > o.max) return `must be at most ${o.max} characters long`;
  if (o.noControl && CONTROL.test(v)) return 'must not contain control characters or line breaks';
  if (o.pattern && !o.pattern.re.test(v)) return o.pattern.message;
  return null;
}

/** A string property with one clear message (class-validator's own decorators would each add one). */
export const Str = (o: StrOptions) =>
  rule('str', (v) => strProblem(v, o) === null, (a) => `${a.property} ${strProblem(a.value, o) ?? 'is invalid'}`);

/** An integer in [min, max], with one message. */
export const Int = (min: number, max: number) =>
  rule(
    'int',
    (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    (a) => `${a.property} must be an integer from ${min} to ${max}`,
  );

/** A Handlebars + `$attribute` template that compiles; the message carries line:column from the engine. */
export const IsTemplate = () =>
  rule(
    'isTemplate',
    (v, a) => typeof v !== 'string' || compileTemplate(v, a.property).ok,
    (a) => {
      const r = compileTemplate(String(a.value), a.property);
      return r.ok ? `${a.property} is not a valid template` : r.error;
    },
  );

/** A URL that normalizeApiUrl accepts; the message is its reason (it names apiUrl and never echoes credentials). */
export const IsJiraApiUrl = () =>
  rule(
    'isJiraApiUrl',
    (v) => {
      if (typeof v !== 'string') return true;
      try {
        normalizeApiUrl(v);
        return true;
      } catch {
        return false;
      }
    },
    (a) => {
      try {
        normalizeApiUrl(String(a.value));
      } catch (err) {
        if (err instanceof JiraConfigError) return err.message;
      }
      return `${a.property} is not a valid Jira REST API URL`;
    },
  );

/** A property that belongs to one auth type only (e.g. `token` with bearer). */
export const OnlyForAuthType = (type: 'basic' | 'bearer') =>
  rule(
    'onlyForAuthType',
    (v, a) => v === undefined || (a.object as { type?: unknown }).type === type,
    (a) => `${a.property} is only used with ${type} auth`,
  );

/** An alternative spelling of `other`: sending both is ambiguous. */
export const IsAliasOf = (other: string) =>
  rule(
    'isAliasOf',
    (v, a) => v === undefined || (a.object as Record<string, unknown>)[other] === undefined,
    (a) => `${a.property} is an alias of ${other}; send only one of them`,
  );

/** A rule whose message names the path itself: the cross-entry list rules (domain/list-rules.ts), the value maps. */
export const PathRule = (problem: (value: unknown) => string | null) =>
  rule(
    `path:${problem.name}`,
    (v) => problem(v) === null,
    (a) => problem(a.value) ?? `${a.property} is invalid`,
  );

const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

function objectProblem(v: unknown, required: boolean): string | null {
  if (v === undefined || v === null) return required ? 'is required' : 'must be an object';
  return isPlainObject(v) ? null : 'must be an object';
}

/** An object member (required or not), with one message for a wrong type (named as class-validator's IsObject). */
export const Obj = (required = false) =>
  rule('isObject', (v) => objectProblem(v, required) === null, (a) => `${a.property} ${objectProblem(a.value, required) ?? 'is invalid'}`);

function listProblem(v: unknown, max: number): string | null {
  if (!Array.isArray(v)) return 'must be an array';
  return v.length > max ? `must have at most ${max} entries` : null;
}

const nonObjectEntry = (v: unknown) => (Array.isArray(v) ? v.findIndex((e) => !isPlainObject(e)) : -1);

/**
 * A list of objects, at most `max`; each entry is validated by its class (ValidateNested). The list's shape
 * is named as class-validator's IsArray (the messages about its entries are then left out), and the first
 * entry that is not an object is named by its index.
 */
export const ObjList = (max: number) => (target: object, key: string) => {
  rule('isArray', (v) => listProblem(v, max) === null, (a) => `${a.property} ${listProblem(a.value, max) ?? 'is invalid'}`)(target, key);
  rule('objectEntries', (v) => nonObjectEntry(v) < 0, (a) => `${a.property}[${nonObjectEntry(a.value)}] must be an object`)(target, key);
};

/** An object member validated by its class. */
export const Nested = (cls: () => new () => object, required = false) => (target: object, key: string) => {
  Obj(required)(target, key);
  ValidateNested()(target, key);
  Type(cls)(target, key);
};

/** A list of objects, each validated by its class. */
export const NestedList = (cls: () => new () => object, max: number) => (target: object, key: string) => {
  ObjList(max)(target, key);
  ValidateNested({ each: true })(target, key);
  Type(cls)(target, key);
};

/** A Jira project key, required; accepted in any case and stored upper-case (Jira keys are upper-case). */
export const JiraProjectKey = () => (target: object, key: string) => {
  Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))(target, key);
  Str({ max: MAX_NAME, required: true, pattern: { re: JIRA_PROJECT_KEY, message: 'must be a Jira project key: a letter, then up to 9 letters, digits or _ (e.g. CHK)' } })(target, key);
};
