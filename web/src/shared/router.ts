import type { Router } from 'vue-router';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** reachable without signing in */
    public?: boolean;
    /** full-page route without the app shell */
    bare?: boolean;
  }
}

/** Sends visitors who are not signed in to the sign-in page, and back afterwards. */
export function installAuthGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    if (!session.loaded) await session.refresh();
    if (to.meta.public) {
      if (to.name === 'sign-in' && session.signedIn) return { path: '/' };
      return true;
    }
    if (!session.signedIn) return { name: 'sign-in', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    return true;
  });
}
