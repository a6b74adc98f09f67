// Workflows: which transitions each status offers, and what their screens ask for.
//  - 'permissive' (default): every status reaches every other; a done status gets a resolution by itself.
//  - 'resolution-screen': the same statuses, but a move to a done status goes through a screen that requires
//    a resolution, and a move out of one clears it (what a company-managed Cloud project usually has).
//  - 'jira': Data Center's default workflow (Open, In Progress, Resolved, Closed, Reopened).
import { RESOLUTIONS, STATUSES, StatusDef } from './data';

export interface ResolutionDef {
  id: string;
  name: string;
}

export interface TransitionDef {
  id: string;
  name: string;
  /** status ids it starts from; 'any' = a global transition (never offered from its own target) */
  from: string[] | 'any';
  /** target status id */
  to: string;
  /** fields on its screen; a resolution on a transition screen is required, as Jira enforces */
  screen?: Array<'resolution' | 'fixVersions'>;
  /** without a screen: keep the resolution, or clear it (Jira's "Clear resolution" post function) */
  onResolution?: 'keep' | 'clear';
  /** resolution names this transition allows (jira.field.resolution.include); default: all */
  resolutions?: string[];
}

export interface SimWorkflow {
  name: string;
  statuses: StatusDef[];
  transitions: TransitionDef[];
  resolutions: ResolutionDef[];
  /** false: the permissive model (resolution derived from the target status, any screen field accepted) */
  strict: boolean;
}

export type WorkflowName = 'permissive' | 'resolution-screen' | 'jira';

const globalMoves = (statuses: StatusDef[]): TransitionDef[] =>
  statuses.map((s) => ({ id: s.transitionId ?? s.id, name: s.name, from: 'any' as const, to: s.id }));

function permissive(): SimWorkflow {
  return { name: 'permissive', statuses: STATUSES, transitions: globalMoves(STATUSES), resolutions: RESOLUTIONS, strict: false };
}

function resolutionScreen(): SimWorkflow {
  const transitions = globalMoves(STATUSES).map((t): TransitionDef => {
    const done = STATUSES.find((s) => s.id === t.to)!.category === 'done';
    return done ? { ...t, screen: ['resolution', 'fixVersions'] } : { ...t, onResolution: 'clear' };
  });
  return { name: 'resolution-screen', statuses: STATUSES, transitions, resolutions: RESOLUTIONS, strict: true };
}

// Data Center's system workflow "jira": status ids 1/3/4/5/6 and action ids 2/3/4/5/301/701 as Jira ships them.
export const DC_STATUSES: StatusDef[] = [
  { id: '1', name: 'Open', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '4', name: 'Reopened', category: 'new' },
  { id: '5', name: 'Resolved', category: 'done' },
  { id: '6', name: 'Closed', category: 'done' },
];

// Data Center's default resolutions (ids 1-5 from a fresh install, 10000+ added by Jira Software).
export const DC_RESOLUTIONS: ResolutionDef[] = [
  { id: '1', name: 'Fixed' },
  { id: '2', name: "Won't Fix" },
  { id: '3', name: 'Duplicate' },
  { id: '4', name: 'Incomplete' },
  { id: '5', name: 'Cannot Reproduce' },
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
];

function dcDefault(): SimWorkflow {
  const resolve: Pick<TransitionDef, 'screen'> = { screen: ['resolution', 'fixVersions'] };
  const transitions: TransitionDef[] = [
    { id: '4', name: 'Start Progress', from: ['1', '4'], to: '3', onResolution: 'keep' },
    { id: '301', name: 'Stop Progress', from: ['3'], to: '1', onResolution: 'keep' },
    { id: '5', name: 'Resolve Issue', from: ['1', '3', '4'], to: '5', ...resolve },
    { id: '2', name: 'Close Issue', from: ['1', '3', '4'], to: '6', ...resolve },
    { id: '701', name: 'Close Issue', from: ['5'], to: '6', onResolution: 'keep' },
    { id: '3', name: 'Reopen Issue', from: ['5', '6'], to: '4', onResolution: 'clear' },
  ];
  return { name: 'jira', statuses: DC_STATUSES, transitions, resolutions: DC_RESOLUTIONS, strict: true };
}

export function workflowByName(name: WorkflowName): SimWorkflow {
  if (name === 'permissive') return permissive();
  if (name === 'resolution-screen') return resolutionScreen();
  if (name === 'jira') return dcDefault();
  throw new Error(`Unknown workflow '${String(name)}' (permissive | resolution-screen | jira)`);
}

/** The transitions offered from a status, in the workflow's order. */
export function availableTransitions(w: SimWorkflow, statusId: string): TransitionDef[] {
  return w.transitions.filter((t) => (t.from === 'any' ? t.to !== statusId : t.from.includes(statusId)));
}

/** The resolutions a transition's screen offers. */
export function allowedResolutions(w: SimWorkflow, t: TransitionDef): ResolutionDef[] {
  return t.resolutions ? w.resolutions.filter((r) => t.resolutions!.includes(r.name)) : w.resolutions;
}

/** The fields a transition's screen shows: the permissive model shows resolution and fix versions everywhere. */
export function screenFields(w: SimWorkflow, t: TransitionDef): Array<'resolution' | 'fixVersions'> {
  return w.strict ? t.screen ?? [] : ['resolution', 'fixVersions'];
}
