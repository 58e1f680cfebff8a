/** The network worker's entry on Node (worker_threads): the training engine behind the worker's port. */
import { parentPort } from 'worker_threads';
import { EngineInput, serveEngine } from './networkEngine';

const port = parentPort;
if (port) serveEngine((m) => port.postMessage(m), (receive) => port.on('message', (m: EngineInput) => receive(m)));
