import { itRegistersBackendPlugin } from '@pigeondeliver/test-fixtures/backend-manifest';
import { container } from 'tsyringe';

describe('backend-courier manifest', function () {
  itRegistersBackendPlugin({ plugin: 'backend-courier', optionPrefix: 'courier_', sampleOption: { key: 'courier_prefix', value: '/opt/x' }, root: container });
});
