/** The frame around pages shown before the app proper: sign-in and the forced password change. */
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../components/language-switch.js';
import { Brand } from './brand.js';
import { SkipLink } from './skip-link.js';

/** Top bar with brand and language switch, and a centred main area. */
export function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <SkipLink />
      <header className="topbar">
        <Brand />
        <div className="topbar__tools">
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="main main--public" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
