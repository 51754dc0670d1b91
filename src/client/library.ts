// @platformatic/kafka as every module of the client imports it: loaded with its option validators
// compiled on first use (deferred-validators.ts). The imports below are evaluated in order: the deferral
// first, then the library, then this module's body, which ends the deferral.
import { compileEagerlyAgain } from './deferred-validators.js';
export * from '@platformatic/kafka';

compileEagerlyAgain();
