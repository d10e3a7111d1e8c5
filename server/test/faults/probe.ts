import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One call a service task made to the probe. */
export interface ProbeCall {
  /** The `idempotency-key` header: the engine's job key (`<elementInstanceId>:<generation>`). */
  key: string;
  /** The step, from the path: `/step/<name>`. */
  step: string;
  /** The `bk` query parameter: the instance's business key. */
  businessKey: string;
  /** The caller's TCP port, to find the worker process it came from. */
  remotePort: number;
  at: number;
  /** The connection closed before an answer was sent (the calling process died). */
  aborted: boolean;
  answered: boolean;
}

/** What the probe does with a call: answer at once with this status, or hold it until released. */
export type ProbeAction = { kind: 'answer'; status: number } | { kind: 'hold' };

interface Held {
  call: ProbeCall;
  response: ServerResponse;
}

/**
 * The outside system the service tasks of the fault tests call (the built-in `http.request` type,
 * allowed to reach 127.0.0.1 through OPSFLOW_HTTP_ALLOW_HOSTS). It counts calls per idempotency key
 * and can hold calls open, so that a worker can be killed while it is inside one.
 */
export class Probe {
  readonly calls: ProbeCall[] = [];
  private readonly held: Held[] = [];
  private decide: (call: ProbeCall, previousCalls: number) => ProbeAction = () => ({ kind: 'answer', status: 200 });

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(): Promise<Probe> {
    let probe: Probe | undefined;
    const server = createServer((request, response) => probe?.handle(request, response));
    server.keepAliveTimeout = 120_000;
    const port = await new Promise<number>((done) => {
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        done(typeof address === 'object' && address ? address.port : 0);
      });
    });
    probe = new Probe(server, port);
    return probe;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sets how later calls are answered; `previousCalls` counts earlier calls with the same key. */
  behave(decide: (call: ProbeCall, previousCalls: number) => ProbeAction): void {
    this.decide = decide;
  }

  /** Answers every later call at once with 200. */
  answerAll(): void {
    this.behave(() => ({ kind: 'answer', status: 200 }));
  }

  callsOf(key: string): ProbeCall[] {
    return this.calls.filter((call) => call.key === key);
  }

  /** Calls per idempotency key, for calls whose business key passes `filter`. */
  countsByKey(filter: (businessKey: string) => boolean = () => true): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.calls) if (filter(call.businessKey)) counts.set(call.key, (counts.get(call.key) ?? 0) + 1);
    return counts;
  }

  /** Calls still held open (their caller is alive and waiting). */
  heldCalls(): ProbeCall[] {
    return this.held.filter((held) => !held.call.aborted && !held.call.answered).map((held) => held.call);
  }

  /** Answers the held calls that pass `filter` (all by default) with `status`. */
  release(status = 200, filter: (call: ProbeCall) => boolean = () => true): number {
    let released = 0;
    for (const held of this.held.splice(0)) {
      if (held.call.aborted || held.call.answered) continue;
      if (!filter(held.call)) {
        this.held.push(held);
        continue;
      }
      this.answer(held.call, held.response, status);
      released++;
    }
    return released;
  }

  async close(): Promise<void> {
    this.release(503);
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const key = String(request.headers['idempotency-key'] ?? '');
    const call: ProbeCall = {
      key, step: url.pathname.replace(/^\/step\//, ''), businessKey: url.searchParams.get('bk') ?? '',
      remotePort: request.socket.remotePort ?? 0, at: Date.now(), aborted: false, answered: false,
    };
    const previous = this.callsOf(key).length;
    this.calls.push(call);
    request.resume();
    response.on('close', () => {
      if (!call.answered) call.aborted = true;
    });
    const action = this.decide(call, previous);
    if (action.kind === 'hold') {
      this.held.push({ call, response });
      return;
    }
    this.answer(call, response, action.status);
  }

  private answer(call: ProbeCall, response: ServerResponse, status: number): void {
    call.answered = true;
    const body = JSON.stringify({ key: call.key, step: call.step, n: this.callsOf(call.key).length });
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }
}
