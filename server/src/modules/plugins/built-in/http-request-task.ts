import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { PermanentTaskFailure, type ServiceTaskType, type TaskVariables } from '../service-task-registry.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
const MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Calls an HTTP endpoint. Addresses in private, loopback and link-local ranges are refused (SSRF),
 * checked on the address actually connected to, unless the host is in OPSFLOW_HTTP_ALLOW_HOSTS.
 */
export function httpRequestTask(allowHosts: readonly string[]): ServiceTaskType {
  const open = { allowPrivateIPAddress: true, allowMetaIPAddress: false };
  const agents = {
    guarded: { http: new RequestFilteringHttpAgent({ keepAlive: true }), https: new RequestFilteringHttpsAgent({ keepAlive: true }) },
    allowed: { http: new RequestFilteringHttpAgent({ keepAlive: true, ...open }), https: new RequestFilteringHttpsAgent({ keepAlive: true, ...open }) },
  };
  return {
    type: 'http.request',
    title: { en: 'HTTP request', 'zh-CN': 'HTTP 请求' },
    description: {
      en: 'Calls a URL and stores the answer in "response" (status, headers, body). Private network addresses are refused unless an admin allows the host.',
      'zh-CN': '调用一个 URL，并把结果保存到 "response"（状态、头、正文）。除非管理员允许该主机，否则拒绝内网地址。',
    },
    inputSchema: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string', format: 'uri', title: 'URL' },
        method: { type: 'string', enum: METHODS, default: 'GET' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: { title: 'Body (JSON)' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: DEFAULT_TIMEOUT_MS },
        failOnStatus: { type: 'boolean', default: true, description: 'Retry and raise an incident on 4xx/5xx answers' },
      },
    },
    outputSchema: { type: 'object', properties: { response: { type: 'object' } } },
    run: async (input, context) => {
      const { url, method, headers, body, timeoutMs, failOnStatus } = parseInput(input);
      const kind = url.protocol === 'https:' ? 'https' : 'http';
      const agent = allowHosts.includes(url.hostname.toLowerCase()) ? agents.allowed[kind] : agents.guarded[kind];
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const response = await send(url, {
        method, agent, timeout: timeoutMs,
        headers: {
          'user-agent': 'Opsflow', accept: 'application/json, */*', 'idempotency-key': context.jobKey, ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      }, payload);
      if (failOnStatus && response.status >= 400) {
        throw new Error(`${method} ${url.origin}${url.pathname} answered ${response.status}`);
      }
      return { response };
    },
  };
}

function parseInput(input: TaskVariables) {
  let url: URL;
  try {
    url = new URL(String(input.url ?? ''));
  } catch {
    throw new PermanentTaskFailure(`"${String(input.url ?? '')}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PermanentTaskFailure('Only http and https URLs can be called');
  const method = String(input.method ?? 'GET').toUpperCase();
  if (!METHODS.includes(method)) throw new PermanentTaskFailure(`The method ${method} is not supported`);
  const headers: Record<string, string> = {};
  if (input.headers && typeof input.headers === 'object') {
    for (const [key, value] of Object.entries(input.headers as Record<string, unknown>)) headers[key.toLowerCase()] = String(value);
  }
  const timeoutMs = typeof input.timeoutMs === 'number' ? Math.min(60_000, Math.max(100, input.timeoutMs)) : DEFAULT_TIMEOUT_MS;
  return { url, method, headers, body: input.body, timeoutMs, failOnStatus: input.failOnStatus !== false };
}

function send(url: URL, options: Parameters<typeof httpRequest>[1], payload: Buffer | undefined): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          request.destroy(new PermanentTaskFailure(`The answer is larger than ${MAX_RESPONSE_BYTES / 1024} KB`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const type = String(response.headers['content-type'] ?? '');
        let body: unknown = text;
        if (type.includes('json') && text) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers)) if (typeof value === 'string') headers[key] = value;
        resolve({ status: response.statusCode ?? 0, headers, body });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`No answer within ${options?.timeout} ms`)));
    request.on('error', (error) => {
      reject(/forbidden|not allowed|private|DNS lookup .* is not allowed/i.test(error.message) && !(error instanceof PermanentTaskFailure)
        ? new PermanentTaskFailure(`The address is not allowed: ${error.message}`) : error);
    });
    if (payload) request.write(payload);
    request.end();
  });
}
