import type { RouteRecordRaw } from 'vue-router';
import { requestRoutes } from './modules/requests/routes';
import { taskRoutes } from './modules/tasks/routes';

export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./modules/signup/SignInView.vue'), meta: { public: true, bare: true } },
  { path: '/signup', name: 'sign-up', component: () => import('./modules/signup/SignUpPage.vue'), meta: { public: true, bare: true } },
  { path: '/accept-invite', name: 'accept-invite', component: () => import('./modules/invite/AcceptInvitePage.vue'), meta: { public: true, bare: true } },
  { path: '/', name: 'home', component: () => import('./modules/home/HomePage.vue') },
  { path: '/forms/:formId', name: 'fill-form', component: () => import('./modules/forms/FillFormPage.vue') },
  { path: '/forms/:formId/records', name: 'form-records', component: () => import('./modules/forms/RecordsPage.vue') },
  { path: '/submissions', name: 'my-submissions', component: () => import('./modules/forms/MySubmissionsPage.vue') },
  { path: '/submissions/:recordId', name: 'submission', component: () => import('./modules/forms/SubmissionPage.vue') },
  // a public form link works signed in or not, without the app shell
  { path: '/f/:token', name: 'public-form', component: () => import('./modules/forms/PublicFormPage.vue'), meta: { public: true, bare: true } },
  ...taskRoutes,
  ...requestRoutes,
  { path: '/profile', name: 'profile', component: () => import('./modules/profile/ProfilePage.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];
