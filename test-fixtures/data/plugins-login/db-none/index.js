// An empty, read-only IDatabase: lets a forker start without a real database (login-echo never looks users up).
const IDatabase = Symbol.for('pigeondeliver:IDatabase');
const users = {
  async lookup() { return undefined; },
  async list() { return []; },
  async create() { throw new Error('db-none is read-only'); },
  async update() { throw new Error('db-none is read-only'); },
  async remove() { return false; },
  async recordLogin() {},
};
const nodes = {
  async list() { return []; },
  async get() { return undefined; },
  async upsert() { throw new Error('db-none is read-only'); },
  async remove() { return false; },
};
export default {
  apiVersion: 1,
  kind: 'db',
  name: 'db-none',
  register(container) {
    container.register(IDatabase, { useValue: { dialect: 'none', users, nodes, async migrate() { return []; }, async close() {} } });
  },
};
