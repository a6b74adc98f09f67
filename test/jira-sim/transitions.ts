// GET/POST /issue/{id}/transitions over the store's workflow, and the same move made by a person in Jira's UI.
import type { UserDef } from './data';
import { resolutionJson, statusJson, versionJson } from './render';
import { RestCtx, mustIssue, noContent, ok } from './router';
import type { SimStore } from './store';
import type { SimIssue } from './types';
import { fail, isObject } from './util';
import { coerceValue } from './validation';
import { ResolutionDef, TransitionDef, allowedResolutions, availableTransitions, screenFields } from './workflows';

const cannotSet = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
const currentStatus = (issue: SimIssue) => (issue.fields.status as { id: string }).id;

function screenFieldsJson(store: SimStore, issue: SimIssue, t: TransitionDef) {
  const project = store.project(issue.projectKey)!;
  const out: Record<string, unknown> = {};
  for (const id of screenFields(store.workflow, t)) {
    if (id === 'resolution') {
      out.resolution = {
        required: store.workflow.strict,
        schema: { type: 'resolution', system: 'resolution' },
        name: 'Resolution',
        key: 'resolution',
        fieldId: 'resolution',
        hasDefaultValue: false,
        operations: ['set'],
        allowedValues: allowedResolutions(store.workflow, t).map((r) => resolutionJson(store, r)),
      };
    } else {
      out.fixVersions = {
        required: false,
        schema: { type: 'array', items: 'version', system: 'fixVersions' },
        name: 'Fix versions',
        key: 'fixVersions',
        fieldId: 'fixVersions',
        hasDefaultValue: false,
        operations: ['set', 'add', 'remove'],
        allowedValues: project.versions.filter((v) => !v.archived).map((v) => versionJson(store, v, project.id)),
      };
    }
  }
  return out;
}

export function listTransitions(c: RestCtx) {
  const issue = mustIssue(c.store, c.params[0]);
  // Jira hides the transitions a user may not perform.
  if (!c.store.permissions.has('TRANSITION_ISSUES')) return ok({ expand: 'transitions', transitions: [] });
  const expandFields = (c.query.get('expand') ?? '').split(',').includes('transitions.fields');
  const list = availableTransitions(c.store.workflow, currentStatus(issue)).map((t) => ({
    id: t.id,
    name: t.name,
    to: statusJson(c.store, c.store.status(t.to)!),
    hasScreen: screenFields(c.store.workflow, t).length > 0,
    isGlobal: t.from === 'any',
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
    ...(expandFields ? { fields: screenFieldsJson(c.store, issue, t) } : {}),
  }));
  return ok({ expand: 'transitions', transitions: list });
}

interface Move {
  values: Record<string, unknown>;
  resolution: ResolutionDef | 'auto' | 'clear' | 'keep';
  resolutionName?: string;
}

/** Checks `fields` against the transition's screen, with Jira's messages. */
function screenValues(store: SimStore, issue: SimIssue, t: TransitionDef, fields: Record<string, unknown>): Move {
  const w = store.workflow;
  const onScreen = screenFields(w, t);
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let chosen: ResolutionDef | undefined;
  for (const [id, v] of Object.entries(fields)) {
    if (!onScreen.includes(id as 'resolution')) {
      errors[id] = cannotSet(id);
    } else if (id === 'resolution') {
      const ref = isObject(v) ? String(v.id ?? v.name ?? '') : '';
      chosen = allowedResolutions(w, t).find((r) => r.id === ref || r.name === ref);
      if (!chosen) errors.resolution = `Could not find valid 'id' or 'name' in resolution object.`;
    } else {
      const r = coerceValue(store, store.project(issue.projectKey)!, store.field(id)!, v);
      if ('error' in r) errors[id] = r.error;
      else values[id] = r.value;
    }
  }
  if (w.strict && onScreen.includes('resolution') && !chosen && !errors.resolution) errors.resolution = 'Field Resolution is required.';
  if (Object.keys(errors).length) fail(400, [], errors);
  if (!w.strict) return { values, resolution: 'auto', resolutionName: chosen?.name };
  return { values, resolution: chosen ?? t.onResolution ?? 'keep' };
}

export function doTransition(c: RestCtx) {
  const issue = mustIssue(c.store, c.params[0]);
  c.store.permissions.require('TRANSITION_ISSUES');
  const body = isObject(c.body) ? c.body : {};
  const id = isObject(body.transition) ? String(body.transition.id ?? '') : '';
  if (!id) fail(400, "Missing 'transition' identifier");
  const t = availableTransitions(c.store.workflow, currentStatus(issue)).find((x) => x.id === id);
  if (!t) fail(400, `Transition id '${id}' is not valid for this issue.`);
  const move = screenValues(c.store, issue, t, isObject(body.fields) ? body.fields : {});
  const update = isObject(body.update) ? body.update : {};
  const comments = Array.isArray(update.comment) ? (update.comment as Array<Record<string, unknown>>) : [];
  const comment = comments.map((x) => (isObject(x?.add) ? x.add.body : undefined)).find((b) => typeof b === 'string') as string | undefined;
  if (comment !== undefined) c.store.permissions.require('ADD_COMMENTS');
  c.store.transition(issue, c.store.status(t.to)!, move.values, c.actor, move.resolution, move.resolutionName);
  if (comment !== undefined) c.store.addComment(issue, comment, c.actor);
  return noContent();
}

/**
 * A person moves the issue in Jira's UI: in a strict workflow only along a transition the current status offers,
 * picking `resolution` (default: Fixed or Done when offered, else the first) when the screen asks for one.
 */
export function uiTransition(store: SimStore, issue: SimIssue, statusName: string, values: Record<string, unknown>, actor: UserDef, resolution?: string): void {
  const to = store.status(statusName) ?? fail(400, `Unknown status '${statusName}'`);
  if (currentStatus(issue) === to.id) throw new Error(`${issue.key} is already in status '${to.name}'`);
  const w = store.workflow;
  if (!w.strict) return store.transition(issue, to, values, actor, 'auto', resolution);
  const t = availableTransitions(w, currentStatus(issue)).find((x) => x.to === to.id);
  if (!t) throw new Error(`The workflow '${w.name}' has no transition from '${(issue.fields.status as { name: string }).name}' to '${to.name}'`);
  let choice: Move['resolution'] = t.onResolution ?? 'keep';
  if (screenFields(w, t).includes('resolution')) {
    const allowed = allowedResolutions(w, t);
    const pick = resolution ? allowed.find((r) => r.name === resolution) : allowed.find((r) => r.name === 'Fixed') ?? allowed.find((r) => r.name === 'Done') ?? allowed[0];
    if (!pick) throw new Error(`Resolution '${String(resolution)}' is not offered by '${t.name}'`);
    choice = pick;
  }
  store.transition(issue, to, values, actor, choice);
}
