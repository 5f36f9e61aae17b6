import { computed, createApp } from 'vue';
import { createGatehouseClient } from './apollo/apollo-client';
import { APOLLO_CLIENT } from './apollo/use-apollo';
import AppRoot from './app-root.vue';
import { FORMAT_CURRENCY } from './components/format';
import { createHierarchyStore, HIERARCHY } from './features/hierarchy/use-hierarchy';
import { createLiveStore, LIVE } from './features/live/live-store';
import { createSessionStore, SESSION } from './features/session/session-store';
import { createAppRouter } from './router';
import './styles/tokens.css';
import './styles/base.css';
import './styles/utilities.css';

let onUnauthenticated = () => {};
const live = createLiveStore();
const client = createGatehouseClient({ onUnauthenticated: () => onUnauthenticated(), onSocket: (e) => live.onSocket(e) });
const session = createSessionStore(client);
const hierarchy = createHierarchyStore(client);
const router = createAppRouter(session);

// A session that ends while the app is open (expired, revoked) sends the person to sign in, then back.
onUnauthenticated = () => {
  if (session.status.value !== 'signed-in') return;
  session.expire();
  hierarchy.reset();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: 'sign-in', query: { redirect: here.fullPath, expired: '1' } });
};

createApp(AppRoot)
  .provide(APOLLO_CLIENT, client)
  .provide(SESSION, session)
  // Amounts show in the organisation's currency; EUR before anyone signs in.
  .provide(FORMAT_CURRENCY, computed(() => session.organisation.value?.currency ?? 'EUR'))
  .provide(HIERARCHY, hierarchy)
  .provide(LIVE, live)
  .use(router)
  .mount('#app');
