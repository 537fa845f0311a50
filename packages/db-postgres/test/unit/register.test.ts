import { itRegistersDatabasePlugin } from '@pigeondeliver/test-fixtures/db-plugin-registration';
import { container } from 'tsyringe';

describe('db-postgres plugin (register)', () => {
  itRegistersDatabasePlugin({
    plugin: 'db-postgres',
    dialect: 'postgres',
    product: 'PostgreSQL',
    url: 'postgres://pd:s3cret@127.0.0.1:5432/mail',
    optionPrefix: 'postgres_',
    scheme: 'postgres://',
    root: container,
  });
});
