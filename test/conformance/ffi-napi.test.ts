import { registerConformance } from './suite.js';

registerConformance('ffi-napi');
