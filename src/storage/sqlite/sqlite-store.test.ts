import { storeContract } from '../store.contract.js';
import { openTempStore } from './temp-store.js';

storeContract('SqliteStore', () => openTempStore('sqlite-store-'));
