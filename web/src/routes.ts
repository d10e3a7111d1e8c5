import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./modules/signup/SignInView.vue'), meta: { public: true, bare: true } },
  { path: '/signup', name: 'sign-up', component: () => import('./modules/signup/SignUpPage.vue'), meta: { public: true, bare: true } },
  { path: '/accept-invite', name: 'accept-invite', component: () => import('./modules/invite/AcceptInvitePage.vue'), meta: { public: true, bare: true } },
  { path: '/', name: 'home', component: () => import('./modules/home/HomePage.vue') },
  { path: '/profile', name: 'profile', component: () => import('./modules/profile/ProfilePage.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];
