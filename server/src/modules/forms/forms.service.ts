import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, In } from 'typeorm';
import { hasRole } from '../../core/auth/roles.js';
import { insertRows, updateRows } from '../../core/database/entity-writes.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { type Actor, RequestContext } from '../../core/tenancy/request-context.js';
import { AppsService } from '../apps/apps.service.js';
import { AuditService } from '../audit/audit.service.js';
import { User } from '../org/user.entity.js';
import { canSubmit, canViewAllRecords } from './form-access.js';
import { DEFAULT_SETTINGS, type FormSettings, type JsonSchema, type UiSchema } from './form-definition.js';
import { validateFormDefinition } from './form-definition.validator.js';
import { Form, FormVersion } from './form.entity.js';
import type { CreateFormDto, FormDto, FormQueryDto, FormSummaryDto, FormVersionDto, FormVersionSummaryDto, UpdateFormDto } from './forms.dto.js';
import { FormsError } from './forms.exception.js';

const EMPTY_SCHEMA: JsonSchema = { type: 'object', properties: {}, required: [] };
const EMPTY_UISCHEMA: UiSchema = { type: 'VerticalLayout', elements: [] };

type DeleteGuard = (manager: EntityManager, tenantId: string, formId: string) => Promise<void>;
type PublishedListener = (version: FormVersion) => Promise<void>;

/** How long a form's latest published version is remembered for submissions; publishing here forgets it at once. */
const PUBLISHED_CACHE_MS = 2000;

/** Form definitions: drafts that change freely, and immutable numbered versions made by publishing. */
@Injectable()
export class FormsService {
  private readonly deleteGuards: DeleteGuard[] = [];
  private readonly publishedListeners: PublishedListener[] = [];
  private readonly publishedCache = new Map<string, { value: { form: Form; version: FormVersion }; expiresAt: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apps: AppsService,
    private readonly audit: AuditService,
  ) {}

  /** Called after a new version has been committed (records schedule their index update). */
  onPublished(listener: PublishedListener): void {
    this.publishedListeners.push(listener);
  }

  /** Other modules refuse deletion while they hold data of the form (records refuse with 409). */
  onBeforeDelete(guard: DeleteGuard): void {
    this.deleteGuards.push(guard);
  }

  /** Designers see every form; others the published forms they may submit or whose records they may see. */
  async list(query: FormQueryDto): Promise<Page<FormSummaryDto>> {
    const actor = RequestContext.requireActor();
    const where = { tenantId: actor.tenantId, ...(query.appId ? { appId: query.appId } : {}) };
    const repo = this.dataSource.getRepository(Form);
    if (hasRole(actor.roles, 'designer')) {
      const [forms, total] = await repo.findAndCount({ where, order: { name: 'ASC', id: 'ASC' }, ...skipTake(query) });
      const versions = await this.latestVersions(forms);
      return pageOf(forms.map((form) => this.summary(form, versions.get(form.id), actor)), total, query);
    }
    const forms = await repo.find({ where, order: { name: 'ASC', id: 'ASC' } });
    const versions = await this.latestVersions(forms);
    const visible = forms
      .map((form) => this.summary(form, versions.get(form.id), actor))
      .filter((form) => form.publishedVersion !== null && (form.canSubmit || form.canViewRecords));
    const { skip, take } = skipTake(query);
    return pageOf(visible.slice(skip, skip + take), visible.length, query);
  }

  async get(id: string): Promise<FormDto> {
    const actor = RequestContext.requireActor();
    const form = await this.find(this.dataSource.manager, actor.tenantId, id);
    const latest = await this.version(actor.tenantId, id, form.publishedVersion);
    return this.detail(form, latest, actor);
  }

  async create(input: CreateFormDto): Promise<FormDto> {
    const actor = RequestContext.requireActor();
    const schema = input.schema ?? EMPTY_SCHEMA;
    const uischema = input.uischema ?? EMPTY_UISCHEMA;
    const settings = input.settings ?? DEFAULT_SETTINGS;
    assertValid(schema, uischema, settings);
    const now = new Date();
    const form: Form = {
      id: randomUUID(), tenantId: actor.tenantId, appId: input.appId, name: input.name, draftSchema: schema, draftUischema: uischema,
      draftSettings: settings, publishedVersion: null, publicToken: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
    };
    await this.dataSource.transaction(async (manager) => {
      await this.apps.assertExists(manager, actor.tenantId, input.appId, 'appId');
      await insertRows(manager, Form, form);
      await this.audit.record({ action: 'form.created', targetType: 'form', targetId: form.id, data: { name: form.name } }, manager);
    });
    return this.detail(form, null, actor);
  }

