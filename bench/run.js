// npm run bench: every figure is printed next to a baseline measured in the same run.
import { run as auth } from './auth.bench.js';
import { run as engine } from './engine.bench.js';
import { run as inbox } from './inbox.bench.js';
import { run as jobs } from './jobs.bench.js';
import { run as records } from './records.bench.js';
import { run as submissions } from './submissions.bench.js';

const only = process.argv[2];
for (const [name, bench] of Object.entries({ auth, jobs, submissions, records, inbox, engine })) {
  if (!only || only === name) await bench();
}
