import { setUpMode } from './global-setup';

export default () => setUpMode('after', 'sqlite');
