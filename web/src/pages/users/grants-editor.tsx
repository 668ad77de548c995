/**
 * Edits a user's role grants as rows of (role, site); "All sites" is a study-wide grant. Rows are
 * the general form: the same role may be granted at several sites.
 */
import { STAFF_ROLES, type StaffRole } from '../../../../src/core/roles.js';
import type { RoleGrant, Site } from '../../api/types.js';
import { useTranslation } from '../../i18n/use-translation.js';
import { roleLabel } from '../../lib/role-labels.js';

/** One row of the editor; empty strings mean "not chosen" / "all sites". */
export interface GrantRow {
  key: number;
  role: StaffRole | '';
  siteId: string;
}

let nextKey = 1;

/** A fresh empty row. */
export const emptyGrantRow = (): GrantRow => ({ key: nextKey++, role: '', siteId: '' });

/** Rows for existing grants (one empty row when there are none). */
export const rowsFromGrants = (grants: readonly RoleGrant[]): GrantRow[] =>
  grants.length === 0
    ? [emptyGrantRow()]
    : grants.map((g) => ({ key: nextKey++, role: g.role, siteId: g.siteId ?? '' }));

/** The grants the rows describe: rows without a role are skipped, duplicates merged. */
export function grantsFromRows(rows: readonly GrantRow[]): RoleGrant[] {
  const seen = new Set<string>();
  const grants: RoleGrant[] = [];
  for (const row of rows) {
    if (row.role === '') continue;
    const id = `${row.role}|${row.siteId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    grants.push({ role: row.role, siteId: row.siteId === '' ? null : row.siteId });
  }
  return grants;
}

/** Props of GrantsEditor. */
export interface GrantsEditorProps {
  idPrefix: string;
  rows: readonly GrantRow[];
  sites: readonly Site[];
  error?: string | undefined;
  onChange: (rows: GrantRow[]) => void;
}

/** A fieldset of role/site rows with add and remove buttons. */
export function GrantsEditor({ idPrefix, rows, sites, error, onChange }: GrantsEditorProps) {
  const { t, language } = useTranslation();
  const update = (key: number, patch: Partial<GrantRow>): void =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const hintId = `${idPrefix}-hint`;
  const errorId = `${idPrefix}-error`;
  return (
    <fieldset
      className={error ? 'fieldset field--invalid' : 'fieldset'}
      aria-describedby={error ? `${hintId} ${errorId}` : hintId}
      id={idPrefix}
      tabIndex={-1}
    >
      <legend className="field__label">{t('users.form.roles')}</legend>
      <p id={hintId} className="field__hint">
        {t('users.form.rolesHint')}
      </p>
      <ol className="grant-rows">
        {rows.map((row, i) => {
          const n = i + 1;
          return (
            <li key={row.key} className="grant-row">
              <div className="grant-row__field">
                <label htmlFor={`${idPrefix}-role-${row.key}`} className="field__label field__label--small">
                  {t('users.form.role', { n })}
                </label>
                <select
                  id={`${idPrefix}-role-${row.key}`}
                  className="input input--select"
                  value={row.role}
                  aria-invalid={error && row.role === '' ? true : undefined}
                  onChange={(e) => update(row.key, { role: e.target.value as StaffRole | '' })}
                >
                  <option value="">{t('users.form.chooseRole')}</option>
                  {STAFF_ROLES.map((role) => (
                    <option key={role} value={role}>
                      {roleLabel(role, language)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="grant-row__field">
                <label htmlFor={`${idPrefix}-site-${row.key}`} className="field__label field__label--small">
                  {t('users.form.site', { n })}
                </label>
                <select
                  id={`${idPrefix}-site-${row.key}`}
                  className="input input--select"
                  value={row.siteId}
                  onChange={(e) => update(row.key, { siteId: e.target.value })}
                >
                  <option value="">{t('users.form.allSites')}</option>
                  {sites.map((site) => (
                    <option key={site.id} value={site.id}>
                      {site.code} · {site.name}
                    </option>
                  ))}
                </select>
              </div>
              {rows.length > 1 ? (
                <button
                  type="button"
                  className="button button--ghost grant-row__remove"
                  aria-label={t('users.form.removeRole', { n })}
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ol>
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
      <button type="button" className="button button--secondary" onClick={() => onChange([...rows, emptyGrantRow()])}>
        {t('users.form.addRole')}
      </button>
    </fieldset>
  );
}
