import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { insertRows } from '../../core/database/entity-writes.js';
import { AppError, type ErrorDetail } from '../../core/errors/app-error.js';
import { FILE_STORAGE, type FileStorage, storageKey } from '../../core/storage/file-storage.js';
import { StoredFile } from './stored-file.entity.js';

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface Uploader {
  tenantId: string;
  /** null for public-link uploads. */
  userId: string | null;
  /** The form of a public-link upload. */
  formId: string | null;
}

/** A file field of a form: where its ids sit in the data, and what it accepts. */
export interface FileField {
  path: string[];
  accept?: string;
  maxSize?: number;
}

/** Uploaded files: bytes in the file storage under server-made keys, metadata in `stored_file`. */
@Injectable()
export class FilesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, @Inject(FILE_STORAGE) private readonly storage: FileStorage) {}

  async upload(file: UploadedFile, uploader: Uploader): Promise<StoredFile> {
    const now = new Date();
    const id = randomUUID();
    const row: StoredFile = {
      id, tenantId: uploader.tenantId, name: displayName(file.originalname), size: file.buffer.length,
      contentType: /^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype) ? file.mimetype.toLowerCase() : 'application/octet-stream',
      sha256: createHash('sha256').update(file.buffer).digest('hex'), storageKey: storageKey(uploader.tenantId, id, now),
      uploadedBy: uploader.userId, formId: uploader.formId, recordId: null, createdAt: now,
    };
    await this.storage.write(row.storageKey, file.buffer);
    try {
      await insertRows(this.dataSource.manager, StoredFile, row);
    } catch (error) {
      await this.storage.remove(row.storageKey);
      throw error;
    }
    return row;
  }

  find(tenantId: string, id: string): Promise<StoredFile | null> {
    return this.dataSource.getRepository(StoredFile).findOneBy({ tenantId, id });
  }

  open(file: StoredFile): Readable {
    return this.storage.read(file.storageKey);
  }

  /**
   * Attaches the files a record names to it, inside the record's transaction. A file must belong to
   * the tenant, be unattached, have been uploaded by the same person (or through the same public
   * form), and fit the field's type and size limits; otherwise 422 at the field's path.
   */
  async attach(manager: EntityManager, recordId: string, data: Record<string, unknown>, fields: FileField[], uploader: Uploader, prefix: string): Promise<void> {
    const wanted: Array<{ id: string; field: FileField; at: string }> = [];
    for (const field of fields) {
      const value = valueAt(data, field.path);
      if (Array.isArray(value)) value.forEach((id, i) => typeof id === 'string' && wanted.push({ id, field, at: `${prefix}.${field.path.join('.')}.${i}` }));
    }
    if (!wanted.length) return;
    const repo = manager.getRepository(StoredFile);
    const rows = await repo.findBy({ tenantId: uploader.tenantId, id: In(wanted.map((w) => w.id)) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const problems: ErrorDetail[] = [];
    for (const { id, field, at } of wanted) {
      const row = byId.get(id);
      const mine = row && (row.recordId === recordId || (row.recordId === null
        && (uploader.userId ? row.uploadedBy === uploader.userId : row.uploadedBy === null && row.formId === uploader.formId)));
      if (!row || !mine) problems.push({ path: at, message: 'This file was not uploaded here, or belongs to another submission; upload it again' });
      else if (field.maxSize && row.size > field.maxSize) problems.push({ path: at, message: `"${row.name}" is larger than ${Math.round(field.maxSize / 1024)} KB` });
      else if (field.accept && !accepts(field.accept, row)) problems.push({ path: at, message: `"${row.name}" is not one of the accepted types (${field.accept})` });
    }
    if (problems.length) throw AppError.validation(problems, 'Some files cannot be attached');
    await repo.update({ tenantId: uploader.tenantId, id: In(wanted.map((w) => w.id)), recordId: IsNull() }, { recordId });
  }
}

/** `accept` as in <input type="file">: MIME types, `type/*` wildcards and `.ext` endings. */
export function accepts(accept: string, file: Pick<StoredFile, 'name' | 'contentType'>): boolean {
  return accept.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean).some((item) => {
    if (item.startsWith('.')) return file.name.toLowerCase().endsWith(item);
    if (item.endsWith('/*')) return file.contentType.startsWith(item.slice(0, -1));
    return file.contentType === item;
  });
}

function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim().slice(-200);
  return cleaned || 'file';
}

function valueAt(data: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = data;
  for (const key of path) value = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
