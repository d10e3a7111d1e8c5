import type { RouteRecordRaw } from 'vue-router';

export const requestRoutes: RouteRecordRaw[] = [
  { path: '/requests', name: 'my-requests', component: () => import('./MyRequestsPage.vue') },
  { path: '/requests/:instanceId', name: 'request', component: () => import('./RequestPage.vue') },
];
