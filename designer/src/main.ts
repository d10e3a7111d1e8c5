import { bootstrapApp } from '@opsflow/web/shared';
import App from './App.vue';
import { messages } from './lang';
import { routes } from './routes';

const { app, router } = bootstrapApp({ root: App, routes, base: '/designer/', messages });
router.isReady().then(() => app.mount('#app'));
