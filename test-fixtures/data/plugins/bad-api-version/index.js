// Made for a plugin API this core does not speak (UnsupportedApiVersion).
export default {
  apiVersion: 99,
  kind: 'login',
  name: 'login-bad-api',
  register() {},
};
