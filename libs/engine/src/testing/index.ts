export { peerPython } from './python-peer';
