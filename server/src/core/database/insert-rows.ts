import type { EntityManager, EntityTarget, InsertResult, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

/**
 * Inserts whole entities. TypeORM's deep-partial parameter type cannot follow JSON-typed columns
 * (schemas, payloads), so the one cast lives here instead of at every call.
 */
export function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: T | T[]): Promise<InsertResult> {
  return manager.getRepository(target).insert(rows as QueryDeepPartialEntity<T>);
}