  async update(id: string, input: UpdateFormDto): Promise<FormDto> {
    const actor = RequestContext.requireActor();
    this.publishedCache.delete(`${actor.tenantId}:${id}`);
    const form = await this.dataSource.transaction(async (manager) => {
      const current = await this.find(manager, actor.tenantId, id);
      const next: Form = {
        ...current,
        name: input.name ?? current.name,
        draftSchema: input.schema ?? current.draftSchema,
        draftUischema: input.uischema ?? current.draftUischema,
        draftSettings: input.settings ?? current.draftSettings,
        updatedAt: new Date(),
      };
      assertValid(next.draftSchema, next.draftUischema, next.draftSettings);
      await updateRows(manager, Form, { id, tenantId: actor.tenantId }, {
        name: next.name, draftSchema: next.draftSchema, draftUischema: next.draftUischema, draftSettings: next.draftSettings, updatedAt: next.updatedAt,
      });
      await this.audit.record({ action: 'form.updated', targetType: 'form', targetId: id, data: { name: next.name, fields: Object.keys(input) } }, manager);
      return next;
    });
    return this.detail(form, await this.version(actor.tenantId, id, form.publishedVersion), actor);
  }

  /** Freezes the draft as the next version. Records submitted from now on are validated against it. */
  async publish(id: string): Promise<FormVersionDto> {
    const actor = RequestContext.requireActor();
    const version = await this.dataSource.transaction(async (manager) => {
      const form = await this.find(manager, actor.tenantId, id);
      assertValid(form.draftSchema, form.draftUischema, form.draftSettings);
      const next = (form.publishedVersion ?? 0) + 1;
      const row: FormVersion = {
        id: randomUUID(), tenantId: actor.tenantId, formId: id, version: next, schema: form.draftSchema, uischema: form.draftUischema,
        settings: form.draftSettings, publishedBy: actor.userId, publishedAt: new Date(),
      };
      const publicToken = form.draftSettings.access.submit === 'public' ? form.publicToken ?? randomBytes(18).toString('base64url') : null;
      const moved = await manager.getRepository(Form).createQueryBuilder().update(Form)
        .set({ publishedVersion: next, publicToken, updatedAt: new Date() })
        .where('id = :id AND tenantId = :tenantId', { id, tenantId: actor.tenantId })
        .andWhere(form.publishedVersion === null ? 'publishedVersion IS NULL' : 'publishedVersion = :current', { current: form.publishedVersion })
        .execute();
      if (moved.affected !== 1) throw new AppError(409, 'publish_conflict', 'Someone else published this form at the same moment; reload and try again');
      await insertRows(manager, FormVersion, row);
      await this.audit.record({ action: 'form.published', targetType: 'form', targetId: id, data: { name: form.name, version: next } }, manager);
      return { row, name: form.name };
    });
    this.publishedCache.delete(`${actor.tenantId}:${id}`);
    for (const listener of this.publishedListeners) await listener(version.row);
    return toVersionDto(version.row, version.name);
  }

