import { BadRequestException } from '@nestjs/common';
import { ValidationError } from 'class-validator';

/** One validation problem: the path of the input it concerns (`routes[1].when[0].op`) and the message naming it. */
export interface ValidationProblem {
  path: string;
  message: string;
}

const WORD = /[\w$]/;

/** `parent.child`, or `parent[3]` for an entry of a list. */
function childPath(parentPath: string, property: string, parentIsList: boolean): string {
  if (parentPath === '') return property;
  return parentIsList && /^\d+$/.test(property) ? `${parentPath}[${property}]` : `${parentPath}.${property}`;
}

/** Whether an error's children are list entries; without its value (a pipe may drop it), numeric names say so. */
const isList = (e: ValidationError): boolean =>
  e.value === undefined ? (e.children ?? []).every((c) => /^\d+$/.test(c.property)) : Array.isArray(e.value);

/**
 * A constraint's message names its property (`field must be a string`, `property extra should not exist`,
 * `nested property 1 must be …`): that name becomes the full path, and so do later references to entries of
 * the same list (`customFields[2].field: already set by customFields[0]`). A message that does not name its
 * property is prefixed with the path.
 */
function withPath(message: string, property: string, path: string): string {
  if (path === property) return message;
  // class-validator's own lead-ins, which may hold the property's name as a word ("each value in value …").
  const start = /^(each value in |nested property |property )?/.exec(message)![0].length;
  if (property === '') return start > 0 ? message.slice(0, start) + path + message.slice(start) : `${path}: ${message}`;
  let out = '';
  let from = 0;
  let named = false;
  // A plain search, not a RegExp built from the name: an unknown member's name may be any text, of any length.
  for (let at = message.indexOf(property, start); at >= 0; at = message.indexOf(property, at + property.length)) {
    const end = at + property.length;
    if (WORD.test(message[at - 1] ?? '') || /[.[]/.test(message[at - 1] ?? '') || WORD.test(message[end] ?? '')) continue;
    if (named && message[end] !== '[') continue;
    out += message.slice(from, at) + path;
    from = end;
    named = true;
  }
  return named ? out + message.slice(from) : `${path}: ${message}`;
}

// A value of the wrong shape (not an object, not a list, too long a list): what is inside it is not reported.
const SHAPE_RULES = ['isObject', 'isArray'];
// class-validator's "nested property x must be either object or array", for a value another rule names better.
const NESTED = 'nestedValidation';

function collect(errors: readonly ValidationError[], parent: { path: string; isList: boolean; refused: boolean }, out: ValidationProblem[]): void {
  for (const e of errors) {
    const path = childPath(parent.path, e.property, parent.isList);
    const rules = Object.keys(e.constraints ?? {});
    for (const rule of rules) {
      if (rule === NESTED && (parent.refused || rules.length > 1)) continue;
      const message = e.constraints![rule];
      out.push({ path, message: rule === NESTED && parent.isList ? `${path} must be an object` : withPath(message, e.property, path) });
    }
    if (e.children?.length && !rules.some((r) => SHAPE_RULES.includes(r))) {
      collect(e.children, { path, isList: isList(e), refused: parent.refused || rules.length > 0 }, out);
    }
  }
}

/**
 * class-validator's error tree as a flat list, list entries in brackets (`customFields[1].field`), as the
 * API's 400 answers, the settings pages and Test connection all name them. Nest's own flattening writes
 * `customFields.1.field`.
 */
export function validationProblems(errors: readonly ValidationError[]): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  collect(errors, { path: '', isList: false, refused: false }, out);
  return out;
}

/** As Nest's ValidationPipe: the messages stop after this many characters, so a huge bad body gets a bounded answer. */
export const MAX_MESSAGES_LENGTH = 1_000_000;
export const OMITTED_MESSAGE = 'Further validation errors were omitted';

export function validationMessages(errors: readonly ValidationError[]): string[] {
  const out: string[] = [];
  let remaining = MAX_MESSAGES_LENGTH;
  for (const { message } of validationProblems(errors)) {
    remaining -= message.length;
    if (remaining < 0) return [...out, OMITTED_MESSAGE];
    out.push(message);
  }
  return out;
}

/** The 400 of a failed validation, in the shape Nest's ValidationPipe gives it (`message`: one entry per problem). */
export const validationException = (errors: ValidationError[]): BadRequestException => new BadRequestException(validationMessages(errors));
