// Imports a package that is not installed anywhere (DependencyMissing).
import missing from 'pd-fake-dependency-that-does-not-exist';

export default {
  apiVersion: 1,
  kind: 'login',
  name: 'login-missing-dep',
  register() {
    void missing;
  },
};
