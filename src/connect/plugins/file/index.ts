export { fileStreamSinkPlugin } from './sink.js';
export { fileStreamSourcePlugin } from './source.js';
