// The "mail server" backend-echo launches: stdin/stdout are the client socket. Answers the login tag,
// handles pipelined bytes from ECHO_PIPELINED (base64), then serves ECHO / WHOAMI / LOGOUT.
const out = process.stdout;
const tag = process.env.ECHO_TAG || '*';
out.write(`${tag} OK [launched] logged in as ${process.env.ECHO_USER} [pid=${process.pid}] [uid=${process.getuid()}] [remote=${process.env.ECHO_REMOTE}]\r\n`);
let buffer = Buffer.from(process.env.ECHO_PIPELINED || '', 'base64');
const pump = () => {
  for (let nl = buffer.indexOf(10); nl >= 0; nl = buffer.indexOf(10)) {
    const line = buffer.subarray(0, nl).toString('latin1').replace(/\r$/, '');
    buffer = buffer.subarray(nl + 1);
    const [t = '*', verb = '', ...rest] = line.split(' ');
    const v = verb.toUpperCase();
    if (v === 'ECHO') out.write(`* ECHO ${rest.join(' ')}\r\n${t} OK echo\r\n`);
    else if (v === 'WHOAMI') out.write(`* PID ${process.pid} UID ${process.getuid()}\r\n${t} OK whoami\r\n`);
    else if (v === 'LOGOUT') { out.write(`* BYE bye\r\n${t} OK logout\r\n`, () => process.exit(0)); return; }
    else out.write(`${t} BAD unknown\r\n`);
  }
};
process.stdin.on('data', (d) => { buffer = Buffer.concat([buffer, d]); pump(); });
process.stdin.on('end', () => process.exit(0));
pump();
