// A fake backend for forker tests. With an ISessionLauncher registered and a plaintext socket it asks
// the launcher to start session.js as the user (the daemon's privileged path); otherwise (stdio, TLS)
// it serves the session in process. Either way the client sees "TAG OK [mode] logged in as USER ..."
// and then "T ECHO text" -> "* ECHO text" / "T OK echo", "T WHOAMI" -> "* PID p UID u", "T LOGOUT".
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const IBackend = Symbol.for('pigeondeliver:IBackend');
const ISessionLauncher = Symbol.for('pigeondeliver:ISessionLauncher');
const SESSION = fileURLToPath(new URL('./session.js', import.meta.url));

const homeSpec = { key: 'echo_home_root', description: 'folder under which each user gets a home (must be in home_roots)', defaultValue: '/tmp', parse: (s) => s };
const uidSpec = { key: 'echo_uid', description: 'uid (and gid) of launched sessions; default nobody when root, else our own', defaultValue: '', parse: (s) => (s === '' ? undefined : Number(s)) };
const failSpec = { key: 'echo_fail_launch', description: 'make every launch fail (tests of the failure path)', defaultValue: 'no', parse: (s) => s === 'yes' };

export default {
  apiVersion: 1,
  kind: 'backend',
  name: 'backend-echo',
  options: [homeSpec, uidSpec, failSpec],
  register(container, options) {
    const launcher = container.isRegistered(ISessionLauncher, true) ? container.resolve(ISessionLauncher) : undefined;
    const root = options.get(homeSpec);
    const fixedUid = options.get(uidSpec);
    const fail = options.get(failSpec);
    container.register(IBackend, {
      useValue: {
        name: 'backend-echo',
        async start(session, conn) {
          const uid = fixedUid ?? (process.getuid() === 0 ? 65534 : process.getuid());
          if (fail) throw new Error('backend-echo: launch refused (echo_fail_launch)');
          if (launcher && conn.socket && !conn.secured) {
            const home = join(root, session.user.login);
            const request = {
              sessionId: session.sessionId,
              command: process.execPath,
              args: [SESSION],
              env: {
                ECHO_USER: session.user.login, ECHO_TAG: session.loginTag, ECHO_SESSION: session.sessionId,
                ECHO_PIPELINED: session.pipelined.toString('base64'), ECHO_REMOTE: `${session.remote.address}:${session.remote.port}`,
              },
              cwd: '/',
              uid, gid: uid,
              home: { path: home },
              stderr: 'log',
              label: 'echo-session',
            };
            await launcher.launch(request, conn.socket);
            return;
          }
          serveInProcess(session, conn);
        },
      },
    });
  },
};

function serveInProcess(session, conn) {
  const stream = conn.stream;
  stream.write(`${session.loginTag} OK [in-process] logged in as ${session.user.login} [pid=${process.pid}]\r\n`);
  let buffer = Buffer.from(session.pipelined);
  const pump = () => {
    for (let nl = buffer.indexOf(10); nl >= 0; nl = buffer.indexOf(10)) {
      const line = buffer.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      buffer = buffer.subarray(nl + 1);
      const [tag = '*', verb = '', ...rest] = line.split(' ');
      const v = verb.toUpperCase();
      if (v === 'ECHO') stream.write(`* ECHO ${rest.join(' ')}\r\n${tag} OK echo\r\n`);
      else if (v === 'WHOAMI') stream.write(`* PID ${process.pid} UID ${process.getuid()}\r\n${tag} OK whoami\r\n`);
      else if (v === 'LOGOUT') { stream.end(`* BYE bye\r\n${tag} OK logout\r\n`); return; }
      else stream.write(`${tag} BAD unknown\r\n`);
    }
  };
  stream.on('data', (d) => { buffer = Buffer.concat([buffer, d]); pump(); });
  stream.resume();
  pump();
}
