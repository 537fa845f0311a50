// A correct database plugin: an empty in-memory IDatabase that remembers whether it was closed.
const IDatabase = Symbol.for('pigeondeliver:IDatabase');

const users = {
  async lookup() { return undefined; },
  async list() { return []; },
  async create() { throw new Error('db-fake is read-only'); },
  async update() { throw new Error('db-fake is read-only'); },
  async remove() { return false; },
  async recordLogin() {},
};
const nodes = {
  async list() { return []; },
  async get() { return undefined; },
  async upsert() { throw new Error('db-fake is read-only'); },
  async remove() { return false; },
};

export default {
  apiVersion: 1,
  kind: 'db',
  name: 'db-fake',
  register(container) {
    container.register(IDatabase, {
      useValue: {
        dialect: 'fake',
        users,
        nodes,
        closed: false,
        async migrate() { return []; },
        async close() { this.closed = true; },
      },
    });
  },
};
