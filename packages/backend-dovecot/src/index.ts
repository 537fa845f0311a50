/**
 * @packageDocumentation
 * backend-dovecot: starts Dovecot's imap/pop3 already authenticated, as the user, on the client socket.
 */
import { PLUGIN_API_VERSION, type PluginManifest } from '@pigeondeliver/core';
import { DOVECOT_OPTION_SPECS } from './options.js';
import { register } from './register.js';

export { DovecotBackend } from './dovecot-backend.js';
export { DovecotEnvironment, parseEnvOutput, DOVECONF_TIMEOUT_MS } from './dovecot-environment.js';
export { buildDovecotLaunchRequest, dovecotMailLocation, isValidImapTag, DEFAULT_MAIL_LOCATION, type DovecotLaunchParams } from './dovecot-launch-request.js';
export { imapClientInput, pop3ClientInput } from './client-input.js';
export { DOVECOT_OPTIONS, DOVECOT_OPTION_SPECS, type DovecotMode } from './options.js';
export { register } from './register.js';

/** The plugin manifest the loader reads. */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'backend',
  name: 'backend-dovecot',
  options: DOVECOT_OPTION_SPECS,
  optionPrefixes: ['dovecot_'],
  register,
};
export default manifest;
