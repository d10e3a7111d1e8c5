import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

/** A named set of users across departments (e.g. "Finance reviewers"), used as candidate groups. */
@Entity('user_group')
export class Group {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 1000 }) description: string;
  @TimestampColumn() createdAt: Date;
}

@Entity('group_member')
export class GroupMember {
  @PrimaryColumn({ type: 'varchar', length: 36 }) groupId: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId: string;
  @Index() @Column({ type: 'varchar', length: 36 }) tenantId: string;
}
