/**
 * @packageDocumentation
 * backend-courier: starts Courier's imapd/courierpop3d already authenticated, as the user.
 */
import { PLUGIN_API_VERSION, type PluginManifest } from '@pigeondeliver/core';
import { COURIER_OPTION_SPECS } from './options.js';
import { register } from './register.js';

export { CourierBackend } from './courier-backend.js';
export { parseCourierVariables, readCourierVariables } from './courier-config-file.js';
export { buildCourierLaunchRequest, courierMaildir, isValidImapTag, UNKNOWN_ADDRESS, type CourierLaunchParams } from './courier-launch-request.js';
export { COURIER_OPTIONS, COURIER_OPTION_SPECS } from './options.js';
export { register } from './register.js';

/** The plugin manifest the loader reads. */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'backend',
  name: 'backend-courier',
  options: COURIER_OPTION_SPECS,
  optionPrefixes: ['courier_'],
  register,
};
export default manifest;
