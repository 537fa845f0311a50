import { itRegistersDatabasePlugin } from '@pigeondeliver/test-fixtures/db-plugin-registration';
import { container } from 'tsyringe';

describe('db-mysql plugin (register)', () => {
  itRegistersDatabasePlugin({
    plugin: 'db-mysql',
    dialect: 'mysql',
    product: 'MySQL',
    url: 'mysql://pd:s3cret@127.0.0.1:3306/mail',
    optionPrefix: 'mysql_',
    scheme: 'mysql://',
    root: container,
  });
});
