import type { EntityManager, EntityTarget, FindOptionsWhere, InsertResult, ObjectLiteral, UpdateResult } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

// TypeORM's deep-partial parameter type cannot follow JSON-typed columns (schemas, payloads, record
// data), so the one cast for whole-entity writes lives here instead of at every call.

/** Inserts whole entities. */
export function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: T | T[]): Promise<InsertResult> {
  return manager.getRepository(target).insert(rows as QueryDeepPartialEntity<T>);
}

/** Updates the rows matching `where` with typed entity fields. */
export function updateRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, where: FindOptionsWhere<T>, changes: Partial<T>): Promise<UpdateResult> {
  return manager.getRepository(target).update(where, changes as QueryDeepPartialEntity<T>);
}
