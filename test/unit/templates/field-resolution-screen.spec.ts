import { FieldMeta, resolveField } from '@app/modules/templates';

const severity = (id: string, onScreen?: boolean): FieldMeta => ({ id, name: 'Severity', schema: { type: 'string' }, ...(onScreen ? { onScreen } : {}) });

describe('resolveField by the create screen', () => {
  it('takes the namesake on the create screen over the ones elsewhere', () => {
    const r = resolveField('severity', [severity('customfield_10040'), severity('customfield_10041', true)]);
    expect(r).toEqual({ ok: true, field: expect.objectContaining({ id: 'customfield_10041' }) });
  });

  it('still refuses a name that is on the screen twice, naming it and the ids', () => {
    const r = resolveField('Severity', [severity('customfield_10040'), severity('customfield_10041', true), severity('customfield_10042', true)]);
    expect(r).toEqual({ ok: false, error: "Jira field name 'Severity' is ambiguous (customfield_10041, customfield_10042); use the field id" });
  });

  it('refuses a name shared by fields none of which is on the screen, and keeps ids exact', () => {
    const fields = [severity('customfield_10040'), severity('customfield_10041')];
    expect(resolveField('Severity', fields).ok).toBe(false);
    expect(resolveField('customfield_10040', [...fields, severity('customfield_10043', true)])).toEqual({ ok: true, field: fields[0] });
  });
});
