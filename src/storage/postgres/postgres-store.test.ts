import { storeContract } from '../store.contract.js';
import { auditStoreContract } from '../audit-store.contract.js';
import { openTempPgStore } from './temp-store.js';

storeContract('PostgresStore', () => openTempPgStore('contract'));
auditStoreContract('PostgresStore', () => openTempPgStore('audit_contract'));
