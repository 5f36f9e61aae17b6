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
  {
    path: '/',
    component: () => import('./pages/app-layout.vue'),
    children: [
      { path: '', name: 'portfolio', component: () => import('./pages/portfolio.page.vue'), meta: { title: 'Portfolio' } },
      { path: 'measures', name: 'measures', component: () => import('./pages/measure-list.page.vue'), meta: { title: 'Measures' } },
      { path: 'measures/:id', name: 'measure', component: () => import('./pages/measure-detail.page.vue'), meta: { title: 'Measure' } },
      { path: 'hierarchy', name: 'hierarchy', component: () => import('./pages/hierarchy.page.vue'), meta: { title: 'Hierarchy' } },
      { path: 'gates', name: 'gates', component: () => import('./pages/gate-board.page.vue'), meta: { title: 'Gate reviews' } },
      { path: 'gates/reviews/:id', name: 'gate-review', component: () => import('./pages/gate-review.page.vue'), meta: { title: 'Gate review' } },
      { path: 'sign-offs', name: 'sign-offs', component: () => import('./pages/sign-off-queue.page.vue'), meta: { title: 'Sign-off queue' } },
      { path: 'tickets', name: 'tickets', component: () => import('./pages/tickets.page.vue'), meta: { title: 'Tickets' } },
      { path: 'tickets/groups/:id', name: 'ticket-group', component: () => import('./pages/ticket-group.page.vue'), meta: { title: 'Ticket group' } },
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
    return true;
  });
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Gatehouse` : 'Gatehouse';
  });
  return router;
}
