import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** Where uploaded files live. Keys are made by the server; an S3-compatible store can implement the same port. */
export interface FileStorage {
  write(key: string, data: Buffer): Promise<void>;
  read(key: string): Readable;
  remove(key: string): Promise<void>;
}

export const FILE_STORAGE = Symbol('FileStorage');

const KEY = /^[a-f0-9-]{36}\/\d{4}\/[a-f0-9-]{36}$/;

/** Files under DATA_DIR/files/<tenant>/<year>/<id>: no name a user chose ever reaches the file system. */
export class LocalFileStorage implements FileStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async write(key: string, data: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { flag: 'wx', mode: 0o600 });
  }

  read(key: string): Readable {
    return createReadStream(this.path(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error('A storage key left the storage folder');
    return path;
  }
}

export function storageKey(tenantId: string, fileId: string, at: Date): string {
  return `${tenantId}/${at.getUTCFullYear()}/${fileId}`;
}
