import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { Session } from '../src/core/auth/session.entity.js';
import { JobDone } from '../src/core/jobs/job.entity.js';
import { RetentionSweeper } from '../src/modules/maintenance/retention.service.js';
import { MailMessage, Notification } from '../src/modules/notifications/notification.entity.js';
import { startApp, type TestApp, type TestTenant } from './harness.js';

const DAY = 24 * 60 * 60_000;

describe('retention: what has served its purpose is deleted, nothing else', () => {
  let t: TestApp;
  let acme: TestTenant;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startApp({ OPSFLOW_RETENTION_DAYS: '90' });
    acme = await t.tenant('Acme');
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  it('deletes ended sessions, a month-old job ledger, and sent e-mails and read notifications after the retention', async () => {
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY);
    const session = (expiresAt: Date, revokedAt: Date | null) => ({
      id: randomUUID(), tenantId: acme.id, userId: acme.ownerId, expiresAt, revokedAt, ip: null, userAgent: null, createdAt: ago(400),
    });
    const sessions = [session(ago(3), null), session(ago(-1), ago(2)), session(ago(-1), null)];
    await dataSource.getRepository(Session).insert(sessions);
    await dataSource.getRepository(JobDone).insert([
      { id: `old:${randomUUID()}`, queue: 'engine', tenantId: acme.id, doneAt: ago(31) },
      { id: `recent:${randomUUID()}`, queue: 'engine', tenantId: acme.id, doneAt: ago(2) },
    ]);
    const notification = (readAt: Date | null, createdAt: Date) => ({
      id: randomUUID(), tenantId: acme.id, userId: acme.ownerId, kind: 'assigned' as const, title: 'x', body: null, link: null,
      instanceId: null, taskId: null, actorId: null, readAt, createdAt,
    });
    const notifications = [notification(ago(100), ago(120)), notification(null, ago(300)), notification(ago(10), ago(120))];
    await dataSource.getRepository(Notification).insert(notifications);
    const mail = (status: MailMessage['status'], createdAt: Date) => ({
      id: randomUUID(), tenantId: acme.id, userId: acme.ownerId, to: 'a@example.com', subject: 's', text: 't', html: 'h', kind: 'assigned' as const,
      status, error: null, createdAt, sentAt: null,
    });
    const mails = [mail('sent', ago(91)), mail('stored', ago(200)), mail('queued', ago(200)), mail('sent', ago(5))];
    await dataSource.getRepository(MailMessage).insert(mails);

    const result = await t.app.get(RetentionSweeper).sweep();
    expect(result).toMatchObject({ notifications: 1, mail: 2 });
    expect(result.sessions).toBeGreaterThanOrEqual(2);
    expect(result.jobLedger).toBeGreaterThanOrEqual(1);

    const left = async <T extends { id: string }>(entity: new () => T, ids: string[]) =>
      (await dataSource.getRepository(entity).findBy({ id: In(ids) } as never)).map((row) => (row as T).id).sort();
    expect(await left(Session, sessions.map((s) => s.id))).toEqual([sessions[2].id]);
    expect((await dataSource.getRepository(JobDone).find()).map((row) => row.id.split(':')[0])).not.toContain('old');
    expect(await left(Notification, notifications.map((n) => n.id))).toEqual([notifications[1].id, notifications[2].id].sort());
    expect(await left(MailMessage, mails.map((m) => m.id))).toEqual([mails[2].id, mails[3].id].sort());
    // the owner's own session still works
    await acme.owner.get('/api/auth/me').expect(200);
    // a second sweep finds nothing more
    expect(await t.app.get(RetentionSweeper).sweep()).toEqual({ sessions: 0, jobLedger: 0, notifications: 0, mail: 0 });
  });
});
