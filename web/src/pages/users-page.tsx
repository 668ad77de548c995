/** User administration (admins): the account list and the create/disable/enable/reset/roles actions. */
import { useState } from 'react';
import { fetchStudy } from '../api/study-api.js';
import type { Site, UserSummary } from '../api/types.js';
import { listUsers } from '../api/users-api.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError } from '../lib/error-messages.js';
import { grantLabel } from '../lib/role-labels.js';
import { useAsync } from '../lib/use-async.js';
import { CreateUserDialog } from './users/create-user-dialog.js';
import { ResetPasswordDialog, RolesDialog, StatusDialog } from './users/user-dialogs.js';

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'status'; user: UserSummary }
  | { kind: 'reset'; user: UserSummary }
  | { kind: 'roles'; user: UserSummary }
  | null;

async function loadPage(): Promise<{ users: UserSummary[]; sites: Site[] }> {
  const [users, study] = await Promise.all([listUsers(), fetchStudy()]);
  return { users, sites: study.sites };
}

function UserRow({
  user,
  sites,
  isSelf,
  onAction,
}: {
  user: UserSummary;
  sites: readonly Site[];
  isSelf: boolean;
  onAction: (d: OpenDialog) => void;
}) {
  const { t, language } = useTranslation();
  return (
    <tr>
      <th scope="row">
        <span className="user-name">{user.displayName}</span>
        {isSelf ? <span className="muted"> ({t('users.you')})</span> : null}
        <span className="user-email">{user.email}</span>
      </th>
      <td data-label={t('users.columns.roles')}>
        <ul className="plain-list plain-list--tight">
          {user.grants.map((g) => (
            <li key={`${g.role}:${g.siteId ?? '*'}`}>{grantLabel(g, sites, language, t('overview.allSites'))}</li>
          ))}
        </ul>
      </td>
      <td data-label={t('users.columns.status')}>
        <span className="badges">
          <span className={user.status === 'active' ? 'badge badge--success' : 'badge badge--neutral'}>
            {t(`users.status.${user.status}`)}
          </span>
          {user.locked ? <span className="badge badge--warning">{t('users.status.locked')}</span> : null}
        </span>
      </td>
      <td data-label={t('users.columns.actions')}>
        <div className="row-actions" role="group" aria-label={t('users.actions.group', { name: user.displayName })}>
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => onAction({ kind: 'roles', user })}
          >
            {t('users.actions.changeRoles')}
          </button>
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => onAction({ kind: 'reset', user })}
          >
            {t('users.actions.resetPassword')}
          </button>
          {isSelf ? null : (
            <button
              type="button"
              className={
                user.status === 'active'
                  ? 'button button--small button--danger-outline'
                  : 'button button--small button--secondary'
              }
              onClick={() => onAction({ kind: 'status', user })}
            >
              {user.status === 'active' ? t('users.actions.disable') : t('users.actions.enable')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** The Users page. */
export default function UsersPage() {
  const { t } = useTranslation();
  const { session } = useSignedIn();
  const { state, reload } = useAsync(loadPage);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const sites = state.status === 'ready' ? state.data.sites : [];
  const closeDialog = (): void => setDialog(null);
  const done = (message: string | null): void => {
    reload();
    if (message !== null) {
      setNotice(message);
      setDialog(null);
    }
  };
  const open = (d: OpenDialog): void => {
    setNotice(null);
    setDialog(d);
  };

  return (
    <>
      <PageHeading
        actions={
          <button
            type="button"
            className="button button--primary"
            onClick={() => open({ kind: 'create' })}
            disabled={state.status !== 'ready'}
          >
            {t('users.create')}
          </button>
        }
      >
        {t('users.title')}
      </PageHeading>
      <p className="muted">{t('users.intro')}</p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        state.data.users.length === 0 ? (
          <p>{t('users.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{t('users.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('users.columns.user')}</th>
                  <th scope="col">{t('users.columns.roles')}</th>
                  <th scope="col">{t('users.columns.status')}</th>
                  <th scope="col">{t('users.columns.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {state.data.users.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    sites={sites}
                    isSelf={user.id === session.user.id}
                    onAction={open}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}

      {dialog?.kind === 'create' ? (
        <CreateUserDialog sites={sites} onCreated={() => reload()} onClose={closeDialog} />
      ) : null}
      {dialog?.kind === 'status' ? <StatusDialog user={dialog.user} onDone={done} onClose={closeDialog} /> : null}
      {dialog?.kind === 'reset' ? <ResetPasswordDialog user={dialog.user} onDone={done} onClose={closeDialog} /> : null}
      {dialog?.kind === 'roles' ? (
        <RolesDialog user={dialog.user} sites={sites} onDone={done} onClose={closeDialog} />
      ) : null}
    </>
  );
}
