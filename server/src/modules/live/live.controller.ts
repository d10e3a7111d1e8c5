import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../core/errors/app-error.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { LiveHub } from './live-hub.js';

/** Streams one person may hold open at once (a few tabs and devices). */
export const MAX_STREAMS_PER_PERSON = 8;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** A stream ends after this long and the browser reconnects, so a session that ended stops hearing. */
const MAX_STREAM_MS = 10 * 60_000;

@ApiTags('live')
@Controller()
export class LiveController {
  constructor(private readonly hub: LiveHub) {}

  /**
   * Server-sent events for the signed-in person: `task` when a task reaches their inbox (assigned, or
   * offered to them or their group), `notification` when their bell has something new. Each event's
   * data is JSON. Reconnecting is the client's job (EventSource does it by itself).
   */
  @Get('live')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream: `event: task` {taskId, instanceId, name}, `event: notification` {kind, title}' })
  stream(@Res() reply: FastifyReply): void {
    const actor = RequestContext.requireActor();
    if (actor.kind !== 'user' || !actor.userId) throw AppError.forbidden('Live updates are for people signed in; API keys read the API instead');
    if (this.hub.count(actor.tenantId, actor.userId) >= MAX_STREAMS_PER_PERSON) {
      throw new AppError(429, 'too_many_streams', 'Too many open Opsflow pages for this account; close some and reload');
    }
    // The stream is written to the socket's response directly, with the headers set so far (helmet's).
    reply.hijack();
    const response = reply.raw;
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) response.setHeader(name, value);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    response.write('retry: 5000\n\n');
    response.write('event: ready\ndata: {}\n\n');
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      response.end();
    };
    const unsubscribe = this.hub.subscribe(actor.tenantId, actor.userId, (event) => {
      const { type, ...data } = event;
      response.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    }, end);
    const heartbeat = setInterval(() => response.write(': ping\n\n'), HEARTBEAT_MS);
    const expiry = setTimeout(end, MAX_STREAM_MS);
    heartbeat.unref();
    expiry.unref();
    response.on('close', end);
  }
}
