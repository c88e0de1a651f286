/**
 * Child process of shipped-package.test.ts: loads the staged package's `main` the way the worker does, with
 * the recording functions-core beside it, and prints one JSON line: the registrations and, with `invoke`,
 * what the Health, AdminApi, a timer and a queue callback answer.
 * Usage: node <tmp>/load-main.js <appDir> [invoke]
 */
/* global require, process, setImmediate */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node without a compiler */
'use strict';
const path = require('node:path');
const core = require('@azure/functions-core');

const [appDir, mode] = process.argv.slice(2);
const manifest = require(path.join(appDir, 'package.json'));
require(path.join(appDir, manifest.main));

function callbackOf(name) {
  const found = core.registrations.find((entry) => entry.metadata.name === name);
  if (!found) throw new Error(`${name} is not registered`);
  return found.callback;
}

async function outcome(call) {
  try {
    const value = await call();
    return { value: value && { status: value.status, jsonBody: value.jsonBody } };
  } catch (error) {
    return { error: { message: error.message, code: error.code } };
  }
}

async function invocations() {
  // The staged library's own request and context types, as the worker would build them.
  const { HttpRequest, InvocationContext } = require(require.resolve('@azure/functions', { paths: [appDir] }));
  const context = (functionName) => new InvocationContext({ functionName, invocationId: 'shipped-package-test' });
  const get = (url) => new HttpRequest({ method: 'GET', url });
  return {
    health: await outcome(() => callbackOf('Health')(get('http://localhost/api/health'), context('Health'))),
    admin: await outcome(() =>
      callbackOf('AdminApi')(get('http://localhost/api/admin/integrations'), context('AdminApi')),
    ),
    timer: await outcome(() =>
      callbackOf('SyncScheduler')({ isPastDue: false, scheduleStatus: {} }, context('SyncScheduler')),
    ),
    queue: await outcome(() => callbackOf('SyncInboundWorker')({ kind: 'page' }, context('SyncInboundWorker'))),
  };
}

setImmediate(async () => {
  const report = {
    programmingModel: core.programmingModel && core.programmingModel.name,
    registrations: core.registrations.map((entry) => entry.metadata),
    invocations: mode === 'invoke' ? await invocations() : undefined,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
});
