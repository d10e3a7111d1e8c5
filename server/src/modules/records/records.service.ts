import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { hasRole } from '../../core/auth/roles.js';
import { updateRows } from '../../core/database/entity-writes.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, type PageQueryDto, pageOf, skipTake } from '../../core/http/paging.js';
import { type Actor, RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { canSubmit, canViewAllRecords, hiddenFieldsFor } from '../forms/form-access.js';
import { Form, FormVersion } from '../forms/form.entity.js';
import { FormsService } from '../forms/forms.service.js';
import { createAjv, toDetails, ValidatorCache } from '../forms/schema-compiler.js';
import { FilesService, type Uploader } from '../files/files.service.js';
import { userNames } from '../org/people.js';
import { applyCalculations, fileFields, searchTextOf, withFieldsFrom, withoutFields } from './record-data.js';
import { FormRecord, type RecordData } from './record.entity.js';
import { withRichTextAsText, withSanitizedRichText } from './rich-text.js';
import type { MyRecordDto, RecordDto } from './records.dto.js';
import { newId } from '../../core/database/new-id.js';

/** How a submission arrived: signed in, or through a public link (then nobody is named). */
export interface Submitter {
  actor: Actor | undefined;
  viaPublicLink: boolean;
}

/**
 * Runs in a submission's transaction (a start form starts its process there, so the record and its
 * instance commit together); what it returns runs after the commit.
 */
export type SubmittedHook = (manager: EntityManager, record: FormRecord) => Promise<(() => Promise<void>) | void>;

/** Submissions: validated against the form version they are sent to, one transaction each, audited. */
@Injectable()
export class RecordsService implements OnModuleInit {
  private readonly validators = new ValidatorCache(createAjv());
  private readonly submittedHooks: SubmittedHook[] = [];
  /** The INSERT of a submission as one prepared statement (TypeORM's builder costs more than the row). */
  private readonly rows: RowStatements<FormRecord>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly forms: FormsService,
    private readonly audit: AuditService,
    private readonly files: FilesService,
  ) {
    this.rows = new RowStatements(dataSource, FormRecord);
  }

  onModuleInit(): void {
    this.forms.onBeforeDelete(async (manager, tenantId, formId) => {
      if (await manager.getRepository(FormRecord).existsBy({ tenantId, formId })) {
        throw new AppError(409, 'form_has_records', 'This form has records; delete them first, or keep the form');
      }
    });
  }

  /** Submissions (not CSV imports, which load existing data) call `hook` inside their transaction. */
  onSubmitted(hook: SubmittedHook): void {
    this.submittedHooks.push(hook);
  }

  /** A signed-in submission to the latest published version. */
  async submit(formId: string, data: RecordData): Promise<RecordDto> {
    const actor = RequestContext.requireActor();
    const { form, version } = await this.forms.published(actor.tenantId, formId);
    if (!canSubmit(version.settings, actor)) throw AppError.forbidden('You may not submit this form');
    const record = await this.create(form, version, data, { actor, viaPublicLink: false });
    const names = new Map(record.submittedBy && actor.name ? [[record.submittedBy, actor.name]] : []);
    return this.toDto(record, names, hiddenFieldsFor(version.settings, actor));
  }

  /** A submission through a public link. The tenant comes from the token, never from the caller. */
  async submitPublic(form: Form, version: FormVersion, data: RecordData): Promise<FormRecord> {
    return this.create(form, version, data, { actor: RequestContext.actor(), viaPublicLink: true });
  }

  /** Validates, computes, stores and audits one record; nothing is written when anything fails. */
  async create(form: Form, version: FormVersion, data: RecordData, submitter: Submitter, manager?: EntityManager): Promise<FormRecord> {
    const prepared = this.prepare(version, data, 'data');
    const anonymous = version.settings.anonymous;
    // Someone of this tenant (a person or an integration's key) is known; a caller from elsewhere is not.
    const known = submitter.actor && submitter.actor.tenantId === form.tenantId ? submitter.actor : undefined;
    const now = new Date();
    const record: FormRecord = {
      id: newId(), tenantId: form.tenantId, formId: form.id, formVersion: version.version, data: prepared,
      searchText: searchTextOf(withRichTextAsText(prepared, version.uischema), version.settings.hiddenFields),
      submittedBy: !anonymous && known?.kind === 'user' ? known.userId : null,
      processInstanceId: null, createdAt: now, updatedAt: now,
    };
    const uploader: Uploader = {
      tenantId: form.tenantId, userId: submitter.viaPublicLink ? null : known?.userId ?? null, formId: submitter.viaPublicLink ? form.id : null,
    };
    const write = async (m: EntityManager) => {
      await this.rows.insert(m, [record]);
      await this.files.attach(m, record.id, prepared, fileFields(version.uischema), uploader, 'data');
      await this.audit.record({
        action: 'record.created', targetType: 'record', targetId: record.id, data: { formId: form.id, formVersion: version.version },
        actor: known ?? { tenantId: form.tenantId, userId: null, kind: 'system' },
        anonymous: anonymous || !known,
      }, m);
    };
    if (manager) {
      await write(manager);
      return record;
    }
    const afterCommit = await this.dataSource.transaction(async (m) => {
      await write(m);
      const callbacks: (() => Promise<void>)[] = [];
      for (const hook of this.submittedHooks) {
        const callback = await hook(m, record);
        if (callback) callbacks.push(callback);
      }
      return callbacks;
    });
    for (const callback of afterCommit) await callback();
    return record;
  }

  /** Sanitises rich text, recomputes calculated fields and validates against the version; 422 with `data.<field>` paths. */
  prepare(version: FormVersion, data: RecordData, prefix: string): RecordData {
    const computed = applyCalculations(withSanitizedRichText(data, version.uischema), version.uischema);
    const validate = this.validators.get(version.id, version.schema);
    if (!validate(computed)) throw AppError.validation(toDetails(validate.errors, prefix), 'Some answers are not valid');
    return computed;
  }

  async mine(query: PageQueryDto): Promise<Page<MyRecordDto>> {
    const actor = RequestContext.requireActor();
    if (!actor.userId) return pageOf([], 0, query);
    const [records, total] = await this.dataSource.getRepository(FormRecord).findAndCount({
      where: { tenantId: actor.tenantId, submittedBy: actor.userId }, order: { createdAt: 'DESC', id: 'DESC' }, ...skipTake(query),
    });
    const formIds = [...new Set(records.map((r) => r.formId))];
    const forms = formIds.length ? await this.dataSource.getRepository(Form).findBy({ tenantId: actor.tenantId, id: In(formIds) }) : [];
    const byId = new Map(forms.map((f) => [f.id, f]));
    const names = await this.names(actor.tenantId, records);
    return pageOf(records.map((record) => {
      const form = byId.get(record.formId);
      return { ...this.toDto(record, names, []), formName: form?.name ?? '', appId: form?.appId ?? '' };
    }), total, query);
  }

  /** The submitter and people who may see all records of the form can open a record; others get 404. */
  async get(id: string): Promise<RecordDto> {
    const actor = RequestContext.requireActor();
    const { record, settings } = await this.load(actor, id);
    const viewer = canViewAllRecords(settings, actor);
    if (!viewer && (!actor.userId || record.submittedBy !== actor.userId)) throw AppError.notFound('The record');
    return this.toDto(record, await this.names(actor.tenantId, [record]), viewer ? hiddenFieldsFor(settings, actor) : []);
  }

  /** People who may see all records may correct one; it is revalidated against its own version. */
  async update(id: string, data: RecordData): Promise<RecordDto> {
    const actor = RequestContext.requireActor();
    const { record, hidden } = await this.dataSource.transaction(async (manager) => {
      const { record: current, settings } = await this.load(actor, id, manager);
      if (!canViewAllRecords(settings, actor)) throw AppError.notFound('The record');
      const version = await this.forms.versionOf(actor.tenantId, current.formId, current.formVersion);
      // Fields hidden from this person keep their stored values.
      const hidden = hiddenFieldsFor(settings, actor);
      const merged = withFieldsFrom(data, current.data, hidden);
      const prepared = this.prepare(version, merged, 'data');
      await this.files.attach(manager, id, prepared, fileFields(version.uischema), { tenantId: actor.tenantId, userId: actor.userId, formId: null }, 'data');
      const updatedAt = new Date();
      await updateRows(manager, FormRecord, { id, tenantId: actor.tenantId }, {
        data: prepared, searchText: searchTextOf(withRichTextAsText(prepared, version.uischema), settings.hiddenFields), updatedAt,
      });
      await this.audit.record({ action: 'record.updated', targetType: 'record', targetId: id, data: { formId: current.formId } }, manager);
      return { record: { ...current, data: prepared, updatedAt }, hidden };
    });
    return this.toDto(record, await this.names(actor.tenantId, [record]), hidden);
  }

  async remove(id: string): Promise<void> {
    const actor = RequestContext.requireActor();
    await this.dataSource.transaction(async (manager) => {
      const { record, settings } = await this.load(actor, id, manager);
      if (!canViewAllRecords(settings, actor) || !hasRole(actor.roles, 'admin')) throw AppError.forbidden('Only admins can delete records');
      await manager.getRepository(FormRecord).delete({ id, tenantId: actor.tenantId });
      await this.audit.record({ action: 'record.deleted', targetType: 'record', targetId: id, data: { formId: record.formId } }, manager);
    });
  }

  /** Whether the actor may open this record (its submitter, or someone who sees all records of its form). */
  async canOpen(actor: Actor, recordId: string): Promise<boolean> {
    const record = await this.dataSource.getRepository(FormRecord).findOneBy({ id: recordId, tenantId: actor.tenantId });
    if (!record) return false;
    if (actor.userId && record.submittedBy === actor.userId) return true;
    const { settings } = await this.viewSettings(actor.tenantId, record.formId).catch(() => ({ settings: null }));
    return settings !== null && canViewAllRecords(settings, actor);
  }

  /** Settings that decide who sees what: those of the form's latest published version. */
  async viewSettings(tenantId: string, formId: string) {
    const { form, version } = await this.forms.published(tenantId, formId);
    return { form, version, settings: version.settings };
  }

  names(tenantId: string, records: FormRecord[]): Promise<Map<string, string>> {
    return userNames(this.dataSource.manager, tenantId, records.map((record) => record.submittedBy));
  }

  toDto(record: FormRecord, names: Map<string, string>, hidden: readonly string[]): RecordDto {
    return {
      id: record.id, formId: record.formId, formVersion: record.formVersion, data: withoutFields(record.data, hidden),
      submittedBy: record.submittedBy, submittedByName: record.submittedBy ? names.get(record.submittedBy) ?? null : null,
      processInstanceId: record.processInstanceId, createdAt: record.createdAt, updatedAt: record.updatedAt,
    };
  }

  private async load(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager) {
    const record = await manager.getRepository(FormRecord).findOneBy({ id, tenantId: actor.tenantId });
    if (!record) throw AppError.notFound('The record');
    const { settings } = await this.viewSettings(actor.tenantId, record.formId);
    return { record, settings };
  }
}
