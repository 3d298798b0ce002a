import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../components/use-submit';
import { ConfirmDialog } from './ConfirmDialog';
import { useStaff } from './staff-session';
import { CallAlert } from './ui';

/**
 * ASVS 5.0 V6.3.2: while demo accounts exist (one logs in with the README's password), the
 * dashboard and 初期設定 say so. On 初期設定 an admin removes them (audited); elsewhere the
 * notice says where that is done.
 */
export function DemoDataNotice({ count, onRemoved }: { count: number; onRemoved?: (removed: number) => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const [confirming, setConfirming] = useState(false);
  const { error, attempt, run } = useSubmit();
  if (count === 0) return null;
  const remove = async () => {
    setConfirming(false);
    const done = await run(() => call('ops.setup.removeDemoAccounts', {}));
    if (done) onRemoved?.(done.removed);
  };
  return (
    <section className="staff-callout staff-demo" aria-labelledby="demo-data-title" data-testid="demo-data-notice">
      <h2 id="demo-data-title">{t('staff.demo.title')}</h2>
      <p>{t('staff.demo.body', { count })}</p>
      {onRemoved ? (
        <>
          <CallAlert key={attempt} error={error} />
          <div className="actions">
            <button data-call="ops.setup.removeDemoAccounts" type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
              {t('staff.demo.remove')}
            </button>
          </div>
          <ConfirmDialog open={confirming} title={t('staff.demo.confirmTitle')} confirmLabel={t('staff.demo.remove')} onConfirm={() => void remove()} onCancel={() => setConfirming(false)}>
            <p>{t('staff.demo.confirmBody', { count })}</p>
          </ConfirmDialog>
        </>
      ) : (
        <p>{t('staff.demo.setupOnly')}</p>
      )}
    </section>
  );
}
