import { blankConditionRow } from './condition-rows';
import { JiraForm } from './jira-settings-form';
import { blankCustomField, blankRoute } from './routes-form';
import { blankValueMap, blankValueMapRow } from './value-maps-form';

/**
 * The editors' buttons without JavaScript: each is a submit button `name="action"` whose value
 * says what to do to which list, by the same paths as the fields: `add:routes`,
 * `up:routes[2]`, `down:routes[0]`, `remove:routes[1].when[0]`. The page comes back with the
 * change made and everything else as typed, unsaved.
 */
export interface ListAction {
  verb: 'add' | 'remove' | 'up' | 'down';
  /** The list (`add`) or the item (the others). */
  path: string;
}

interface EditableList {
  items: unknown[];
  blank: () => unknown;
  /** The field of an item that gets the focus after the change. */
  firstField: string;
}

/** The lists of the form the buttons edit, by path. */
function listAt(form: JiraForm, path: string): EditableList | null {
  let m: RegExpExecArray | null;
  if (path === 'routes') return { items: form.routes, blank: blankRoute, firstField: 'name' };
  if (path === 'createRules.when') return { items: form.createWhen, blank: blankConditionRow, firstField: 'attribute' };
  if (path === 'valueMaps') return { items: form.valueMaps, blank: blankValueMap, firstField: 'name' };
  if ((m = /^routes\[(\d+)\]\.(when|customFields)$/.exec(path))) {
    const route = form.routes[Number(m[1])];
    if (!route) return null;
    return m[2] === 'when' ? { items: route.when, blank: blankConditionRow, firstField: 'attribute' } : { items: route.customFields, blank: blankCustomField, firstField: 'field' };
  }
  if ((m = /^valueMaps\[(\d+)\]\.rows$/.exec(path))) {
    const map = form.valueMaps[Number(m[1])];
    return map ? { items: map.rows, blank: blankValueMapRow, firstField: 'key' } : null;
  }
  return null;
}

export function parseListAction(value: unknown): ListAction | null {
  const m = typeof value === 'string' ? /^(add|remove|up|down):(.{1,200})$/.exec(value) : null;
  return m ? { verb: m[1] as ListAction['verb'], path: m[2] } : null;
}

/**
 * Applies `action` to `form` in place. Returns what to focus on the page that comes back, so
 * the person sees what changed: a field's name, or an Add button's value (`add:routes`); '' when
 * nothing; null when the action names no list or item of this form.
 */
export function applyListAction(form: JiraForm, action: ListAction): string | null {
  if (action.verb === 'add') {
    const list = listAt(form, action.path);
    if (!list) return null;
    list.items.push(list.blank());
    return `${action.path}[${list.items.length - 1}].${list.firstField}`;
  }
  const item = /^(.+)\[(\d{1,6})\]$/.exec(action.path);
  const list = item && listAt(form, item[1]);
  if (!item || !list) return null;
  const index = Number(item[2]);
  if (index >= list.items.length) return null;
  if (action.verb === 'remove') {
    list.items.splice(index, 1);
    // The list's Add button: the page stays where the row was.
    return `add:${item[1]}`;
  }
  const to = action.verb === 'up' ? index - 1 : index + 1;
  if (to < 0 || to >= list.items.length) return '';
  [list.items[index], list.items[to]] = [list.items[to], list.items[index]];
  return `${item[1]}[${to}].${list.firstField}`;
}

/** The blank items the page offers ui.js as templates (the same as the buttons add). */
export const LIST_BLANKS = {
  condition: blankConditionRow(),
  customField: blankCustomField(),
  route: blankRoute(),
  valueMap: blankValueMap(),
  valueMapRow: blankValueMapRow(),
};
