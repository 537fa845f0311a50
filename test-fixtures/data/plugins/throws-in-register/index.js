// A manifest that passes the checks but whose register() fails (RegisterFailed).
export default {
  apiVersion: 1,
  kind: 'login',
  name: 'login-throws',
  register() {
    throw new Error('fake failure inside register()');
  },
};
