/**
 * Stand-in for `@azure/functions-core`, the module the Azure Functions Node.js worker gives the app at run time
 * (it is not on npm). @azure/functions hands it every registration; this one records them (metadata as sent,
 * and the callback) so a test can compare them with functions/manifest.ts and call the callbacks.
 * shipped-package.test.ts copies it to <tmp>/node_modules/@azure/functions-core, on the resolution path of
 * the staged package in <tmp>/app, so the package itself stays exactly as staged.
 */
/* global module */
'use strict';

const registrations = [];
let programmingModel;

module.exports = {
  registrations,
  get programmingModel() {
    return programmingModel;
  },
  setProgrammingModel(model) {
    programmingModel = model;
  },
  getProgrammingModel() {
    return programmingModel;
  },
  registerFunction(metadata, callback) {
    registrations.push({ metadata, callback });
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
};
