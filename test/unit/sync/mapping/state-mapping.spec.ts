import { sameName, stateForStatus } from '@app/modules/sync/mapping/state-mapping';

describe('sameName', () => {
  it('matches status names whatever their case, as Jira shows them, but not other accents or letters', () => {
    expect(sameName('In Progress', 'in progress')).toBe(true);
    expect(sameName('Won\'t Do', "WON'T DO")).toBe(true);
    expect(sameName('Erledigt', 'erledigt')).toBe(true);
    expect(sameName('Résolu', 'Resolu')).toBe(false);
    expect(sameName('Done', 'Dune')).toBe(false);
  });

  it('maps a status through the mapping before its category', () => {
    const mapping = [{ jiraStatus: 'Won\'t Do', state: 'muted' as const, primary: false }];
    expect(stateForStatus({ name: "won't do", category: 'done' }, mapping)).toBe('muted');
    expect(stateForStatus({ name: 'Closed', category: 'done' }, mapping)).toBe('resolved');
  });
});
