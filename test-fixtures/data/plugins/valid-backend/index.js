// A correct backend plugin: records the sessions it is given.
const IBackend = Symbol.for('pigeondeliver:IBackend');

export default {
  apiVersion: 1,
  kind: 'backend',
  name: 'backend-fake',
  register(container) {
    const started = [];
    container.register(IBackend, {
      useValue: {
        name: 'backend-fake',
        started,
        closed: false,
        loadedFrom: import.meta.url,
        async start(session, connection) {
          started.push({ session, sessionId: connection.sessionId });
        },
        async close() {
          this.closed = true;
        },
      },
    });
  },
};
