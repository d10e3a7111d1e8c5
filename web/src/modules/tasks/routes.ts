import type { RouteRecordRaw } from 'vue-router';

export const taskRoutes: RouteRecordRaw[] = [
  { path: '/tasks', name: 'tasks', component: () => import('./TaskInboxPage.vue') },
  // notifications link here (`/tasks/<id>`)
  { path: '/tasks/:taskId', name: 'task', component: () => import('./TaskPage.vue') },
];
