// A package that is not a plugin: its default export is a plain string (BadManifest).
export default 'I am not a plugin manifest';
export const somethingElse = 42;
