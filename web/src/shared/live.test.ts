import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LiveEvent, onLiveEvent, RETRY_AFTER_REFUSAL_MS, startLive } from './live';

/** Enough of EventSource to drive startLive: listeners by event name, readyState, close. */
class FakeSource extends EventTarget {
  static opened: FakeSource[] = [];
  readyState = 1;
  closed = false;
  constructor(readonly url: string) {
    super();
    FakeSource.opened.push(this);
  }
  emit(type: string, data: string): void {
    this.dispatchEvent(new MessageEvent(type, { data }));
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.dispatchEvent(new Event('error'));
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
}

const open = (url: string) => new FakeSource(url) as unknown as EventSource;

describe('live updates', () => {
  let heard: LiveEvent[];
  let stopListening: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSource.opened = [];
    heard = [];
    stopListening = onLiveEvent((event) => heard.push(event));
  });

  afterEach(() => {
    stopListening();
    vi.useRealTimers();
  });

  it('opens /api/live and hands task and notification events to the listeners, skipping what is not JSON', () => {
    const stop = startLive(open);
    const [source] = FakeSource.opened;
    expect(source.url).toBe('/api/live');
    source.emit('task', JSON.stringify({ taskId: 't1', instanceId: 'i1', name: 'Review <b>budget</b>' }));
    source.emit('notification', 'not json');
    source.emit('notification', JSON.stringify({ kind: 'assigned', title: 'Review' }));
    expect(heard).toEqual([
      { type: 'task', taskId: 't1', instanceId: 'i1', name: 'Review <b>budget</b>' },
      { type: 'notification', kind: 'assigned', title: 'Review' },
    ]);
    stop();
    expect(source.closed).toBe(true);
  });

  it('leaves a dropped connection to the browser, and tries a refused one again after a minute until stopped', () => {
    const stop = startLive(open);
    FakeSource.opened[0].fail(0); // CONNECTING: the browser is already reconnecting
    vi.advanceTimersByTime(RETRY_AFTER_REFUSAL_MS);
    expect(FakeSource.opened).toHaveLength(1);
    FakeSource.opened[0].fail(2); // CLOSED: the server said no
    vi.advanceTimersByTime(RETRY_AFTER_REFUSAL_MS);
    expect(FakeSource.opened).toHaveLength(2);
    FakeSource.opened[1].fail(2);
    stop();
    vi.advanceTimersByTime(RETRY_AFTER_REFUSAL_MS);
    expect(FakeSource.opened).toHaveLength(2);
  });
});
