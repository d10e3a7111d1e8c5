import { defineConfig } from '@hey-api/openapi-ts';

// Generates src/generated from the server's OpenAPI document (`npm run gen:api` at the root).
export default defineConfig({
  input: process.env.OPENAPI_INPUT ?? '../../server/openapi.json',
  output: 'src/generated',
  plugins: [
    { name: '@hey-api/client-fetch', throwOnError: true },
    '@hey-api/typescript',
    '@hey-api/sdk',
  ],
});
