import { bootstrapApp } from '@opsflow/web/shared';
import App from './App.vue';
import en from './lang/en.json';
import zhCN from './lang/zh-CN.json';
import { routes } from './routes';

const { app, router } = bootstrapApp({ root: App, routes, base: '/designer/', messages: { en, 'zh-CN': zhCN } });
router.isReady().then(() => app.mount('#app'));
