// register() runs but never registers ILoginService (RegisterFailed when it is resolved).
export default {
  apiVersion: 1,
  kind: 'login',
  name: 'login-registers-nothing',
  register() {},
};
