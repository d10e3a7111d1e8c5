/** The fault suite (npm run test:faults): real API and worker processes on PostgreSQL + Redis, never part of `npm test`. */
import base from '../../jest.config.js';

export default {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
