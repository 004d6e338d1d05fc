import { auditStoreContract } from '../audit-store.contract.js';
import { openTempStore } from './temp-store.js';

auditStoreContract('SqliteStore', () => openTempStore('sqlite-audit-store-'));
