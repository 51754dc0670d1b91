// Who the page is logged in as (GET /api/session). A read-only user sees everything, and the forms and
// buttons that would change something are left out (the console and the components refuse them anyway).
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';

export interface Session {
  user: string | null;
  readOnly: boolean;
}

export const SessionContext = createContext<Session>({ user: null, readOnly: false });

export function useReadOnly(): boolean {
  return useContext(SessionContext).readOnly;
}

/** Its children for users who may change things; nothing for a read-only user. */
export function ForWriters({ children }: { children: ComponentChildren }) {
  return useReadOnly() ? null : <>{children}</>;
}

/** The line that tells a read-only user why there is nothing to change. */
export function ReadOnlyNotice() {
  const { user, readOnly } = useContext(SessionContext);
  if (!readOnly) return null;
  return (
    <p class="notice" role="status">
      Logged in as {user}, a read-only user: you can look at everything, and the actions that change something
      are hidden. Log in as a user with a role outside http.readOnlyRoles to change things.
    </p>
  );
}
