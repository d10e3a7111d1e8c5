/** What GET /api/live tells an open page (see the server's LiveController). */
export type LiveEvent =
  | { type: 'task'; taskId: string; instanceId: string; name: string }
  | { type: 'notification'; kind: string; title: string };

type Listener = (event: LiveEvent) => void;

/** After the server refused the stream (signed out, too many pages), try again this much later. */
export const RETRY_AFTER_REFUSAL_MS = 60_000;

const listeners = new Set<Listener>();

/** Hears every live event while the stream is open; returns the function that stops listening. */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Opens the live stream (server-sent events) and hands its events to the listeners. The browser
 * reconnects by itself after a dropped connection; a refused stream is tried again after a minute.
 * Live events only say that something changed: whoever hears one reads the API for the truth.
 */
export function startLive(open: (url: string) => EventSource = (url) => new EventSource(url)): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const deliver = (type: LiveEvent['type']) => (message: MessageEvent<string>) => {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(message.data) as Record<string, unknown>;
    } catch {
      return;
    }
    for (const listener of [...listeners]) listener({ ...data, type } as LiveEvent);
  };
  const connect = () => {
    source = open('/api/live');
    source.addEventListener('task', deliver('task') as EventListener);
    source.addEventListener('notification', deliver('notification') as EventListener);
    source.addEventListener('error', () => {
      if (stopped || source?.readyState !== 2 /* CLOSED: refused, not merely dropped */) return;
      retry = setTimeout(connect, RETRY_AFTER_REFUSAL_MS);
    });
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}
