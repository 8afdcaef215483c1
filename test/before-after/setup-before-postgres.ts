import { setUpMode } from './global-setup';

export default () => setUpMode('before', 'postgres', 'before-postgres');
