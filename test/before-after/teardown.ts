import { tearDownAll } from './global-setup';

export default () => tearDownAll();
