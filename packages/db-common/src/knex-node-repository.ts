/** {@link INodeRepository} over knex: the cluster's peers, with the same `version` bump on every change. */
import type { INodeRepository, NodeRecord } from '@pigeondeliver/core';
import type { Knex } from 'knex';
import { isUniqueViolation } from './driver-errors.js';
import { checkNodeName, NODE_COLUMNS, nodeToColumns, rowToNode } from './node-row.js';
import type { QueryRunner } from './query-runner.js';

/** The node repository of a {@link KnexDatabase}. */
export class KnexNodeRepository implements INodeRepository {
  constructor(private readonly db: QueryRunner) {}

  private selectNode(k: Knex | Knex.Transaction, name: string): Promise<Record<string, unknown> | undefined> {
    return k(this.db.tables.nodes).select(NODE_COLUMNS).where('name', name).first() as Promise<Record<string, unknown> | undefined>;
  }

  /** All peers ordered by name. */
  async list(): Promise<NodeRecord[]> {
    return this.db.query('node list', async (k) => {
      const rows = (await k(this.db.tables.nodes).select(NODE_COLUMNS)) as Record<string, unknown>[];
      return rows.map(rowToNode).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
  }

  async get(name: string): Promise<NodeRecord | undefined> {
    try {
      checkNodeName(name);
    } catch {
      return undefined;
    }
    return this.db.query('node get', async (k) => {
      const row = await this.selectNode(k, name);
      return row ? rowToNode(row) : undefined;
    });
  }

  /** Inserts the node (version 1) or replaces its fields (version + 1), in one transaction. */
  async upsert(node: Omit<NodeRecord, 'version'>): Promise<NodeRecord> {
    const { name, ...fields } = nodeToColumns(node);
    const nodeName = String(name);
    const attempt = (k: Knex) =>
      k.transaction(async (trx) => {
        const now = new Date();
        const updated = await trx(this.db.tables.nodes)
          .where('name', nodeName)
          .update({ ...fields, version: trx.raw('?? + 1', ['version']), updated_at: now });
        if (updated === 0) await trx(this.db.tables.nodes).insert({ ...fields, name: nodeName, version: 1, created_at: now, updated_at: now });
        const row = await this.selectNode(trx, nodeName);
        if (!row) throw new Error(`node ${nodeName} vanished during its upsert`);
        return rowToNode(row);
      });
    return this.db.change('node upsert', async (k) => {
      try {
        return await attempt(k);
      } catch (e) {
        // Two upserts of a new node raced and the other inserted first: now it exists, update it.
        if (isUniqueViolation(e)) return attempt(k);
        throw e;
      }
    });
  }

  async remove(name: string): Promise<boolean> {
    try {
      checkNodeName(name);
    } catch {
      return false;
    }
    return this.db.change('node remove', async (k) => (await k(this.db.tables.nodes).where('name', name).del()) > 0);
  }
}
