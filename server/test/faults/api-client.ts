/** A small HTTP client for the API processes of a fault test: one signed-in session, usable against every API replica. */

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(private readonly cookie: string) {}

  /** Creates an organisation through open sign-up and signs its owner in. */
  static async signUp(baseUrl: string, name: string, email: string, password: string): Promise<{ client: ApiClient; tenantId: string; ownerId: string }> {
    const created = await call<{ tenant: { id: string }; owner: { id: string } }>(baseUrl, '', 'POST', '/api/tenants', { name, ownerEmail: email, ownerPassword: password });
    if (created.status !== 201) throw new Error(`sign-up refused: ${created.status} ${JSON.stringify(created.body)}`);
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }), signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 200) throw new Error(`login refused: ${response.status} ${await response.text()}`);
    const cookie = response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
    return { client: new ApiClient(cookie), tenantId: created.body.tenant.id, ownerId: created.body.owner.id };
  }

  request<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<ApiResponse<T>> {
    return call<T>(baseUrl, this.cookie, method, path, body, timeoutMs);
  }

  /** Creates an app, a process in it and deploys the process; returns the process id. */
  async deploy(baseUrl: string, name: string, bpmnXml: string): Promise<string> {
    const app = await this.request<{ id: string }>(baseUrl, 'POST', '/api/apps', { name: `${name} app` });
    if (app.status !== 201) throw new Error(`app refused: ${app.status} ${JSON.stringify(app.body)}`);
    const process = await this.request<{ id: string }>(baseUrl, 'POST', '/api/processes', { appId: app.body.id, name, bpmnXml });
    if (process.status !== 201) throw new Error(`process refused: ${process.status} ${JSON.stringify(process.body)}`);
    const deployed = await this.request(baseUrl, 'POST', `/api/processes/${process.body.id}/deploy`);
    if (deployed.status !== 200) throw new Error(`deploy refused: ${deployed.status} ${JSON.stringify(deployed.body)}`);
    return process.body.id;
  }
}

async function call<T>(baseUrl: string, cookie: string, method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: response.status, body: parsed as T };
}