  async versions(id: string): Promise<FormVersionSummaryDto[]> {
    const tenantId = RequestContext.tenantId();
    await this.find(this.dataSource.manager, tenantId, id);
    const versions = await this.dataSource.getRepository(FormVersion).find({
      where: { tenantId, formId: id }, order: { version: 'DESC' }, select: { version: true, publishedAt: true, publishedBy: true },
    });
    const ids = [...new Set(versions.map((v) => v.publishedBy).filter((v): v is string => !!v))];
    const users = ids.length ? await this.dataSource.getRepository(User).find({ where: { tenantId, id: In(ids) }, select: { id: true, name: true } }) : [];
    const names = new Map(users.map((u) => [u.id, u.name]));
    return versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy, publishedByName: v.publishedBy ? names.get(v.publishedBy) ?? null : null }));
  }

  /** A published version, for designers and for people who may submit the form or see its records. */
  async getVersion(id: string, version: number | 'latest'): Promise<FormVersionDto> {
    const actor = RequestContext.requireActor();
    const form = await this.find(this.dataSource.manager, actor.tenantId, id);
    const latest = await this.version(actor.tenantId, id, form.publishedVersion);
    if (!latest) throw new FormsError(404, 'not_published', 'This form has not been published yet');
    if (!hasRole(actor.roles, 'designer') && !canSubmit(latest.settings, actor) && !canViewAllRecords(latest.settings, actor)) {
      throw AppError.notFound('The form');
    }
    const row = version === 'latest' || version === latest.version ? latest : await this.version(actor.tenantId, id, version);
    if (!row) throw AppError.notFound('This version of the form');
    return toVersionDto(row, form.name);
  }

  async remove(id: string): Promise<void> {
    const tenantId = RequestContext.tenantId();
    this.publishedCache.delete(`${tenantId}:${id}`);
    await this.dataSource.transaction(async (manager) => {
      const form = await this.find(manager, tenantId, id);
      for (const guard of this.deleteGuards) await guard(manager, tenantId, id);
      await manager.getRepository(FormVersion).delete({ tenantId, formId: id });
      await manager.getRepository(Form).delete({ tenantId, id });
      await this.audit.record({ action: 'form.deleted', targetType: 'form', targetId: id, data: { name: form.name } }, manager);
    });
  }

  // --- for records and public forms ------------------------------------------------------------

  /** The form and its latest published version, or 404 / not_published. Remembered briefly: every submission asks. */
  async published(tenantId: string, id: string): Promise<{ form: Form; version: FormVersion }> {
    const key = `${tenantId}:${id}`;
    const cached = this.publishedCache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const form = await this.find(this.dataSource.manager, tenantId, id);
    if (form.publishedVersion === null) throw new FormsError(409, 'not_published', 'This form has not been published yet');
    const version = await this.version(tenantId, id, form.publishedVersion);
    if (!version) throw AppError.notFound('The form');
    if (this.publishedCache.size >= 1000) this.publishedCache.clear();
    this.publishedCache.set(key, { value: { form, version }, expiresAt: Date.now() + PUBLISHED_CACHE_MS });
    return { form, version };
  }

  async versionOf(tenantId: string, formId: string, version: number): Promise<FormVersion> {
    const row = await this.version(tenantId, formId, version);
    if (!row) throw AppError.notFound('This version of the form');
    return row;
  }

  async formOf(tenantId: string, id: string): Promise<Form> {
    return this.find(this.dataSource.manager, tenantId, id);
  }

  /** The published form behind a public link; any miss is a 404 (tokens are not enumerable). */
  async byPublicToken(token: string): Promise<{ form: Form; version: FormVersion }> {
    const form = await this.dataSource.getRepository(Form).findOneBy({ publicToken: token });
    if (!form || form.publishedVersion === null) throw AppError.notFound('The form');
    const version = await this.version(form.tenantId, form.id, form.publishedVersion);
    if (!version || version.settings.access.submit !== 'public') throw AppError.notFound('The form');
    return { form, version };
  }

  // --- internals ---------------------------------------------------------------------------------

  private async find(manager: EntityManager, tenantId: string, id: string): Promise<Form> {
    const form = await manager.getRepository(Form).findOneBy({ id, tenantId });
    if (!form) throw AppError.notFound('The form');
    return form;
  }

  private async version(tenantId: string, formId: string, version: number | null): Promise<FormVersion | null> {
    if (version === null) return null;
    return this.dataSource.getRepository(FormVersion).findOneBy({ tenantId, formId, version });
  }

  private async latestVersions(forms: Form[]): Promise<Map<string, FormVersion>> {
    const published = forms.filter((f) => f.publishedVersion !== null);
    if (!published.length) return new Map();
    const rows = await this.dataSource.getRepository(FormVersion).createQueryBuilder('v')
      .innerJoin(Form, 'f', 'f.id = v.formId AND f.publishedVersion = v.version')
      .where('v.tenantId = :tenantId AND v.formId IN (:...ids)', { tenantId: forms[0].tenantId, ids: published.map((f) => f.id) })
      .getMany();
    return new Map(rows.map((row) => [row.formId, row]));
  }

  private summary(form: Form, latest: FormVersion | undefined | null, actor: Actor): FormSummaryDto {
    const settings = latest?.settings;
    return {
      id: form.id, appId: form.appId, name: form.name, publishedVersion: form.publishedVersion, publicToken: form.publicToken,
      canSubmit: settings ? canSubmit(settings, actor) : false, canViewRecords: settings ? canViewAllRecords(settings, actor) : false, updatedAt: form.updatedAt,
    };
  }

  private detail(form: Form, latest: FormVersion | null, actor: Actor): FormDto {
    const changed = !latest || JSON.stringify([form.draftSchema, form.draftUischema, form.draftSettings]) !== JSON.stringify([latest.schema, latest.uischema, latest.settings]);
    return {
      ...this.summary(form, latest, actor), schema: form.draftSchema, uischema: form.draftUischema, settings: form.draftSettings,
      hasUnpublishedChanges: changed, createdAt: form.createdAt,
    };
  }
}

function assertValid(schema: JsonSchema, uischema: UiSchema, settings: FormSettings): void {
  const problems = validateFormDefinition(schema, uischema, settings);
  if (!problems.length) return;
  const unsafe = problems.find((p) => p.path.endsWith('.pattern') && p.message.includes('exponential'));
  const scope = problems.find((p) => p.path.endsWith('.scope'));
  const code = unsafe ? 'unsafe_pattern' : scope ? 'unknown_scope' : 'invalid_form';
  throw new FormsError(422, code, unsafe ? 'A pattern in this form could freeze the server; simplify it' : 'The form definition has problems', problems);
}

function toVersionDto(row: FormVersion, name: string): FormVersionDto {
  return {
    formId: row.formId, name, version: row.version, schema: row.schema, uischema: row.uischema, settings: row.settings,
    publishedAt: row.publishedAt, publishedBy: row.publishedBy,
  };
}
