// jsdom (jest-environment-jsdom 29) lacks TextEncoder/TextDecoder, which react-router reads when it loads.
// Loaded for every test file by jest.config.js (setupFiles), before any module of the test.
import { TextDecoder, TextEncoder } from 'node:util';

const scope = globalThis as unknown as Record<string, unknown>;
scope.TextEncoder ??= TextEncoder;
scope.TextDecoder ??= TextDecoder;
