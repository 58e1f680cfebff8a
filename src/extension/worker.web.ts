/** The network worker's entry in the browser (a Web Worker started by platform.web.ts): the training engine behind the worker's messages. */
import { EngineInput, serveEngine } from './networkEngine';

declare const self: { postMessage(m: unknown): void; addEventListener(type: 'message', listener: (e: { data: EngineInput }) => void): void };

serveEngine((m) => self.postMessage(m), (receive) => self.addEventListener('message', (e) => receive(e.data)));
