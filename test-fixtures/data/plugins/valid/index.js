// A correct login plugin with no dependencies: tokens are Symbol.for('pigeondeliver:<Name>'), the
// same symbols @pigeondeliver/core makes, so it needs no import.
const ILoginService = Symbol.for('pigeondeliver:ILoginService');

/** Declared option, written as a plain OptionSpec (key, description, default, parse). */
const greeting = {
  key: 'fake_greeting',
  description: 'greeting the fake login service sends',
  defaultValue: 'fake ready',
  parse(raw) {
    if (raw.length > 40) throw new Error(`at most 40 characters, got ${raw.length}`);
    return raw;
  },
};

export default {
  apiVersion: 1,
  kind: 'login',
  name: 'login-fake',
  options: [greeting],
  optionPrefixes: ['fake_'],
  register(container, options) {
    const text = options.get(greeting);
    container.register(ILoginService, {
      useValue: {
        protocol: 'imap',
        greeting: text,
        loadedFrom: import.meta.url,
        async handle(connection) {
          connection.stream.write(`* OK ${text}\r\n`);
          connection.close();
        },
        reject(connection) {
          connection.stream.write('* BYE go away\r\n');
          connection.close();
        },
      },
    });
  },
};
