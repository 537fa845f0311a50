// Says it is a backend: naming it where a login service is expected must fail (WrongKind).
export default {
  apiVersion: 1,
  kind: 'backend',
  name: 'login-wrong-kind',
  register() {},
};
