import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: '/designer/',
  plugins: [vue()],
  server: { port: 5174, proxy: { '/api': 'http://localhost:3000' } },
  build: { chunkSizeWarningLimit: 2000 },
  test: {
    environment: 'jsdom',
    setupFiles: ['../web/src/shared/testing/setup.ts'],
    server: { deps: { inline: ['vuetify', /@jsonforms/] } },
  },
});
