import { createRouter, createWebHistory, type Router, type RouteRecordRaw } from 'vue-router';
import type { SessionStore } from './features/session/session-store';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    title?: string;
  }
}

// Every page is its own chunk: the first load carries the shell and the page it opens, nothing more.
export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/sign-in.page.vue'), meta: { public: true, title: 'Sign in' } },
  { path: '/set-password', name: 'set-password', component: () => import('./pages/set-password.page.vue'), meta: { public: true, title: 'Choose your password' } },
  {
    path: '/',
    component: () => import('./pages/app-layout.vue'),
    children: [
      { path: '', name: 'portfolio', component: () => import('./pages/portfolio.page.vue'), meta: { title: 'Portfolio' } },
      { path: 'measures', name: 'measures', component: () => import('./pages/measure-list.page.vue'), meta: { title: 'Measures' } },
      { path: 'measures/new', name: 'measure-new', component: () => import('./pages/measure-new.page.vue'), meta: { title: 'New measure' } },
      { path: 'measures/import', name: 'measure-import', component: () => import('./pages/measure-import.page.vue'), meta: { title: 'Import measures' } },
      { path: 'measures/:id', name: 'measure', component: () => import('./pages/measure-detail.page.vue'), meta: { title: 'Measure' } },
      { path: 'hierarchy', name: 'hierarchy', component: () => import('./pages/hierarchy.page.vue'), meta: { title: 'Hierarchy' } },
      { path: 'gates', name: 'gates', component: () => import('./pages/gate-board.page.vue'), meta: { title: 'Gate reviews' } },
      { path: 'gates/reviews/:id', name: 'gate-review', component: () => import('./pages/gate-review.page.vue'), meta: { title: 'Gate review' } },
      { path: 'sign-offs', name: 'sign-offs', component: () => import('./pages/sign-off-queue.page.vue'), meta: { title: 'Sign-off queue' } },
      { path: 'tickets', name: 'tickets', component: () => import('./pages/tickets.page.vue'), meta: { title: 'Tickets' } },
      { path: 'tickets/groups/:id', name: 'ticket-group', component: () => import('./pages/ticket-group.page.vue'), meta: { title: 'Ticket group' } },
      { path: 'account', name: 'account', component: () => import('./pages/account.page.vue'), meta: { title: 'Account' } },
      { path: 'admin/people', name: 'admin-people', component: () => import('./pages/admin-people.page.vue'), meta: { title: 'People' } },
      { path: 'account/tokens', name: 'api-tokens', component: () => import('./pages/api-tokens.page.vue'), meta: { title: 'API tokens' } },
      { path: 'audit', name: 'audit', component: () => import('./pages/audit-log.page.vue'), meta: { title: 'Audit log' } },
      { path: 'admin', name: 'admin', component: () => import('./pages/admin.page.vue'), meta: { title: 'Admin · Structure' } },
      { path: 'admin/roles', name: 'admin-roles', component: () => import('./pages/admin.page.vue'), meta: { title: 'Admin · Roles' } },
      { path: 'admin/templates', name: 'admin-templates', component: () => import('./pages/admin.page.vue'), meta: { title: 'Admin · Gate templates' } },
      { path: 'admin/settings', name: 'admin-settings', component: () => import('./pages/admin.page.vue'), meta: { title: 'Admin · Settings' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./pages/not-found.page.vue'), meta: { title: 'Not found' } },
    ],
  },
];

export function createAppRouter(session: SessionStore): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: (to, from, saved) => saved ?? (to.path !== from.path ? { top: 0 } : undefined),
  });
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const status = await session.ensure();
    // On 'error' the layout shows that Gatehouse cannot be reached, with a retry.
    if (status === 'signed-out') return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    // A password someone else chose (ADMIN_PASSWORD, an admin's createUser) is changed before anything else.
    if (session.user.value?.mustChangePassword && to.name !== 'account') return { name: 'account', query: { required: '1' } };
    return true;
  });
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Gatehouse` : 'Gatehouse';
  });
  return router;
}
